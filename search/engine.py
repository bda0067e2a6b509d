"""The search engine: dense + lexical indexes derived from the catalog, fused per query.

The catalog is the source of truth; ``sync`` reconciles the indexes with it (embeds chunks the
vector index lacks, drops ids the catalog no longer has). Searches read an immutable snapshot of
the indexes, and a sync builds the next snapshot on a copy, so the server can answer searches while
an upload is being ingested and synced.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catalog import Catalog, ChunkRow, DocumentFilter
from hoptac.errors import IndexMismatch, InvalidInput, NotFound
from hoptac.settings import Settings
from ingest.diacritics import restore as restore_diacritics
from ingest.language import detect_language
from models import Embedder, load_embedder
from search.fusion import (
    STRIPPED,
    Candidates,
    FusionWeights,
    QueryProfile,
    fuse,
    profile_query,
)
from search.grouping import group_by_document
from search.lexical import LexicalIndex, folded
from search.records import SearchHit, SearchResponse, SyncReport
from search.snippets import (
    around,
    locate_page,
    mark,
    meaningful_sentences,
    shares_words,
    snippet,
)
from search.vectors import PARAMS_FILE, VectorIndex

#: How many grouped hits the facets count over (and so how deep pagination usefully goes).
FACET_POOL = 50
#: Candidates taken from each of the dense and the lexical index before fusion.
CANDIDATES = 100
#: Passages handed to the embedder at once: it sorts them by length, so a larger batch pads less.
EMBED_BATCH = 256
#: How long a search waits for another thread's sync before answering from the older snapshot.
STALE_WAIT_SECONDS = 5.0
#: Recent query vectors kept (a few hundred KB).
QUERY_CACHE = 512
#: Snippets chosen by meaning cost an embedding of each candidate sentence, so they are made for
#: the first few foreign hits of a page only, from a passage's first sentences (a passage starts
#: with its heading and what it is about), each read up to a bound; later hits keep the lexical one.
SNIPPET_HITS = 3
SNIPPET_SENTENCES = 6
SNIPPET_SENTENCE_CHARS = 200
#: Sentence vectors kept for snippets by meaning (1.5 KB each), so paging costs no embedding.
SENTENCE_CACHE = 4096


@dataclass(frozen=True)
class _Snapshot:
    """Everything a search reads; replaced whole by a sync, never mutated."""

    vectors: VectorIndex
    lexical: LexicalIndex
    row_of: dict[int, int]  # chunk id -> lexical row
    document_ids: np.ndarray  # per lexical row
    languages: list[str | None]  # per lexical row
    stripped: np.ndarray  # per lexical row
    restored: np.ndarray  # per lexical row
    generation: int
    #: The saved vector index this snapshot was loaded from (a reader engine's change signal).
    saved: tuple[int, int] | None = None


class SearchEngine:
    """Hybrid search over the catalog's chunks with the configured embedding model."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        weights: FusionWeights | None = None,
        embedder: Embedder | None = None,
        writes_index: bool = True,
    ) -> None:
        """Load the model once (or reuse ``embedder``) and open the saved vector index.

        With ``writes_index=False`` (the web server) the engine never embeds passages: it searches
        the vectors the ingest worker saved, reloading them when the worker saves again, so OCR
        and embedding never compete with searches in the server's process.
        """
        self.settings = settings
        self.writes_index = writes_index
        self.catalog = catalog
        self.weights = weights or FusionWeights()
        self.embedder: Embedder = embedder or load_embedder(settings)
        # Paging and facet clicks repeat a query: its embedding (most of a search's time) is reused.
        self._query_vector = functools.lru_cache(maxsize=QUERY_CACHE)(self._embed_query)
        self._sentence_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._sentence_lock = threading.Lock()
        #: Restore the accents of a Vietnamese query typed without them before embedding it.
        self.restore_queries = settings.restore_diacritics
        detect_language("warm up the language identifier")
        self._sync_lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self._mismatch: IndexMismatch | None = None
        try:
            self._saved = VectorIndex.open(settings.index_dir, *self._model_params())
        except IndexMismatch as exc:
            self._saved, self._mismatch = None, exc

    def _model_params(self) -> tuple[str, int, str]:
        e = self.embedder
        return e.name, e.dimension, e.fingerprint

    # -- keeping the indexes current ----------------------------------------------------------

    def sync(self, on_progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Reconcile both indexes with the catalog and save the vector index.

        ``on_progress(embedded, to_embed)`` is called before and after each batch of passages.
        """
        if self._mismatch is not None:
            raise self._mismatch
        with self._sync_lock:
            return self._sync(fresh=False, on_progress=on_progress)

    def reindex(self) -> SyncReport:
        """Rebuild everything from the catalog with the configured model (after a model change)."""
        with self._sync_lock:
            report = self._sync(fresh=True)
            self._mismatch = None
            return report

    def _sync(
        self, fresh: bool, on_progress: Callable[[int, int], None] | None = None
    ) -> SyncReport:
        if not self.writes_index and not fresh:
            return self._load_saved()
        started = time.perf_counter()
        generation = self.catalog.generation()
        chunks = [c for batch in self.catalog.iter_chunks() for c in batch]
        current = None if fresh else (self._snapshot.vectors if self._snapshot else self._saved)
        vectors = (
            current.copy() if current is not None else VectorIndex.empty(*self._model_params())
        )
        wanted = {c.id for c in chunks}
        have = vectors.ids()
        stale = have - wanted
        missing = [c for c in chunks if c.id not in have]
        vectors.remove(stale)
        for start in range(0, len(missing), EMBED_BATCH):
            if on_progress:
                on_progress(start, len(missing))
            batch = missing[start : start + EMBED_BATCH]
            texts = [passage_text(c) for c in batch]
            vectors.add([c.id for c in batch], self.embedder.embed_passages(texts))
        if on_progress:
            on_progress(len(missing), len(missing))
        vectors.save(self.settings.index_dir, generation)
        self._snapshot = _build_snapshot(vectors, chunks, generation)
        self._saved = None
        return SyncReport(
            added=len(missing),
            removed=len(stale),
            total=len(vectors),
            generation=generation,
            seconds=round(time.perf_counter() - started, 3),
        )

    def _load_saved(self) -> SyncReport:
        """A reader's sync: the saved vectors, less the chunks the catalog no longer has."""
        started = time.perf_counter()
        generation = self.catalog.generation()
        stamp = _saved_stamp(self.settings.index_dir)
        chunks = [c for batch in self.catalog.iter_chunks() for c in batch]
        try:
            vectors = VectorIndex.open(self.settings.index_dir, *self._model_params())
        except IndexMismatch as error:
            self._mismatch = error
            raise
        vectors = vectors or VectorIndex.empty(*self._model_params())
        stale = vectors.ids() - {c.id for c in chunks}
        vectors.remove(stale)
        self._snapshot = _build_snapshot(vectors, chunks, generation, stamp)
        return SyncReport(
            added=0,
            removed=len(stale),
            total=len(vectors),
            generation=generation,
            seconds=round(time.perf_counter() - started, 3),
        )

    def lag(self) -> int:
        """Catalog passages the searched index does not hold yet (the worker has not embedded)."""
        snap = self._current()
        return len(self.catalog.chunk_ids() - set(snap.row_of))

    def _stale(self, snap: _Snapshot) -> bool:
        """A writer follows the catalog; a reader follows the vectors the worker saves."""
        if self.writes_index:
            return snap.generation != self.catalog.generation()
        return snap.saved != _saved_stamp(self.settings.index_dir)

    def _current(self) -> _Snapshot:
        """The snapshot to search; synced first when the catalog changed since it was built."""
        if self._mismatch is not None:
            raise self._mismatch
        snap = self._snapshot
        if snap is None or self._stale(snap):
            # Another thread may be syncing already: wait a little for it, so a page opened right
            # after an upload finished shows the upload, but never long for a big rebuild.
            if self._sync_lock.acquire(timeout=-1 if snap is None else STALE_WAIT_SECONDS):
                try:
                    if self._snapshot is None or self._stale(self._snapshot):
                        self._sync(fresh=False)
                finally:
                    self._sync_lock.release()
            snap = self._snapshot
        assert snap is not None
        return snap

    # -- searching -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        filters: DocumentFilter | None = None,
        offset: int = 0,
    ) -> SearchResponse:
        """Best passages for ``query``, at most two per document, filtered before ranking."""
        started = time.perf_counter()
        query = (query or "").strip()
        if not query:
            raise InvalidInput("the search query is empty; type a few words to search for")
        if k < 1 or offset < 0:
            raise InvalidInput("k must be at least 1 and offset at least 0")
        snap = self._current()
        ranked, scores = self.rank(query, snap, filters)
        return self._respond(query, snap, ranked, scores, k, offset, started)

    def rank(
        self, query: str, snap: _Snapshot | None = None, filters: DocumentFilter | None = None
    ) -> tuple[list[int], dict[int, float]]:
        """All candidate chunk ids, best first, with their fused scores (before grouping)."""
        found = self.candidates(query, snap, filters)
        if found is None:
            return [], {}
        profile, cands = found
        fused = fuse(profile, cands, self.weights)
        order = np.argsort(-fused, kind="stable")
        ranked = [int(cands.ids[i]) for i in order]
        return ranked, {int(cands.ids[i]): float(fused[i]) for i in order}

    def candidates(
        self, query: str, snap: _Snapshot | None = None, filters: DocumentFilter | None = None
    ) -> tuple[QueryProfile, Candidates] | None:
        """The query's profile and its dense and lexical candidates with all their evidence."""
        snap = snap or self._current()
        allowed_rows = self._allowed_rows(snap, filters)
        if len(snap.lexical) == 0 or (allowed_rows is not None and len(allowed_rows) == 0):
            return None
        profile = profile_query(query, detect_language(query))
        qvec = self._query_vector(self._dense_form(query, profile))
        allowed_ids = snap.lexical.ids[allowed_rows] if allowed_rows is not None else None
        dense_ids, _ = snap.vectors.search(qvec, CANDIDATES, allowed_ids)
        lexical_all = snap.lexical.scores(query)
        if allowed_rows is not None:
            masked = np.full_like(lexical_all, -1.0)
            masked[allowed_rows] = lexical_all[allowed_rows]
        else:
            masked = lexical_all
        n = min(CANDIDATES, len(masked))
        top = np.argpartition(-masked, n - 1)[:n]
        lexical_rows = [int(r) for r in top if masked[r] > 0]
        dense_rows = [snap.row_of[int(i)] for i in dense_ids if int(i) in snap.row_of]
        rows = list(dict.fromkeys(dense_rows + lexical_rows))
        if not rows:
            return None
        rows_arr = np.asarray(rows, dtype=np.int64)
        ids = snap.lexical.ids[rows_arr]
        dense = snap.vectors.vectors([int(i) for i in ids]) @ qvec
        cands = Candidates(
            ids=ids,
            dense=dense.astype(np.float32),
            lexical=lexical_all[rows_arr],
            exact=snap.lexical.exact_share(query, rows_arr),
            languages=[snap.languages[r] for r in rows],
            stripped=snap.stripped[rows_arr],
            restored=snap.restored[rows_arr],
        )
        return profile, cands

    def _embed_query(self, text: str) -> np.ndarray:
        """The query's vector; read-only, because recent ones are cached and shared."""
        vector = self.embedder.embed_queries([text])[0]
        vector.setflags(write=False)
        return vector

    def _dense_form(self, query: str, profile: QueryProfile) -> str:
        """The query as the dense model should read it: accents restored when typed without."""
        if profile.unaccented_vi and self.restore_queries:
            try:
                return restore_diacritics(query)
            except Exception:  # noqa: BLE001 - restoration is an aid; the raw query still works
                return query
        return query

    def similar(
        self,
        document_id: int | None = None,
        chunk_id: int | None = None,
        k: int = 10,
        filters: DocumentFilter | None = None,
    ) -> SearchResponse:
        """Chunks nearest to a document (mean of its chunk vectors) or to a chunk, not itself;
        only chunks of documents passing ``filters`` are searched (filtered before ranking)."""
        started = time.perf_counter()
        if (document_id is None) == (chunk_id is None):
            raise InvalidInput("give exactly one of document_id or chunk_id")
        snap = self._current()
        if chunk_id is not None:
            if chunk_id not in snap.row_of:
                raise NotFound(f"chunk {chunk_id} does not exist")
            own = {chunk_id}
            label = f"similar to chunk {chunk_id}"
        else:
            self.catalog.get_document(int(document_id))  # type: ignore[arg-type]
            own = {c.id for c in self.catalog.chunks(int(document_id))}  # type: ignore[arg-type]
            own &= set(snap.row_of)
            label = f"similar to document {document_id}"
        if not own:
            return SearchResponse(label, [], 0, _ms(started))
        vector = snap.vectors.vectors(sorted(own)).mean(axis=0)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        allowed_rows = self._allowed_rows(snap, filters)
        allowed_ids = snap.lexical.ids[allowed_rows] if allowed_rows is not None else None
        ids, scores = snap.vectors.search(vector, CANDIDATES + len(own), allowed_ids)
        ranked = [int(i) for i in ids if int(i) not in own]
        if document_id is not None:
            ranked = [i for i in ranked if snap.document_ids[snap.row_of[i]] != document_id]
        score_of = {int(i): float(s) for i, s in zip(ids, scores, strict=True)}
        return self._respond(label, snap, ranked, score_of, k, 0, started, marks=False)

    # -- building responses -------------------------------------------------------------------

    def _allowed_rows(self, snap: _Snapshot, filters: DocumentFilter | None) -> np.ndarray | None:
        if filters is None or filters == DocumentFilter():
            return None
        documents = np.asarray(sorted(self.catalog.document_ids(filters)), dtype=np.int64)
        return np.flatnonzero(np.isin(snap.document_ids, documents))

    def _respond(
        self,
        query: str,
        snap: _Snapshot,
        ranked: list[int],
        scores: dict[int, float],
        k: int,
        offset: int,
        started: float,
        marks: bool = True,
    ) -> SearchResponse:
        document_of = {i: int(snap.document_ids[snap.row_of[i]]) for i in ranked}
        grouped = group_by_document(ranked, document_of)
        page = grouped[offset : offset + k]
        chunks = self.catalog.chunks_by_ids(page)
        documents = self.catalog.documents_by_ids({c.document_id for c in chunks})
        snippets = self._snippets(query if marks else "", chunks)
        hits = []
        for chunk in chunks:
            document = documents.get(chunk.document_id)
            if document is None:
                continue
            plain, marked = snippets[chunk.id]
            hits.append(
                SearchHit(
                    document_id=chunk.document_id,
                    chunk_id=chunk.id,
                    title=document.title,
                    source=document.source_name,
                    page=self._page_of(plain, chunk),
                    section=chunk.section,
                    language=chunk.language,
                    score=round(scores[chunk.id], 4),
                    snippet=marked,
                    number=document.number,
                    doc_type=document.doc_type,
                    issuer=document.issuer,
                    issue_date=document.issue_date,
                    text_restored=chunk.text_restored is not None,
                    restored_text=chunk.text_restored,
                    original_text=chunk.text if chunk.text_restored is not None else None,
                )
            )
        facets = self._facets(snap, grouped[:FACET_POOL])
        return SearchResponse(query, hits, total=len(grouped), took_ms=_ms(started), facets=facets)

    def _snippets(self, query: str, chunks: list[ChunkRow]) -> dict[int, tuple[str, str]]:
        """(plain, marked) snippet per chunk, from the text a reader can read.

        That is the restored text of an accent-stripped or garbled chunk (the hit says it was
        restored and carries the original). A passage in another language than the query, or
        sharing none of its words, shows its sentence closest in meaning to the query: sentence
        vectors for the page's hits, embedded in one batch and cached.
        """
        readable = {c.id: c.text_restored or c.text for c in chunks}
        out: dict[int, tuple[str, str]] = {}
        by_meaning: dict[int, list[str]] = {}
        language = detect_language(query) if query else ""
        for chunk in chunks:
            text = readable[chunk.id]
            foreign = language not in ("", "und") and chunk.language not in (None, "", language)
            wanted = query and (foreign or not shares_words(text, query))
            if wanted and len(by_meaning) < SNIPPET_HITS:
                sentences = meaningful_sentences(text)[:SNIPPET_SENTENCES]
                if len(sentences) > 1:
                    by_meaning[chunk.id] = sentences
                    continue
            out[chunk.id] = snippet(text, query)
        if by_meaning:
            qvec = self._query_vector(self._dense_form(query, profile_query(query, language)))
            flat = [
                s[:SNIPPET_SENTENCE_CHARS] for sentences in by_meaning.values() for s in sentences
            ]
            scores = self._embed_sentences(flat) @ qvec
            start = 0
            for chunk_id, sentences in by_meaning.items():
                best = int(np.argmax(scores[start : start + len(sentences)]))
                start += len(sentences)
                plain = around(sentences, best)
                out[chunk_id] = (plain, mark(plain, query))
        return out

    def _embed_sentences(self, sentences: list[str]) -> np.ndarray:
        with self._sentence_lock:  # searches run on several threads
            cache = self._sentence_vectors
            missing = list(dict.fromkeys(s for s in sentences if s not in cache))
            if missing:
                vectors = self.embedder.embed_passages(missing)
                cache.update(zip(missing, vectors, strict=True))
                while len(cache) > SENTENCE_CACHE:
                    cache.popitem(last=False)
            return np.stack([cache[s] for s in sentences])

    def _page_of(self, plain: str, chunk: ChunkRow) -> int:
        """The page of the snippet; only a chunk spanning pages needs its pages read."""
        if chunk.page_start == chunk.page_end:
            return chunk.page_start
        pages = [
            (p.number, p.text)
            for p in self.catalog.pages(chunk.document_id)
            if chunk.page_start <= p.number <= chunk.page_end
        ]
        return locate_page(plain, pages, chunk.page_start, chunk.page_end)

    def _facets(self, snap: _Snapshot, pool: list[int]) -> dict[str, dict[str, int]]:
        """Documents per type, year, issuer and language among the first hits (the facet pool)."""
        counts: dict[str, Counter[str]] = {
            n: Counter() for n in ("type", "year", "issuer", "language")
        }
        first_hit: dict[int, int] = {}
        for chunk_id in pool:
            first_hit.setdefault(int(snap.document_ids[snap.row_of[chunk_id]]), chunk_id)
        documents = self.catalog.documents_by_ids(first_hit)
        for document_id, chunk_id in first_hit.items():
            document = documents.get(document_id)
            if document is None:
                continue
            values = {
                "type": document.doc_type,
                "year": (document.issue_date or "")[:4],
                "issuer": document.issuer,
                "language": snap.languages[snap.row_of[chunk_id]],
            }
            for name, value in values.items():
                if value:
                    counts[name][value] += 1
        return {name: dict(c.most_common()) for name, c in counts.items()}


