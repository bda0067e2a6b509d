"""Keeping the knowledge base current with the catalog, document by document.

Why per document: areas, partner mentions, citations and an agreement's term are read from one
document's chunks, so only the documents that changed need reading again. An update finds them by
comparing each document's stamp (``schema.STAMP``: version, edit time, the fields read) with the one
recorded when its facts were derived (``kb_documents``), and removes the facts of deleted documents.
Facts that join documents follow at the cost of what changed: the partner rows of the partners those
documents name, the citation links of the numbers they carry or cite, and twins among the documents
that own their passages' nearest neighbours in the vector index (not every pair).

Who calls ``update``: writers, after their commit and index sync (the ingest worker, the API's
delete and edit routes, the CLI), and the server once at start-up in the background. Reads never
do, so a read may answer from facts a moment older than the catalog. ``rebuild`` (``hoptac kb
rebuild``, a new model, a new area) clears the derived tables and derives every document through the
same code, which is also how it heals after a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from catalog import Catalog, ChunkRow
from catalog.db import DATABASE_ERRORS, Connection
from catalog.schema import CHUNK_FIELDS
from hoptac.errors import HoptacError
from kb import agreements, areas, partners, relations, schema, twins
from kb.records import RebuildReport, UpdateReport
from models import Embedder
from search.database import stored_vectors
from search.store import Vectors
from search.vectors import PARAMS_FILE, IndexParams, VectorIndex

logger = logging.getLogger("hoptac")
#: What an update may fail with; readers answer from what is there meanwhile, and the next update
#: (or ``hoptac kb rebuild``) heals it.
UPDATE_FAILURES: tuple[type[Exception], ...] = (HoptacError, *DATABASE_ERRORS)
_lock = threading.Lock()

#: Documents derived per batch (bounds memory during a rebuild).
BATCH = 200
#: Ids per ``IN (...)`` list (under every database's limit on parameters).
IN_LIST = 500
#: Twin candidates of a document: the first ``NEIGHBOURS`` other documents owning the nearest
#: passages of its mean vector and of up to ``PROBES - 1`` of its passages, spread over the text,
#: each probe searched ``DEPTH`` passages deep. Counted in documents, not passages: a long
#: document's passages would crowd the others out, and a document missed when it arrives is never
#: offered as closest to one that came before it, which a rebuild would find.
NEIGHBOURS = 8
DEPTH = 256
PROBES = 4


def update(
    catalog: Catalog, vectors: Vectors | None, embedder: Embedder | None = None
) -> UpdateReport:
    """Derive the facts of the documents changed since the last update and drop those of deleted
    ones; a whole rebuild when the schema or the vectors' model changed. ``vectors``: the search
    index's vectors as the caller holds them (None: keywords only, no twins)."""
    schema.install(catalog)
    with _lock:
        started = time.perf_counter()
        area_set = _AreaSet.load(catalog, vectors, embedder)
        state = _state(catalog)
        model = vectors.params.fingerprint if vectors is not None else ""
        stale = state.get("schema") != schema.VERSION or bool(
            model and state.get("model") not in (None, "", model)
        )
        if stale:
            report = _run(catalog, vectors, area_set, everything=True, batched=True)
        else:
            changed, removed = _changes(catalog, vectors, area_set)
            if not changed and not removed:
                return UpdateReport(changed=0, removed=0, rebuilt=False, seconds=0.0)
            batched = len(changed) + len(removed) > BATCH
            report = _run(catalog, vectors, area_set, everything=False, batched=batched)
        return report.model_copy(update={"seconds": round(time.perf_counter() - started, 3)})


def ensure_current(
    catalog: Catalog, index_dir: Path | None = None, embedder: Embedder | None = None
) -> UpdateReport:
    """``update`` with the vectors published in ``index_dir`` (a process without a search engine)."""
    return update(catalog, open_vectors(index_dir, catalog), embedder)


