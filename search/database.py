"""The search indexes inside the PostgreSQL catalog (``index_store = database``).

Why: servers sharing one catalog should share its indexes too. With files each server follows the
change log and embeds every passage itself; here a worker embeds a passage once, into
``chunk_vectors`` (pgvector, HNSW), and every server answers from the database at once: nothing
to load at start-up, nothing kept locally, a passage searchable everywhere the moment its vector
is committed. The lexical index is written by the catalog with the chunk rows (catalog/terms.py).

Dense candidates come from one query that orders by inner product with the documents' filters
(clearance included) inside it, so a reader never receives a passage it may not see. Lexical
candidates are BM25 over the folded terms, computed in SQL with bm25s's formula from the stored
term counts, document frequencies and average length, the same quantity search/lexical.py
computes over its segments. Only the passages holding the query's rarest terms are scored unless
the best of them could still be overtaken by one holding only commoner terms (the "max-score"
bound), so common words do not make every query read the whole archive.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from catalog import Catalog, ChunkRow, DocumentFilter
from catalog.schema import CHUNK_FIELDS
from hoptac.vietnamese import folded_tokens
from search.lexical import K1, B
from search.records import SyncReport
from search.store import Embed, Found, Progress
from search.vectors import IndexParams, check_model

#: HNSW graph: links per node and the candidate list while building, and the candidate list while
#: searching; chosen by recall@10 against exact search on the dev passages (bench/hnsw.py):
#: multilingual-e5's vectors crowd into a narrow cone, and pgvector's default build list (64)
#: left a graph that missed too many neighbours.
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 200
EF_SEARCH = 200
#: Memory for building the HNSW graph (it is built much faster when it fits).
INDEX_MEMORY = "1GB"
#: The name of the vector store in ``IndexParams.factory``.
FACTORY = "pgvector-hnsw-halfvec"
#: Passages embedded per transaction.
EMBED_BATCH = 256
#: Passages the rarest query terms may hold before the next commonest term is left to the bound.
LEXICAL_BUDGET = 2_000
#: This store as a reader of the chunk change log (which it only reads to report deletions).
READER = "database"
#: An arbitrary constant naming the lock one embedding writer holds (``pg_advisory_lock``).
EMBED_LOCK = 0x686F70746176


class DatabaseStore:
    """pgvector and the catalog's folded terms, in the catalog's own PostgreSQL database."""

    def __init__(
        self, catalog: Catalog, model: tuple[str, int, str], embed: Embed, writes_index: bool
    ) -> None:
        self.catalog = catalog
        self.model = model
        self.embed = embed
        self.writes_index = writes_index
        self._lock = threading.Lock()
        self._generation = -1
        self._vectors = DatabaseVectors(catalog, IndexParams(*model, factory=FACTORY))

    # -- the model ----------------------------------------------------------------------------

    def built_with(self) -> IndexParams | None:
        """The model the stored vectors were made with (None: none stored yet); IndexMismatch
        when it is not the configured one."""
        if not self.catalog.has_table("vector_model"):
            return None
        rows = self.catalog.query("SELECT model, dimension, fingerprint FROM vector_model")
        if not rows:
            return None
        built = IndexParams(str(rows[0][0]), int(rows[0][1]), str(rows[0][2]), FACTORY)
        check_model(built, *self.model)
        return built

    def _install(self, fresh: bool) -> None:
        """The vector table for the configured model (``fresh``: dropped and made again)."""
        name, dimension, fingerprint = self.model
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vector_model (id integer PRIMARY KEY CHECK (id = 1), "
                "model text NOT NULL, dimension integer NOT NULL, fingerprint text NOT NULL)"
            )
            if fresh:
                conn.execute("DROP TABLE IF EXISTS chunk_vectors")
                conn.execute("DELETE FROM vector_model")
            conn.execute(
                "INSERT INTO vector_model VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (name, dimension, fingerprint),
            )
            conn.execute(
                "CREATE TABLE IF NOT EXISTS chunk_vectors ("
                "chunk_id bigint PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE, "
                f"document_id bigint NOT NULL, embedding halfvec({int(dimension)}) NOT NULL)"
            )
            conn.execute(
                "CREATE INDEX IF NOT EXISTS chunk_vectors_document ON chunk_vectors(document_id)"
            )

    def _index(self) -> None:
        """The HNSW graph; built after a first fill (much faster than growing it passage by
        passage), then kept current by every insert. Until then searches are exact."""
        if self.catalog.query("SELECT to_regclass('chunk_vectors_hnsw') IS NOT NULL")[0][0]:
            return
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
            conn.execute(
                "CREATE INDEX IF NOT EXISTS chunk_vectors_hnsw ON chunk_vectors "
                f"USING hnsw (embedding halfvec_ip_ops) WITH (m = {HNSW_M}, "
                f"ef_construction = {HNSW_EF_CONSTRUCTION})"
            )

    # -- keeping the vectors current ----------------------------------------------------------

    def sync(self, fresh: bool, on_progress: Progress | None = None) -> SyncReport:
        """Embed the passages that have no vector yet, a transaction per batch (upserts: a worker
        killed half way leaves batches the next sync completes). One embedding writer at a time;
        another waits for it, then finds little left. A reader only checks the model."""
        return self._sync(fresh, on_progress, wait=True)

    def _sync(self, fresh: bool, on_progress: Progress | None, wait: bool) -> SyncReport:
        started = time.perf_counter()
        generation = self.catalog.generation()
        if not self.writes_index and not fresh:
            self.built_with()
            return self._report(0, generation, started)
        with self._lock:
            if wait:
                self.catalog.query("SELECT pg_advisory_lock(?)", (EMBED_LOCK,))
            elif not self.catalog.query("SELECT pg_try_advisory_lock(?)", (EMBED_LOCK,))[0][0]:
                self.built_with()  # another process is embedding: search what is there
                return self._report(0, generation, started)
            try:
                if not fresh:
                    self.built_with()
                self._install(fresh)
                if fresh:
                    self.catalog.recount_terms()
                seq, removed = self._removed()
                added = self._embed_missing(on_progress)
                self._index()
                self.catalog.forget_changes(seq, READER)
            finally:
                self.catalog.query("SELECT pg_advisory_unlock(?)", (EMBED_LOCK,))
            self._generation = generation
        return self._report(added, generation, started, removed)

    def _removed(self) -> tuple[int, int]:
        """(the change log's last position, passages deleted since the last sync read it): the
        vectors went with them; the log only tells how many, for the report."""
        row = self.catalog.query("SELECT seq FROM change_readers WHERE reader = ?", (READER,))
        seq, changed = self.catalog.changed_chunks(int(row[0][0]) if row else 0)
        if not changed:
            return seq, 0
        present = self.catalog.query(
            "SELECT count(*) FROM chunks WHERE id = ANY(?)", (sorted(changed),)
        )
        return seq, len(changed) - int(present[0][0])

    def _report(self, added: int, generation: int, started: float, removed: int = 0) -> SyncReport:
        return SyncReport(
            added=added,
            removed=removed,
            total=len(self._vectors),
            generation=generation,
            seconds=round(time.perf_counter() - started, 3),
        )

    def _embed_missing(self, on_progress: Progress | None) -> int:
        total = self.lag()
        done = 0
        last = 0
        while True:
            rows = self.catalog.query(
                f"SELECT {CHUNK_FIELDS} FROM chunks c WHERE c.id > ? AND NOT EXISTS "
                "(SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id) ORDER BY c.id LIMIT ?",
                (last, EMBED_BATCH),
            )
            if on_progress:
                on_progress(done, max(total, done))
            if not rows:
                return done
            chunks = [ChunkRow(**dict(r)) for r in rows]
            vectors = self.embed(chunks)
            with self.catalog.transaction(documents_changed=False) as conn:
                # A passage deleted meanwhile has no row to join: its vector is not written.
                conn.execute(
                    "INSERT INTO chunk_vectors (chunk_id, document_id, embedding) "
                    "SELECT c.id, c.document_id, x.embedding::halfvec "
                    "FROM unnest(?::bigint[], ?::text[]) AS x(id, embedding) "
                    "JOIN chunks c ON c.id = x.id "
                    "ON CONFLICT (chunk_id) DO UPDATE SET embedding = excluded.embedding",
                    ([c.id for c in chunks], [vector_text(v) for v in vectors]),
                )
            done += len(chunks)
            last = chunks[-1].id

    def _current(self) -> None:
        """A writer embeds what the catalog gained since it last looked, unless another thread or
        process is embedding; every store refuses another model's vectors."""
        stale = self._generation != self.catalog.generation()
        if self.writes_index and stale and not self._lock.locked():
            self._sync(fresh=False, on_progress=None, wait=False)
        else:
            self.built_with()

    # -- reading ------------------------------------------------------------------------------

    def vector_index(self) -> DatabaseVectors:
        return self._vectors

    def lag(self) -> int:
        self.built_with()
        if not self.catalog.has_table("chunk_vectors"):
            return self.catalog.counts()[1]
        row = self.catalog.query(
            "SELECT count(*) FROM chunks c WHERE NOT EXISTS "
            "(SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id)"
        )[0]
        return int(row[0])

    def holds(self, ids: list[int]) -> np.ndarray:
        return self._vectors.contains(np.asarray(ids, dtype=np.int64))

    def candidates(
        self,
        query_vector: Callable[[], np.ndarray],
        query: str,
        filters: DocumentFilter | None,
        k: int,
    ) -> Found | None:
        self._current()
        if not self.catalog.has_table("chunk_vectors"):
            return None
        qvec = query_vector()
        where, params = self._documents(filters)
        dense_ids, _ = self._vectors.nearest(qvec, k, where, params)
        terms = self._terms(query)
        lexical_ids = terms.best(self.catalog, k, where, params) if terms else []
        ids = list(dict.fromkeys([*dense_ids.tolist(), *lexical_ids]))
        if not ids:
            return None
        # Every candidate's exact evidence: the inner product with its stored vector (a passage
        # not embedded yet is not searchable, as with files) and its BM25.
        dense = dict(
            self.catalog.query(
                "SELECT chunk_id, -(embedding <#> ?::halfvec) FROM chunk_vectors "
                "WHERE chunk_id = ANY(?)",
                (vector_text(qvec), ids),
            )
        )
        ids = [i for i in ids if i in dense]
        lexical = terms.scores(self.catalog, ids) if terms else {}
        return Found(
            np.asarray(ids, dtype=np.int64),
            np.asarray([dense[i] for i in ids], dtype=np.float32),
            np.asarray([lexical.get(i, 0.0) for i in ids], dtype=np.float32),
        )

    def nearest(
        self, vector: np.ndarray, k: int, filters: DocumentFilter | None
    ) -> tuple[np.ndarray, np.ndarray]:
        self._current()
        where, params = self._documents(filters)
        return self._vectors.nearest(vector, k, where, params)

    def _documents(self, filters: DocumentFilter | None) -> tuple[str, list[object]]:
        """``WHERE`` over ``documents`` for the filters (the catalog's own, clearance included)."""
        if filters is None or filters == DocumentFilter():
            return "", []
        return self.catalog.document_where(filters)

    def _terms(self, query: str) -> QueryTerms | None:
        counts = Counter(folded_tokens(query))
        if not counts:
            return None
        totals = self.catalog.query("SELECT chunks, tokens FROM lexicon_totals")
        n, tokens = (int(totals[0][0]), int(totals[0][1])) if totals else (0, 0)
        if n == 0:
            return None
        df = {
            str(r[0]): int(r[1])
            for r in self.catalog.query(
                "SELECT term, df FROM lexicon_terms WHERE term = ANY(?)", (list(counts),)
            )
        }
        return QueryTerms.of(counts, df, n, tokens / n)


class QueryTerms:
    """A query's folded terms with their BM25 weights (``times · idf``), rarest first."""

    def __init__(self, terms: list[str], weights: list[float], df: list[int], avgdl: float):
        self.terms = terms
        self.weights = weights
        self.df = df
        self.avgdl = avgdl
        self.bound = float(sum(weights))

    @classmethod
    def of(cls, counts: Counter[str], df: dict[str, int], n: int, avgdl: float) -> QueryTerms:
        def idf(term: str) -> float:
            d = df.get(term, 0)
            return float(np.log(1.0 + (n - d + 0.5) / (d + 0.5)))

        order = sorted(counts, key=lambda t: (df.get(t, 0), t))
        return cls(
            order,
            [counts[t] * idf(t) for t in order],
            [df.get(t, 0) for t in order],
            max(avgdl, 1e-9),
        )

    def _score_sql(self) -> tuple[str, list[object]]:
        """BM25 of each chunk row ``c`` (all the query's terms), and its parameters. Only the
        query's lexemes are unnested: ``setweight`` marks them and ``ts_filter`` keeps them, in C,
        so scoring a row costs its few matching terms, not its hundreds of words."""
        sql = (
            "(SELECT coalesce(sum(q.w * array_length(u.positions, 1) / "
            "(array_length(u.positions, 1) + ? * (1 - ? + ? * c.term_count / ?))), 0) "
            "FROM unnest(ts_filter(setweight(c.terms, 'A', ?::text[]), '{a}')) u "
            "JOIN unnest(?::text[], ?::float8[]) q(term, w) ON q.term = u.lexeme)"
        )
        return sql, [K1, B, B, self.avgdl, self.terms, self.terms, self.weights]

    def best(self, catalog: Catalog, k: int, where: str, params: Sequence[object]) -> list[int]:
        """The ``k`` chunks (of the filtered documents) with the highest BM25 above 0.

        Max-score: the rows holding the rarest terms are scored (all the query's terms); a row
        holding none of them scores below the sum of the other terms' weights, so once the k-th
        best reaches that sum no other row can enter, and the result is exact. The commoner terms
        join one by one while their rows stay within ``LEXICAL_BUDGET``; past it the candidates
        are those of the rarer terms (the common words' rows are scored only as the dense
        candidates' evidence). When even the rarest term is that common, the rows holding the
        rarest three together are scored instead.
        """
        if self.bound <= 0:
            return []
        documents = f"AND document_id IN (SELECT id FROM documents {where})" if where else ""
        if self.df[0] > LEXICAL_BUDGET:
            rarest = self.terms[: min(3, len(self.terms))]
            return self._top(catalog, k, " & ".join(f"'{t}'" for t in rarest), documents, params)
        essential = 1
        while essential < len(self.terms) and sum(self.df[: essential + 1]) <= LEXICAL_BUDGET:
            essential += 1
        while True:
            rows = self._rows(catalog, k, tsquery(self.terms[:essential]), documents, params)
            rest = sum(self.weights[essential:])
            kth = float(rows[-1][1]) if len(rows) == k else 0.0
            affordable = sum(self.df[: essential + 1]) <= LEXICAL_BUDGET
            if essential == len(self.terms) or kth >= rest or not affordable:
                return [int(r[0]) for r in rows if float(r[1]) > 0]
            essential += 1

    def _top(
        self, catalog: Catalog, k: int, query: str, documents: str, params: Sequence[object]
    ) -> list[int]:
        return [int(r[0]) for r in self._rows(catalog, k, query, documents, params) if r[1] > 0]

    def _rows(
        self, catalog: Catalog, k: int, query: str, documents: str, params: Sequence[object]
    ) -> list[Any]:
        """(id, BM25) of the ``k`` best rows matching the tsquery ``query``; at most a few times
        ``LEXICAL_BUDGET`` rows are scored, whatever the query."""
        score, score_params = self._score_sql()
        return catalog.query(
            f"SELECT c.id, {score} AS s FROM (SELECT id, terms, term_count FROM chunks "
            f"WHERE terms @@ ?::tsquery {documents} "
            "LIMIT ?) c ORDER BY s DESC, c.id LIMIT ?",
            [*score_params, query, *params, 4 * LEXICAL_BUDGET, k],
        )

    def scores(self, catalog: Catalog, ids: list[int]) -> dict[int, float]:
        """Each chunk's BM25 as a share of the query's IDF mass (search/lexical.py)."""
        if not ids or self.bound <= 0:
            return {}
        score, score_params = self._score_sql()
        rows = catalog.query(
            f"SELECT c.id, {score} FROM chunks c WHERE c.id = ANY(?)", [*score_params, ids]
        )
        return {int(r[0]): float(r[1]) / self.bound for r in rows}


class DatabaseVectors:
    """The stored vectors, as the knowledge base and ``similar`` read them (``search.store.Vectors``)."""

    def __init__(self, catalog: Catalog, params: IndexParams) -> None:
        self.catalog = catalog
        self.params = params

    def _ready(self) -> bool:
        return self.catalog.has_table("chunk_vectors")

    def __len__(self) -> int:
        if not self._ready():
            return 0
        return int(self.catalog.query("SELECT count(*) FROM chunk_vectors")[0][0])

    def contains(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids) or not self._ready():
            return np.zeros(len(ids), dtype=bool)
        held = {
            int(r[0])
            for r in self.catalog.query(
                "SELECT chunk_id FROM chunk_vectors WHERE chunk_id = ANY(?)", (ids.tolist(),)
            )
        }
        return np.asarray([int(i) in held for i in ids], dtype=bool)

    def vectors(self, ids: list[int]) -> np.ndarray:
        out = np.zeros((len(ids), self.params.dimension), dtype=np.float32)
        if not ids or not self._ready():
            return out
        rows = self.catalog.query(
            "SELECT chunk_id, embedding::text FROM chunk_vectors WHERE chunk_id = ANY(?)",
            ([int(i) for i in ids],),
        )
        found = {int(r[0]): parse_vector(str(r[1])) for r in rows}
        for row, chunk_id in enumerate(ids):
            if int(chunk_id) in found:
                out[row] = found[int(chunk_id)]
        return out

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None:
            return self.nearest(query, k, "", [], allowed)
        return self.nearest(query, k, "", [])

    def search_many(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        return [self.search(query, k, allowed) for query in queries]

    def nearest(
        self,
        query: np.ndarray,
        k: int,
        where: str,
        params: Sequence[object],
        allowed: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (chunk ids, inner products) among the passages of documents matching
        ``where`` (over ``documents``), by the HNSW index; the filter is part of the query, and
        the index scan goes on (iteratively) until enough passages pass it."""
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if k <= 0 or not self._ready() or (allowed is not None and not len(allowed)):
            return empty
        clauses = []
        args: list[Any] = [vector_text(query)]
        if where:
            clauses.append(f"v.document_id IN (SELECT id FROM documents {where})")
            args.extend(params)
        if allowed is not None:
            clauses.append("v.chunk_id = ANY(?)")
            args.append([int(i) for i in allowed])
        tune(self.catalog)
        rows = self.catalog.query(
            "SELECT v.chunk_id, v.embedding <#> ?::halfvec AS distance FROM chunk_vectors v "
            + ("WHERE " + " AND ".join(clauses) if clauses else "")
            + " ORDER BY distance LIMIT ?",
            [*args, k],
        )
        if not rows:
            return empty
        ids = np.asarray([int(r[0]) for r in rows], dtype=np.int64)
        scores = -np.asarray([float(r[1]) for r in rows], dtype=np.float32)
        order = np.argsort(-scores, kind="stable")  # relaxed order: nearly sorted
        return ids[order], scores[order]


def tune(catalog: Catalog) -> None:
    """This connection's HNSW search settings: the candidate list, and iterative scans, so a
    filtered query still finds ``k`` passages that pass the filter (set before every query: a
    thread's connection may be new)."""
    catalog.query(
        "SELECT set_config('hnsw.ef_search', ?, false), "
        "set_config('hnsw.iterative_scan', 'relaxed_order', false)",
        (str(EF_SEARCH),),
    )


def vector_text(vector: np.ndarray) -> str:
    """A vector in pgvector's text form."""
    return "[" + ",".join(f"{x:.6g}" for x in np.asarray(vector, dtype=np.float32).tolist()) + "]"


def parse_vector(text: str) -> np.ndarray:
    return np.asarray(text.strip("[]").split(","), dtype=np.float32)


def tsquery(terms: list[str]) -> str:
    """Any of the terms, taken as they are (folded words need no parser)."""
    return " | ".join(f"'{t}'" for t in terms)


def stored_vectors(catalog: Catalog) -> DatabaseVectors | None:
    """The vectors in the catalog's database, with the model they were made with (None: none)."""
    if not catalog.has_table("vector_model"):
        return None
    rows = catalog.query("SELECT model, dimension, fingerprint FROM vector_model")
    if not rows:
        return None
    return DatabaseVectors(
        catalog, IndexParams(str(rows[0][0]), int(rows[0][1]), str(rows[0][2]), FACTORY)
    )