def _saved_stamp(folder: Path) -> tuple[int, int] | None:
    """When and how big the saved parameters file is: it changes on every save of the index."""
    try:
        stat = (folder / PARAMS_FILE).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _build_snapshot(
    vectors: VectorIndex,
    chunks: list[ChunkRow],
    generation: int,
    saved: tuple[int, int] | None = None,
) -> _Snapshot:
    """Lexical index and per-chunk facts for the chunks the vector index holds."""
    held = vectors.ids()
    chunks = [c for c in chunks if c.id in held]
    texts = [c.text if c.text_restored is None else f"{c.text}\n{c.text_restored}" for c in chunks]
    lexical = LexicalIndex.build([c.id for c in chunks], texts, [c.text for c in chunks])
    return _Snapshot(
        vectors=vectors,
        lexical=lexical,
        row_of={c.id: row for row, c in enumerate(chunks)},
        document_ids=np.asarray([c.document_id for c in chunks], dtype=np.int64),
        languages=[c.language for c in chunks],
        stripped=np.asarray([c.stripped_score > STRIPPED for c in chunks], dtype=bool),
        restored=np.asarray([c.text_restored is not None for c in chunks], dtype=bool),
        generation=generation,
        saved=saved,
    )


def passage_text(chunk: ChunkRow) -> str:
    """What the dense model reads: the readable text, under its own heading when the chunk does
    not start with it (a section's first item shares its chunk with the parent's intro)."""
    text = chunk.text_restored or chunk.text
    heading = chunk.section.rsplit(" > ", 1)[-1].strip() if chunk.section else ""
    if not heading or folded(text[: len(heading) + 8]).startswith(folded(heading)):
        return text
    return f"{heading}\n{text}"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
