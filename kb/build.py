"""Rebuild the knowledge base from the catalog: areas, partners, agreements, citations.

Why a whole rebuild: every fact here is derived from the catalog's documents and chunks plus the
librarians' corrections, so rebuilding is the simplest way to be right after any ingest, edit or
delete, and the way to heal after a crash. ``ensure_current`` rebuilds only when the catalog (or the
vector index) has moved on since the last build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from catalog import Catalog, ChunkRow, DocumentRow
from catalog.db import Connection
from kb import agreements, areas, partners, relations, schema, twins
from kb.records import RebuildReport
from models import Embedder
from search.snapshot import MANIFEST_FILE
from search.vectors import PARAMS_FILE, IndexParams, VectorIndex

logger = logging.getLogger("hoptac")
_lock = threading.Lock()


def ensure_current(
    catalog: Catalog, index_dir: Path | None = None, embedder: Embedder | None = None
) -> RebuildReport | None:
    """Rebuild when the catalog or the vector index changed since the last build, or when it was
    built from keywords alone (a CLI without the model) and the model is here now; else None."""
    schema.install(catalog)
    with _lock:
        state = _state(catalog)
        current = all(state.get(k) == v for k, v in _wanted_state(catalog, index_dir).items())
        can_do_better = (
            embedder is not None
            and state.get("vectors") == "0"
            and _index_generation(index_dir).startswith(f"{embedder.fingerprint}@")
        )
        if current and not can_do_better:
            return None
        return _rebuild(catalog, index_dir, embedder)


def rebuild(
    catalog: Catalog, index_dir: Path | None = None, embedder: Embedder | None = None
) -> RebuildReport:
    """Rebuild everything now (``hoptac kb rebuild``, and after each librarian correction)."""
    schema.install(catalog)
    with _lock:
        return _rebuild(catalog, index_dir, embedder)


def _rebuild(catalog: Catalog, index_dir: Path | None, embedder: Embedder | None) -> RebuildReport:
    started = time.perf_counter()
    wanted = _wanted_state(catalog, index_dir)
    documents = catalog.list_documents()
    chunks = [c for batch in catalog.iter_chunks() for c in batch]
    texts = [_text(c) for c in chunks]
    area_rows = catalog.query("SELECT key, keywords, phrases FROM kb_areas ORDER BY position")
    definitions = [
        areas.AreaDefinition(r["key"], tuple(json.loads(r["keywords"]))) for r in area_rows
    ]
    stored = _stored_vectors(index_dir, chunks)
    similarities = _similarities(catalog, stored, embedder, area_rows, chunks)
    tags = areas.tag_passages([c.id for c in chunks], texts, definitions, similarities)

    mentions = [
        m for c, text in zip(chunks, texts, strict=True) for m in partners.find_mentions(c.id, text)
    ]
    mentions = _apply_splits(catalog, mentions)
    document_of = {c.id: c.document_id for c in chunks}
    numbers = {d.id: d.number for d in documents}
    citations = [
        cite
        for c, text in zip(chunks, texts, strict=True)
        for cite in relations.find_citations(c.id, text, numbers.get(c.document_id))
    ]
    by_number = {relations.normalize_number(d.number): d.id for d in documents if d.number}
    chunks_of: dict[int, list[str]] = defaultdict(list)
    for c, text in zip(chunks, texts, strict=True):
        chunks_of[c.document_id].append(text)
    twin_pairs = _twins(documents, chunks, chunks_of, citations, stored)

    with catalog.transaction(documents_changed=False) as conn:
        for table in schema.DERIVED_TABLES:
            conn.execute(f"DELETE FROM {table}")
        conn.executemany(
            "INSERT INTO kb_chunk_areas VALUES (?, ?, ?, ?, ?)",
            [
                (t.chunk_id, document_of[t.chunk_id], t.area, t.score, ",".join(t.evidence))
                for t in tags
            ],
        )
        ids = _partner_ids(conn, mentions)
        conn.executemany(
            "INSERT INTO kb_mentions VALUES (?, ?, ?, ?, ?)",
            sorted(
                {
                    (ids[m.key], document_of[m.chunk_id], m.chunk_id, m.surface, m.key)
                    for m in mentions
                }
            ),
        )
        seen: set[tuple[int, str]] = set()
        for cite in citations:
            document_id = document_of[cite.chunk_id]
            if (document_id, cite.number) in seen:
                continue
            seen.add((document_id, cite.number))
            target = by_number.get(cite.number)
            conn.execute(
                "INSERT INTO kb_citations VALUES (?, ?, ?, ?, ?, ?)",
                (
                    document_id,
                    cite.chunk_id,
                    cite.number,
                    cite.doc_type,
                    cite.relation,
                    target if target != document_id else None,
                ),
            )
        conn.executemany(
            "INSERT INTO kb_twins VALUES (?, ?, ?, ?, ?)",
            [(t.first, t.second, t.kind, t.score, json.dumps(t.evidence)) for t in twin_pairs],
        )
        count_agreements = 0
        signed_fixes = {
            r["document_id"]: r["signed"]
            for r in conn.execute("SELECT document_id, signed FROM kb_agreement_corrections")
        }
        for doc in documents:
            body = "\n".join(chunks_of.get(doc.id, []))
            if not agreements.is_agreement(doc.doc_type, doc.title, body):
                continue
            signed = signed_fixes.get(doc.id) or doc.issue_date
            term = agreements.read_term(body, signed)
            funding = [
                {"amount": f.amount, "currency": f.currency, "sentence": f.sentence}
                for f in agreements.read_funding(body)
            ]
            conn.execute(
                "INSERT INTO kb_agreements VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.id,
                    signed,
                    term.effective,
                    term.duration_months,
                    term.duration_text,
                    term.expires,
                    json.dumps(funding, ensure_ascii=False),
                ),
            )
            count_agreements += 1
        for key, value in {**wanted, "vectors": "1" if similarities is not None else "0"}.items():
            conn.execute(
                "INSERT INTO kb_state VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
    return RebuildReport(
        documents=len(documents),
        passages_tagged=len({t.chunk_id for t in tags}),
        partners=len(set(ids.values())),
        mentions=len(mentions),
        agreements=count_agreements,
        citations=len(seen),
        twins=len(twin_pairs),
        used_vectors=similarities is not None,
        seconds=round(time.perf_counter() - started, 3),
    )


def _text(chunk: ChunkRow) -> str:
    """What extraction reads: the restored text where accents were restored, with the original
    (an OCR slip the restorer changed still matches a folded keyword in one of them)."""
    if chunk.text_restored and chunk.text_restored != chunk.text:
        return f"{chunk.text_restored}\n{chunk.text}"
    return chunk.text


def _partner_ids(conn: Connection, mentions: list[partners.Mention]) -> dict[str, int]:
    """Write the partners of these mentions, corrections applied; returns mention key -> id.

    Ids are stable across rebuilds (``kb_partner_ids`` is never cleared), so links keep working.
    """
    corrections: dict[str, dict[str, str | None]] = defaultdict(dict)
    for row in conn.execute("SELECT key, field, value FROM kb_partner_corrections"):
        corrections[row["key"]][row["field"]] = row["value"]
    first: dict[str, partners.Mention] = {}
    for m in mentions:
        first.setdefault(m.key, m)

    def final(key: str) -> str:
        hops = 0
        while (target := corrections.get(key, {}).get("merge_into")) and hops < 20:
            key, hops = target, hops + 1
        return key

    ids: dict[str, int] = {}
    for key in sorted(first):
        target = final(key)
        conn.execute(
            "INSERT INTO kb_partner_ids(key) VALUES (?) ON CONFLICT(key) DO NOTHING", (target,)
        )
        ids[key] = int(
            conn.execute("SELECT id FROM kb_partner_ids WHERE key = ?", (target,)).fetchone()[0]
        )
    for key in sorted({final(k) for k in first}):
        sample = first.get(key) or next(m for m in mentions if final(m.key) == key)
        fixes = corrections.get(key, {})
        country = fixes.get("country") or sample.country
        conn.execute(
            "INSERT INTO kb_partners VALUES (?, ?, ?, ?, ?, ?)",
            (
                ids[sample.key],
                key,
                fixes.get("name") or sample.name,
                country,
                "vietnamese" if country == partners.VIETNAM else "foreign",
                1 if fixes.get("confirmed") else 0,
            ),
        )
    return ids


def _apply_splits(catalog: Catalog, mentions: list[partners.Mention]) -> list[partners.Mention]:
    """Mentions written as a surface a librarian split off go to the partner made for it."""
    splits = {
        (r["key"], r["surface"]): r["new_key"]
        for r in catalog.query("SELECT key, surface, new_key FROM kb_partner_splits")
    }
    if not splits:
        return mentions
    moved = []
    for m in mentions:
        new_key = splits.get((m.key, m.surface))
        moved.append(
            partners.Mention(m.chunk_id, new_key, m.surface, m.surface, m.country) if new_key else m
        )
    return moved


def _stored_vectors(
    index_dir: Path | None, chunks: list[ChunkRow]
) -> tuple[str, list[int], np.ndarray] | None:
    """(model fingerprint, chunk ids, their vectors) as the search index stores them; None when
    there is no index."""
    index = _open_index(index_dir)
    if index is None or not chunks:
        return None
    have = index.ids()
    present = [c.id for c in chunks if c.id in have]
    return index.params.fingerprint, present, index.vectors(present)


def _similarities(
    catalog: Catalog,
    stored: tuple[str, list[int], np.ndarray] | None,
    embedder: Embedder | None,
    area_rows: list[Any],
    chunks: list[ChunkRow],
) -> np.ndarray | None:
    """(passages x areas) best cosine between each stored passage vector and the area's phrases;
    None when there is no index, or no area vectors for its model and no model to make them."""
    if stored is None:
        return None
    fingerprint, present, vectors_of_present = stored
    area_vectors = []
    for row in area_rows:
        vectors = _area_vectors(catalog, fingerprint, row, embedder)
        if vectors is None:
            logger.info("no area vectors for model %s; areas from keywords only", fingerprint)
            return None
        area_vectors.append(vectors)
    result = np.full((len(chunks), len(area_vectors)), np.nan, dtype=np.float32)
    if not present:
        return result
    row_of = {c.id: i for i, c in enumerate(chunks)}
    rows = [row_of[i] for i in present]
    for column, vectors in enumerate(area_vectors):
        result[rows, column] = (vectors_of_present @ vectors.T).max(axis=1)
    return result


def _twins(
    documents: list[DocumentRow],
    chunks: list[ChunkRow],
    chunks_of: dict[int, list[str]],
    citations: list[relations.Citation],
    stored: tuple[str, list[int], np.ndarray] | None,
) -> list[twins.Twin]:
    """Versions, translations and reports among the documents whose passages are indexed."""
    if stored is None or not stored[1]:
        return []
    _, present, vectors = stored
    document_of = {c.id: c.document_id for c in chunks}
    cites: dict[int, set[str]] = defaultdict(set)
    for cite in citations:
        cites[document_of[cite.chunk_id]].add(cite.number)
    indexed = sorted({document_of[i] for i in present})
    position = {d: i for i, d in enumerate(indexed)}
    by_id = {d.id: d for d in documents}
    sides = []
    for d in indexed:
        doc = by_id[d]
        sides.append(
            twins.Side(
                document_id=d,
                language=doc.languages[0] if doc.languages else None,
                number=relations.normalize_number(doc.number) if doc.number else None,
                cites=frozenset(cites.get(d, set())),
                figures=twins.figures("\n".join(chunks_of.get(d, []))),
            )
        )
    similarity = twins.content_similarity(
        vectors, [position[document_of[i]] for i in present], indexed
    )
    return twins.find_twins(sides, similarity)


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


def _open_index(index_dir: Path | None) -> VectorIndex | None:
    if index_dir is None or not (index_dir / PARAMS_FILE).exists():
        return None
    try:
        params = IndexParams.from_json(
            json.loads((index_dir / PARAMS_FILE).read_text(encoding="utf-8"))
        )
        return VectorIndex.open(index_dir, params.model, params.dimension, params.fingerprint)
    except (OSError, ValueError, TypeError):
        return None


def _index_generation(index_dir: Path | None) -> str:
    if index_dir is None:
        return "none"
    try:
        params = json.loads((index_dir / PARAMS_FILE).read_text(encoding="utf-8"))
        published = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        return f"{params.get('fingerprint')}@{published.get('generation')}"
    except (OSError, ValueError):
        return "none"


def _wanted_state(catalog: Catalog, index_dir: Path | None) -> dict[str, str]:
    return {
        "generation": str(catalog.generation()),
        "index": _index_generation(index_dir),
        "schema": schema.VERSION,
    }


def _state(catalog: Catalog) -> dict[str, str]:
    """What the knowledge base was built from: catalog generation, index, whether vectors were used."""
    return {r["key"]: r["value"] for r in catalog.query("SELECT key, value FROM kb_state")}