def rebuild(
    catalog: Catalog,
    index_dir: Path | None = None,
    embedder: Embedder | None = None,
    vectors: Vectors | None = None,
) -> RebuildReport:
    """Derive everything again now (``hoptac kb rebuild``, a new area): the same result as the
    updates that followed each change."""
    schema.install(catalog)
    vectors = vectors if vectors is not None else open_vectors(index_dir, catalog)
    with _lock:
        started = time.perf_counter()
        area_set = _AreaSet.load(catalog, vectors, embedder)
        _run(catalog, vectors, area_set, everything=True, batched=True)

        def count(sql: str) -> int:
            return int(catalog.query(sql)[0][0])

        return RebuildReport(
            documents=count("SELECT count(*) FROM kb_documents"),
            passages_tagged=count("SELECT count(DISTINCT chunk_id) FROM kb_chunk_areas"),
            partners=count("SELECT count(*) FROM kb_partners"),
            mentions=count("SELECT count(*) FROM kb_mentions"),
            agreements=count("SELECT count(*) FROM kb_agreements"),
            citations=count("SELECT count(*) FROM kb_citations"),
            twins=count("SELECT count(*) FROM kb_twins"),
            used_vectors=area_set.vectors is not None and vectors is not None,
            seconds=round(time.perf_counter() - started, 3),
        )


def rederive(
    catalog: Catalog,
    document_ids: Iterable[int],
    vectors: Vectors | None,
    embedder: Embedder | None,
) -> None:
    """Derive these documents' facts again now (a librarian's correction that changes them)."""
    schema.install(catalog)
    with _lock:
        area_set = _AreaSet.load(catalog, vectors, embedder)
        _run(catalog, vectors, area_set, everything=False, batched=False, also=set(document_ids))


def refresh_partners(conn: Connection, keys: Iterable[str]) -> None:
    """Resolve the mentions written with these keys to their partner again (after a merge, an
    undone merge or a split) and rewrite the partner rows they left or joined."""
    fixes = _partner_fixes(conn)
    touched: set[int] = set()
    for key in sorted(set(keys)):
        touched |= {
            int(r[0])
            for r in conn.execute(
                "SELECT DISTINCT partner_id FROM kb_mentions WHERE key = ?", (key,)
            )
        }
        partner_id = _partner_id(conn, _final(fixes, key))
        conn.execute("UPDATE kb_mentions SET partner_id = ? WHERE key = ?", (partner_id, key))
        touched.add(partner_id)
    _write_partners(conn, touched, fixes)


def rewrite_partner(conn: Connection, partner_id: int) -> None:
    """Write one partner's row again (after a rename, a country, a confirmation)."""
    _write_partners(conn, {partner_id}, _partner_fixes(conn))


# -- one update ------------------------------------------------------------------------------


@dataclass
class _AreaSet:
    """The areas as the tagger reads them; ``vectors`` per area for the index's model, or None."""

    definitions: list[areas.AreaDefinition]
    vectors: list[np.ndarray] | None

    @classmethod
    def load(cls, catalog: Catalog, index: Vectors | None, embedder: Embedder | None) -> _AreaSet:
        rows = catalog.query("SELECT key, keywords, phrases FROM kb_areas ORDER BY position")
        definitions = [
            areas.AreaDefinition(r["key"], tuple(json.loads(r["keywords"]))) for r in rows
        ]
        if index is None:
            return cls(definitions, None)
        found = [_area_vectors(catalog, index.params.fingerprint, r, embedder) for r in rows]
        if any(v is None for v in found):
            logger.info(
                "no area vectors for model %s; areas from keywords only", index.params.fingerprint
            )
            return cls(definitions, None)
        return cls(definitions, [v for v in found if v is not None])


@dataclass
class _Touched:
    """What derived documents touched beyond themselves: partners, numbers, twin neighbours."""

    partners: set[int] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    orphans: set[tuple[int, str]] = field(default_factory=set)
    neighbours: set[int] = field(default_factory=set)


def _run(
    catalog: Catalog,
    vectors: Vectors | None,
    area_set: _AreaSet,
    everything: bool,
    batched: bool,
    also: set[int] | None = None,
) -> UpdateReport:
    """Forget, derive, then link partners, citations and twins. A small update is one transaction.
    A large one (a rebuild) commits per batch of documents, so other writers (an ingest, a
    sign-in) wait for a batch at most; meanwhile reads see it part done. A crash midway leaves the
    documents not yet derived without a stamp, and the next update derives them (a rebuild clears
    its state first, so the next update starts it again)."""
    if batched:
        return _steps(catalog, vectors, area_set, everything, also, _Transactions(catalog, None))
    with catalog.transaction(documents_changed=False) as conn:
        return _steps(catalog, vectors, area_set, everything, also, _Transactions(catalog, conn))


@dataclass
class _Transactions:
    """One transaction per step, or the one ``outer`` transaction for every step."""

    catalog: Catalog
    outer: Connection | None

    @contextmanager
    def step(self) -> Iterator[Connection]:
        if self.outer is not None:
            yield self.outer
        else:
            with self.catalog.transaction(documents_changed=False) as conn:
                yield conn


def _steps(
    catalog: Catalog,
    vectors: Vectors | None,
    area_set: _AreaSet,
    everything: bool,
    also: set[int] | None,
    transactions: _Transactions,
) -> UpdateReport:
    with transactions.step() as conn:
        if everything:
            for table in schema.DERIVED_TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM kb_state")
        changed, removed = _changes(catalog, vectors, area_set)
        if also:
            present = {
                int(r[0]) for r in rows_in(conn, "SELECT id FROM documents WHERE id IN", also)
            }
            changed = sorted(set(changed) | present)
        touched = _forget(conn, [*changed, *removed])
        context = _Context.load(conn)
        if transactions.outer is None:  # the partners and links the forgotten facts leave
            _write_partners(conn, touched.partners, context.fixes)
            _retarget(conn, touched.numbers)
    for batch in _parts(changed, BATCH):
        with transactions.step() as conn:
            found = _Touched()
            _derive(conn, catalog, batch, vectors, area_set, context, found)
            touched.partners |= found.partners
            touched.numbers |= found.numbers
            if transactions.outer is None:
                _write_partners(conn, found.partners, context.fixes)
                _retarget(conn, found.numbers)
    with transactions.step() as conn:
        if transactions.outer is not None:
            _write_partners(conn, touched.partners, context.fixes)
            _retarget(conn, touched.numbers)
    if vectors is not None and len(vectors):
        finder = _Twins(conn, vectors)
        for number, batch in enumerate(_parts(changed, BATCH) if changed else iter([[]])):
            with transactions.step() as conn:
                finder.conn = conn
                finder.update(batch, touched if number == 0 else _Touched())
    with transactions.step() as conn:
        state = {"schema": schema.VERSION}
        if vectors is not None:
            state["model"] = vectors.params.fingerprint
        for key, value in state.items():
            conn.execute(
                "INSERT INTO kb_state VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
    return UpdateReport(changed=len(changed), removed=len(removed), rebuilt=everything, seconds=0.0)


def _changes(
    catalog: Catalog, vectors: Vectors | None, area_set: _AreaSet
) -> tuple[list[int], list[int]]:
    """(documents whose facts are missing or older than the document, documents deleted since):
    a comparison of stamps over the documents, no chunk read. A document derived before its
    passages were in the vector index counts as changed once they are."""
    changed = {
        int(r[0])
        for r in catalog.query(
            "SELECT d.id FROM documents d LEFT JOIN kb_documents k ON k.document_id = d.id "
            f"WHERE k.stamp IS NULL OR k.stamp <> {schema.STAMP}"
        )
    }
    removed = [
        int(r[0])
        for r in catalog.query(
            "SELECT k.document_id FROM kb_documents k LEFT JOIN documents d ON d.id = k.document_id "
            "WHERE d.id IS NULL ORDER BY k.document_id"
        )
    ]
    if vectors is not None and len(vectors) and area_set.vectors is not None:
        waiting = [
            int(r[0])
            for r in catalog.query("SELECT document_id FROM kb_documents WHERE vectors = 0")
        ]
        for document_id in waiting:
            ids = [
                int(r[0])
                for r in catalog.query(
                    "SELECT id FROM chunks WHERE document_id = ?", (document_id,)
                )
            ]
            if ids and vectors.contains(np.asarray(ids)).all():
                changed.add(document_id)
    return sorted(changed), removed


def _forget(conn: Connection, ids: Sequence[int]) -> _Touched:
    """Delete the facts of these documents; what they touched elsewhere must be written again."""
    touched = _Touched()
    if not ids:
        return touched
    wanted = set(ids)
    touched.partners = {
        int(r[0])
        for r in rows_in(
            conn, "SELECT DISTINCT partner_id FROM kb_mentions WHERE document_id IN", ids
        )
    }
    touched.numbers = {
        r[0]
        for r in rows_in(
            conn, "SELECT number FROM kb_documents WHERE number IS NOT NULL AND document_id IN", ids
        )
    }
    touched.orphans = {
        (int(r[0]), r[1])
        for r in rows_in(
            conn, "SELECT document_id, language FROM kb_closest WHERE other_id IN", ids
        )
        if int(r[0]) not in wanted
    }
    for r in [
        *rows_in(conn, "SELECT first_id, second_id FROM kb_twins WHERE first_id IN", ids),
        *rows_in(conn, "SELECT first_id, second_id FROM kb_twins WHERE second_id IN", ids),
    ]:
        touched.neighbours |= {int(r[0]), int(r[1])} - wanted
    for table, column in (
        ("kb_chunk_areas", "document_id"),
        ("kb_mentions", "document_id"),
        ("kb_citations", "document_id"),
        ("kb_agreements", "document_id"),
        ("kb_documents", "document_id"),
        ("kb_closest", "document_id"),
        ("kb_closest", "other_id"),
        ("kb_twins", "first_id"),
        ("kb_twins", "second_id"),
    ):
        for part in _parts(ids):
            conn.execute(f"DELETE FROM {table} WHERE {column} IN ({_marks(part)})", part)
    return touched


@dataclass
class _Context:
    """Librarians' corrections every derived document reads, loaded once per update."""

    fixes: dict[str, dict[str, str | None]]
    splits: dict[tuple[str, str], str]
    signed: dict[int, str | None]

    @classmethod
    def load(cls, conn: Connection) -> _Context:
        return cls(
            fixes=_partner_fixes(conn),
            splits={
                (r["key"], r["surface"]): r["new_key"]
                for r in conn.execute("SELECT key, surface, new_key FROM kb_partner_splits")
            },
            signed={
                int(r["document_id"]): r["signed"]
                for r in conn.execute("SELECT document_id, signed FROM kb_agreement_corrections")
            },
        )


def _derive(
    conn: Connection,
    catalog: Catalog,
    ids: Sequence[int],
    vectors: Vectors | None,
    area_set: _AreaSet,
    context: _Context,
    touched: _Touched,
) -> None:
    """Read these documents' chunks and write their areas, mentions, citations, agreement, facts."""
    documents = catalog.documents_by_ids(ids)
    ids = [i for i in ids if i in documents]  # deleted since: the next update forgets nothing
    stamps = {
        int(r[0]): r[1]
        for r in rows_in(conn, f"SELECT d.id, {schema.STAMP} FROM documents d WHERE d.id IN", ids)
    }
    chunks = [
        ChunkRow(**dict(r))
        for r in rows_in(
            conn, f"SELECT {CHUNK_FIELDS} FROM chunks WHERE document_id IN", ids, "ORDER BY id"
        )
    ]
    chunks.sort(key=lambda c: c.id)
    texts = [_text(c) for c in chunks]
    similarities, present = _similarities(vectors, area_set, chunks)
    tags = areas.tag_passages([c.id for c in chunks], texts, area_set.definitions, similarities)
    document_of = {c.id: c.document_id for c in chunks}
    conn.executemany(
        "INSERT INTO kb_chunk_areas VALUES (?, ?, ?, ?, ?)",
        [
            (t.chunk_id, document_of[t.chunk_id], t.area, t.score, ",".join(t.evidence))
            for t in tags
        ],
    )

    mentions = [
        _split(m, context.splits)
        for c, text in zip(chunks, texts, strict=True)
        for m in partners.find_mentions(c.id, text)
    ]
    rows = set()
    for m in mentions:
        partner_id = _partner_id(conn, _final(context.fixes, m.key))
        touched.partners.add(partner_id)
        rows.add(
            (partner_id, document_of[m.chunk_id], m.chunk_id, m.surface, m.key, m.name, m.country)
        )
    conn.executemany("INSERT INTO kb_mentions VALUES (?, ?, ?, ?, ?, ?, ?)", sorted(rows, key=str))

    cites: dict[int, dict[str, relations.Citation]] = defaultdict(dict)
    bodies: dict[int, list[str]] = defaultdict(list)
    for c, text in zip(chunks, texts, strict=True):
        bodies[c.document_id].append(text)
        own = documents[c.document_id].number
        for cite in relations.find_citations(c.id, text, own):
            cites[c.document_id].setdefault(cite.number, cite)
    for document_id in ids:
        doc = documents[document_id]
        body = "\n".join(bodies.get(document_id, []))
        for cite in cites.get(document_id, {}).values():
            conn.execute(
                "INSERT INTO kb_citations VALUES (?, ?, ?, ?, ?, ?)",
                (document_id, cite.chunk_id, cite.number, cite.doc_type, cite.relation, None),
            )
            touched.numbers.add(cite.number)
        if agreements.is_agreement(doc.doc_type, doc.title, body):
            signed = context.signed.get(document_id) or doc.issue_date
            term = agreements.read_term(body, signed)
            funding = [
                {"amount": f.amount, "currency": f.currency, "sentence": f.sentence}
                for f in agreements.read_funding(body)
            ]
            conn.execute(
                "INSERT INTO kb_agreements VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    document_id,
                    signed,
                    term.effective,
                    term.duration_months,
                    term.duration_text,
                    term.expires,
                    json.dumps(funding, ensure_ascii=False),
                ),
            )
        number = relations.normalize_number(doc.number) if doc.number else None
        if number:
            touched.numbers.add(number)
        own_chunks = [c.id for c in chunks if c.document_id == document_id]
        with_vectors = area_set.vectors is not None and all(i in present for i in own_chunks)
        conn.execute(
            "INSERT INTO kb_documents VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                document_id,
                stamps[document_id],
                1 if with_vectors else 0,
                doc.languages[0] if doc.languages else "",
                number,
                json.dumps(sorted(cites.get(document_id, {}))),
                json.dumps(sorted(twins.figures(body))),
            ),
        )


def _text(chunk: ChunkRow) -> str:
    """What extraction reads: the restored text where accents were restored, with the original
    (an OCR slip the restorer changed still matches a folded keyword in one of them)."""
    if chunk.text_restored and chunk.text_restored != chunk.text:
        return f"{chunk.text_restored}\n{chunk.text}"
    return chunk.text


def _similarities(
    index: Vectors | None, area_set: _AreaSet, chunks: list[ChunkRow]
) -> tuple[np.ndarray | None, set[int]]:
    """((passages x areas) best cosine between each passage's stored vector and the area's phrases,
    NaN where a passage has no vector yet; the ids of the passages that have one). None without an
    index or area vectors: keywords alone then decide."""
    if index is None or area_set.vectors is None or not chunks:
        return None, set()
    ids = np.asarray([c.id for c in chunks], dtype=np.int64)
    has = index.contains(ids) if len(index) else np.zeros(len(ids), dtype=bool)
    rows = np.flatnonzero(has)
    result = np.full((len(chunks), len(area_set.vectors)), np.nan, dtype=np.float32)
    if len(rows):
        stored = index.vectors([int(i) for i in ids[rows]])
        for column, phrases in enumerate(area_set.vectors):
            if len(phrases):  # an area without phrases is found by its keywords alone
                result[rows, column] = (stored @ phrases.T).max(axis=1)
    return result, {int(i) for i in ids[rows]}


# -- partners --------------------------------------------------------------------------------


def _partner_fixes(conn: Connection) -> dict[str, dict[str, str | None]]:
    fixes: dict[str, dict[str, str | None]] = defaultdict(dict)
    for row in conn.execute("SELECT key, field, value FROM kb_partner_corrections"):
        fixes[row["key"]][row["field"]] = row["value"]
    return fixes


def _final(fixes: dict[str, dict[str, str | None]], key: str) -> str:
    """The key a mention's partner ends at after the librarians' merges."""
    hops = 0
    while (target := fixes.get(key, {}).get("merge_into")) and hops < 20:
        key, hops = target, hops + 1
    return key


def _partner_id(conn: Connection, key: str) -> int:
    """The stable id of a partner key (``kb_partner_ids`` is never cleared, so links keep working)."""
    conn.execute("INSERT INTO kb_partner_ids(key) VALUES (?) ON CONFLICT(key) DO NOTHING", (key,))
    return int(conn.execute("SELECT id FROM kb_partner_ids WHERE key = ?", (key,)).fetchone()[0])


def _split(mention: partners.Mention, splits: dict[tuple[str, str], str]) -> partners.Mention:
    """A mention written as a surface a librarian split off goes to the partner made for it."""
    new_key = splits.get((mention.key, mention.surface))
    if new_key is None:
        return mention
    return partners.Mention(
        mention.chunk_id, new_key, mention.surface, mention.surface, mention.country
    )


def _write_partners(
    conn: Connection, ids: set[int], fixes: dict[str, dict[str, str | None]]
) -> None:
    """Write these partners' rows from their mentions: the name and country of the first mention
    written with the partner's own key (else of any merged in), with the corrections over them;
    a partner no document names any more has no row."""
    for partner_id in sorted(ids):
        conn.execute("DELETE FROM kb_partners WHERE id = ?", (partner_id,))
        key = conn.execute("SELECT key FROM kb_partner_ids WHERE id = ?", (partner_id,)).fetchone()
        if key is None:
            continue
        sample = conn.execute(
            "SELECT name, country FROM kb_mentions WHERE partner_id = ? "
            "ORDER BY CASE WHEN key = ? THEN 0 ELSE 1 END, chunk_id, key LIMIT 1",
            (partner_id, key[0]),
        ).fetchone()
        if sample is None:
            continue
        own = fixes.get(key[0], {})
        country = own.get("country") or sample["country"]
        conn.execute(
            "INSERT INTO kb_partners VALUES (?, ?, ?, ?, ?, ?)",
            (
                partner_id,
                key[0],
                own.get("name") or sample["name"],
                country,
                "vietnamese" if country == partners.VIETNAM else "foreign",
                1 if own.get("confirmed") else 0,
            ),
        )


def _retarget(conn: Connection, numbers: set[str]) -> None:
    """Link the citations of these numbers to the document carrying the number (the newest when
    several do), or to none."""
    for number in sorted(numbers):
        target = conn.execute(
            "SELECT max(document_id) FROM kb_documents WHERE number = ?", (number,)
        ).fetchone()[0]
        conn.execute(
            "UPDATE kb_citations SET target_document_id = "
            "CASE WHEN document_id = ? THEN NULL ELSE CAST(? AS BIGINT) END WHERE number = ?",
            (target, target, number),
        )


# -- twins -----------------------------------------------------------------------------------


class _Twins:
    """Twins among changed documents and their neighbours.

    ``kb_closest`` keeps, per document and language, the most similar document in that language
    among those compared with it; twins are judged on those pairs only (``twins.judge`` needs one
    of the two to be the other's closest). A new document is compared with its candidates and
    offered to each as their closest; a document whose closest went away looks again among its own.
    """

    def __init__(self, conn: Connection, index: Vectors) -> None:
        self.conn = conn
        self.index = index
        self._vectors: dict[int, np.ndarray] = {}
        self._sides: dict[int, twins.Side | None] = {}

    def update(self, changed: Sequence[int], touched: _Touched) -> None:
        affected = set(touched.neighbours)
        live = [d for d in changed if self.side(d) is not None and len(self.vectors(d))]
        orphans = [(d, language) for d, language in sorted(touched.orphans) if len(self.vectors(d))]
        found = self.candidates([*live, *(d for d, _ in orphans)])
        for document_id in live:
            affected.add(document_id)
            affected |= self.compare(document_id, found[document_id])
        for document_id, language in orphans:
            affected.add(document_id)
            others = [o for o in found[document_id] if self.language(o) == language]
            affected |= self.compare(document_id, others)
        self.judge(affected)

    def compare(self, document_id: int, others: list[int]) -> set[int]:
        """Offer the document and each of the others to one another as closest; the documents
        whose closest changed."""
        scores = twins.similarities(self.vectors(document_id), [self.vectors(o) for o in others])
        changed = set()
        for other, score in zip(others, scores, strict=True):
            for one, two in ((document_id, other), (other, document_id)):
                if self._offer(one, self.language(two) or "", two, score):
                    changed.add(one)
        return changed

    def _offer(self, document_id: int, language: str, other: int, score: float) -> bool:
        row = self.conn.execute(
            "SELECT other_id, score FROM kb_closest WHERE document_id = ? AND language = ?",
            (document_id, language),
        ).fetchone()
        if row is not None and (row[1] > score or (row[1] == score and row[0] <= other)):
            return False
        self.conn.execute(
            "INSERT INTO kb_closest VALUES (?, ?, ?, ?) ON CONFLICT(document_id, language) "
            "DO UPDATE SET other_id = excluded.other_id, score = excluded.score",
            (document_id, language, other, score),
        )
        return True

    def judge(self, affected: set[int]) -> None:
        """Judge again every pair in which an affected document is or has a closest."""
        pairs: dict[tuple[int, int], float] = {}
        for part in _parts(sorted(affected)):
            marks = _marks(part)
            self.conn.execute(f"DELETE FROM kb_twins WHERE first_id IN ({marks})", part)
            self.conn.execute(f"DELETE FROM kb_twins WHERE second_id IN ({marks})", part)
            for sql in (
                f"SELECT document_id, other_id, score FROM kb_closest WHERE document_id IN ({marks})",
                f"SELECT document_id, other_id, score FROM kb_closest WHERE other_id IN ({marks})",
            ):
                for r in self.conn.execute(sql, part):
                    a, b = sorted((int(r[0]), int(r[1])))
                    pairs[(a, b)] = float(r[2])
        for (a, b), score in sorted(pairs.items()):
            first, second = self.side(a), self.side(b)
            if first is None or second is None:
                continue
            twin = twins.judge(
                first, second, score, self._closest(a, second) == b, self._closest(b, first) == a
            )
            if twin is not None:
                self.conn.execute(
                    "INSERT INTO kb_twins VALUES (?, ?, ?, ?, ?)",
                    (twin.first, twin.second, twin.kind, twin.score, json.dumps(twin.evidence)),
                )

    def _closest(self, document_id: int, other: twins.Side) -> int | None:
        row = self.conn.execute(
            "SELECT other_id FROM kb_closest WHERE document_id = ? AND language = ?",
            (document_id, other.language or ""),
        ).fetchone()
        return int(row[0]) if row else None

    def candidates(self, document_ids: Sequence[int]) -> dict[int, list[int]]:
        """Per document, the documents owning the nearest passages of its mean and of a few of
        its passages (``NEIGHBOURS``); one batched search for them all (a search per probe costs
        many times more, most of all on a busy machine)."""
        probes: list[np.ndarray] = []
        prober: list[int] = []
        for document_id in document_ids:
            own = self.vectors(document_id)
            step = max(1, len(own) // (PROBES - 1))
            mine = [own.mean(axis=0), *[own[i] for i in range(0, len(own), step)][: PROBES - 1]]
            probes += mine
            prober += [document_id] * len(mine)
        ranked = (
            [[int(i) for i in ids] for ids, _ in self.index.search_many(np.stack(probes), DEPTH)]
            if probes
            else []
        )
        every = sorted({i for ids in ranked for i in ids})
        owner = {
            int(r[0]): int(r[1])
            for r in rows_in(self.conn, "SELECT id, document_id FROM chunks WHERE id IN", every)
        }
        near: dict[int, set[int]] = {d: set() for d in document_ids}
        for document_id, ids in zip(prober, ranked, strict=True):
            found: list[int] = []
            for o in dict.fromkeys(owner[i] for i in ids if i in owner):
                if o != document_id and self.side(o) is not None and len(self.vectors(o)):
                    found.append(o)
                    if len(found) == NEIGHBOURS:
                        break
            near[document_id] |= set(found)
        return {document_id: sorted(others) for document_id, others in near.items()}

    def vectors(self, document_id: int) -> np.ndarray:
        """The document's passage vectors the index holds (none: it takes no part in twins)."""
        if document_id not in self._vectors:
            ids = np.asarray(
                [
                    int(r[0])
                    for r in self.conn.execute(
                        "SELECT id FROM chunks WHERE document_id = ? ORDER BY id", (document_id,)
                    )
                ],
                dtype=np.int64,
            )
            present = ids[self.index.contains(ids)] if len(ids) else ids
            self._vectors[document_id] = self.index.vectors([int(i) for i in present])
        return self._vectors[document_id]

    def language(self, document_id: int) -> str | None:
        """The language the document counts in for "closest" ("" unknown; None: not derived)."""
        side = self.side(document_id)
        return None if side is None else side.language or ""

    def side(self, document_id: int) -> twins.Side | None:
        """What twin detection reads of a document, from its derived facts (None: not derived)."""
        if document_id not in self._sides:
            row = self.conn.execute(
                "SELECT language, number, cites, figures FROM kb_documents WHERE document_id = ?",
                (document_id,),
            ).fetchone()
            self._sides[document_id] = (
                None
                if row is None
                else twins.Side(
                    document_id=document_id,
                    language=row["language"] or None,
                    number=row["number"],
                    cites=frozenset(json.loads(row["cites"])),
                    figures=frozenset(json.loads(row["figures"])),
                )
            )
        return self._sides[document_id]


# -- area vectors ----------------------------------------------------------------------------


def prepare_area_vectors(catalog: Catalog, embedder: Embedder) -> int:
    """Embed and cache every area's phrases for this model now (at server start), so no request
    pays for it; returns how many areas needed embedding (0 once cached for this model)."""
    schema.install(catalog)
    rows = catalog.query("SELECT key, keywords, phrases FROM kb_areas ORDER BY position")
    cached = {
        r["area"]
        for r in catalog.query(
            "SELECT area FROM kb_area_vectors WHERE fingerprint = ?", (embedder.fingerprint,)
        )
    }
    for row in rows:
        _area_vectors(catalog, embedder.fingerprint, row, embedder)
    return len({r["key"] for r in rows} - cached)


def _area_vectors(
    catalog: Catalog, fingerprint: str, row: Any, embedder: Embedder | None
) -> np.ndarray | None:
    """The area's phrase vectors for this model, from the cache or embedded (and cached) now."""
    key, phrases = row["key"], json.loads(row["phrases"])
    digest = hashlib.sha256(json.dumps(phrases, ensure_ascii=False).encode()).hexdigest()[:16]
    cached = catalog.query(
        "SELECT digest, vectors FROM kb_area_vectors WHERE fingerprint = ? AND area = ?",
        (fingerprint, key),
    )
    if cached and cached[0]["digest"] == digest:
        return np.frombuffer(cached[0]["vectors"], dtype=np.float32).reshape(len(phrases), -1)
    if embedder is None or embedder.fingerprint != fingerprint:
        return None
    vectors = embedder.embed_queries(phrases).astype(np.float32)
    with catalog.transaction(documents_changed=False) as conn:
        conn.execute(
            "INSERT INTO kb_area_vectors VALUES (?, ?, ?, ?) ON CONFLICT(fingerprint, area) "
            "DO UPDATE SET digest = excluded.digest, vectors = excluded.vectors",
            (fingerprint, key, digest, vectors.tobytes()),
        )
    return vectors


def open_vectors(index_dir: Path | None, catalog: Catalog | None = None) -> Vectors | None:
    """The vectors published in ``index_dir``, or else kept in the catalog's database, for a
    process that holds no search engine."""
    if index_dir is None or not (index_dir / PARAMS_FILE).exists():
        return stored_vectors(catalog) if catalog is not None and catalog.postgres else None
    try:
        params = IndexParams.from_json(
            json.loads((index_dir / PARAMS_FILE).read_text(encoding="utf-8"))
        )
        return VectorIndex.open(index_dir, params.model, params.dimension, params.fingerprint)
    except (OSError, ValueError, TypeError):
        return None


def _state(catalog: Catalog) -> dict[str, str]:
    """What the knowledge base was derived with: the schema version, the vectors' model."""
    return {r["key"]: r["value"] for r in catalog.query("SELECT key, value FROM kb_state")}


# -- SQL helpers -----------------------------------------------------------------------------


def _parts(ids: Iterable[int], size: int = IN_LIST) -> Iterator[list[int]]:
    values = list(ids)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def rows_in(conn: Connection | Catalog, sql: str, ids: Iterable[int], tail: str = "") -> list[Any]:
    """Rows of ``sql IN (ids)``, asked in parts."""
    rows: list[Any] = []
    for part in _parts(ids):
        statement = f"{sql} ({_marks(part)}) {tail}"
        if isinstance(conn, Catalog):
            rows += conn.query(statement, part)
        else:
            rows += conn.execute(statement, part).fetchall()
    return rows
