"""The search engine: dense + lexical indexes derived from the catalog, fused per query.

The catalog is the source of truth; ``sync`` applies what changed in it since the published
snapshot (search/indexer.py) and publishes the next one. Searches read an immutable snapshot and
never wait for a sync: a reader (the web server) swaps in a newly published snapshot on its next
search, and reads each candidate's facts from the catalog, so a deleted document is never shown.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable

import numpy as np

from catalog import Catalog, ChunkRow, DocumentFilter, DocumentRow
from hoptac.errors import InvalidInput, NotFound
from hoptac.settings import Settings
from hoptac.vietnamese import STRIPPED_THRESHOLD
from ingest.diacritics import restore as restore_diacritics
from ingest.language import detect_language
from models import Embedder, load_embedder
from search.fusion import (
    Candidates,
    FusionWeights,
    QueryProfile,
    fuse,
    profile_query,
)
from search.grouping import group_by_document
from search.lexical import exact_share, folded
from search.records import SearchHit, SearchResponse, SyncReport
from search.snippet_vectors import decode, embed_each, encode, snippet_sentences
from search.snippets import (
    around,
    locate_page,
    mark,
    shares_words,
    snippet,
)
from search.store import IndexStore, Vectors

#: How many grouped hits the facets count over (and so how deep pagination usefully goes).
FACET_POOL = 50
#: Candidates taken from each of the dense and the lexical index before fusion.
CANDIDATES = 100
#: Recent query vectors kept (a few hundred KB).
QUERY_CACHE = 512
#: Snippets chosen by meaning are made for the first few foreign hits of a page only (a passage
#: whose sentences the writer has not embedded yet costs an embedding of each); later hits keep
#: the lexical one.
SNIPPET_HITS = 3
#: Sentence vectors embedded by searches (1.5 KB each), so paging costs no embedding.
SENTENCE_CACHE = 4096
#: Passages whose snippet sentences are embedded and stored in one batch.
SNIPPET_BATCH = 256


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
        #: The last chunk id ``prepare_snippets`` looked at.
        self._snippets_seen = 0
        #: Restore the accents of a Vietnamese query typed without them before embedding it.
        self.restore_queries = settings.restore_diacritics
        detect_language("warm up the language identifier")
        self.store: IndexStore = open_store(
            settings, catalog, self._model_params(), self._embed_chunks, writes_index
        )

    def _model_params(self) -> tuple[str, int, str]:
        e = self.embedder
        return e.name, e.dimension, e.fingerprint

    # -- keeping the indexes current ----------------------------------------------------------

    def sync(self, on_progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Apply the catalog's changes to the indexes (a reader of files: load the latest
        published snapshot; the database: embed the passages no worker has embedded yet).

        ``on_progress(embedded, to_embed)`` is called before and after each batch of passages.
        """
        return self.store.sync(fresh=False, on_progress=on_progress)

    def reindex(self) -> SyncReport:
        """Rebuild everything from the catalog with the configured model (after a model change)."""
        report = self.store.sync(fresh=True)
        self._snippets_seen = 0  # the new model's sentence vectors are made from the start
        return report

    def _embed_chunks(self, chunks: list[ChunkRow]) -> np.ndarray:
        return self.embedder.embed_passages([passage_text(c) for c in chunks])

    def vector_index(self) -> Vectors:
        """The vectors searched now (what another stage, the knowledge base, compares passages
        with), without waiting for a sync."""
        return self.store.vector_index()

    def lag(self) -> int:
        """Catalog passages the searched index does not hold yet (the worker has not embedded)."""
        return self.store.lag()

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
        ranked, scores, chunks = self._ranked(query, filters)
        return self._respond(query, ranked, scores, chunks, k, offset, started)

    def rank(
        self, query: str, filters: DocumentFilter | None = None
    ) -> tuple[list[int], dict[int, float]]:
        """All candidate chunk ids, best first, with their fused scores (before grouping)."""
        ranked, scores, _ = self._ranked(query, filters)
        return ranked, scores

    def _ranked(
        self, query: str, filters: DocumentFilter | None
    ) -> tuple[list[int], dict[int, float], dict[int, ChunkRow]]:
        found = self._candidates(query, filters)
        if found is None:
            return [], {}, {}
        profile, cands, chunks = found
        fused = fuse(profile, cands, self.weights)
        order = np.argsort(-fused, kind="stable")
        ranked = [int(cands.ids[i]) for i in order]
        return ranked, {int(cands.ids[i]): float(fused[i]) for i in order}, chunks

    def candidates(
        self, query: str, filters: DocumentFilter | None = None
    ) -> tuple[QueryProfile, Candidates] | None:
        """The query's profile and its dense and lexical candidates with all their evidence."""
        found = self._candidates(query, filters)
        return None if found is None else (found[0], found[1])

    def _candidates(
        self, query: str, filters: DocumentFilter | None
    ) -> tuple[QueryProfile, Candidates, dict[int, ChunkRow]] | None:
        profile = profile_query(query, detect_language(query))
        found = self.store.candidates(
            lambda: self._query_vector(self._dense_form(query, profile)),
            query,
            filters,
            CANDIDATES,
        )
        if found is None:
            return None
        # The catalog has the facts, and drops what was deleted since the indexes were read.
        chunks = {c.id: c for c in self.catalog.chunks_by_ids([int(i) for i in found.ids])}
        keep = np.asarray([int(i) in chunks for i in found.ids], dtype=bool)
        if not keep.any():
            return None
        ids = found.ids[keep]
        rows = [chunks[int(i)] for i in ids]
        cands = Candidates(
            ids=ids,
            dense=found.dense[keep].astype(np.float32),
            lexical=found.lexical[keep].astype(np.float32),
            exact=exact_share(query, [c.text for c in rows]),
            languages=[c.language for c in rows],
            stripped=np.asarray([c.stripped_score > STRIPPED_THRESHOLD for c in rows], dtype=bool),
            restored=np.asarray([c.text_restored is not None for c in rows], dtype=bool),
        )
        return profile, cands, chunks

    def _embed_query(self, text: str) -> np.ndarray:
        """The query's vector; read-only, because recent ones are cached and shared."""
        vector: np.ndarray = self.embedder.embed_queries([text])[0]
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
        if chunk_id is not None:
            if not self.store.holds([chunk_id])[0] or not self.catalog.chunks_by_ids([chunk_id]):
                raise NotFound(f"chunk {chunk_id} does not exist")
            own = {chunk_id}
            label = f"similar to chunk {chunk_id}"
        else:
            self.catalog.get_document(int(document_id))  # type: ignore[arg-type]
            mine = [c.id for c in self.catalog.chunks(int(document_id))]  # type: ignore[arg-type]
            own = {i for i, h in zip(mine, self.store.holds(mine), strict=True) if h}
            label = f"similar to document {document_id}"
        if not own:
            return SearchResponse(label, [], 0, _ms(started))
        vector = self.store.vector_index().vectors(sorted(own)).mean(axis=0)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        ids, scores = self.store.nearest(vector, CANDIDATES + len(own), filters)
        chunks = {c.id: c for c in self.catalog.chunks_by_ids([int(i) for i in ids])}
        ranked = [int(i) for i in ids if int(i) not in own and int(i) in chunks]
        if document_id is not None:
            ranked = [i for i in ranked if chunks[i].document_id != document_id]
        score_of = {int(i): float(s) for i, s in zip(ids, scores, strict=True)}
        return self._respond(label, ranked, score_of, chunks, k, 0, started, marks=False)

    # -- building responses -------------------------------------------------------------------

    def _respond(
        self,
        query: str,
        ranked: list[int],
        scores: dict[int, float],
        chunks: dict[int, ChunkRow],
        k: int,
        offset: int,
        started: float,
        marks: bool = True,
    ) -> SearchResponse:
        document_of = {i: chunks[i].document_id for i in ranked}
        grouped = group_by_document(ranked, document_of)
        page = [chunks[i] for i in grouped[offset : offset + k]]
        pool = grouped[:FACET_POOL]
        documents = self.catalog.documents_by_ids(
            {c.document_id for c in page} | {document_of[i] for i in pool}
        )
        snippets = self._snippets(query if marks else "", page)
        hits = []
        for chunk in page:
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
                    restored=chunk.text_restored is not None,
                    restored_text=chunk.text_restored,
                    original_text=chunk.text if chunk.text_restored is not None else None,
                )
            )
        facets = _facets(pool, chunks, documents)
        return SearchResponse(
            query,
            hits,
            total=len(grouped),
            took_ms=_ms(started),
            facets=facets,
            facet_documents=list(dict.fromkeys(document_of[i] for i in pool)),
        )

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
                sentences = snippet_sentences(text)
                if sentences:
                    by_meaning[chunk.id] = sentences
                    continue
            out[chunk.id] = snippet(text, query)
        if by_meaning:
            qvec = self._query_vector(self._dense_form(query, profile_query(query, language)))
            vectors = self._sentence_vectors_of(by_meaning)
            for chunk_id, sentences in by_meaning.items():
                best = int(np.argmax(vectors[chunk_id] @ qvec))
                plain = around(sentences, best)
                out[chunk_id] = (plain, mark(plain, query))
        return out

    def _sentence_vectors_of(self, sentences: dict[int, list[str]]) -> dict[int, np.ndarray]:
        """Each chunk's snippet-sentence vectors: stored by the writer, else embedded now."""
        dimension = self.embedder.dimension
        out: dict[int, np.ndarray] = {}
        stored = self.catalog.snippet_vectors(list(sentences), self.embedder.fingerprint)
        for chunk_id, blob in stored.items():
            vectors = decode(blob, dimension)
            if len(vectors) == len(sentences[chunk_id]):
                out[chunk_id] = vectors
        missing = [i for i in sentences if i not in out]
        if missing:
            embedded = embed_each(self._embed_sentences, [sentences[i] for i in missing])
            out.update(zip(missing, embedded, strict=True))
        return out

    def prepare_snippets(self) -> int:
        """Embed and store the snippet sentences of the passages that have none by this model;
        the number of passages done.

        Run by the ingest worker once its passages are searchable, so that a search embeds only
        its query. Each call looks only past the last passage the previous one saw (the first, at
        the whole catalog), so preparing after every job does not rescan a large archive.
        """
        fingerprint = self.embedder.fingerprint
        done = 0
        while ids := self.catalog.chunks_without_snippet_vectors(
            fingerprint, self._snippets_seen, SNIPPET_BATCH
        ):
            self._snippets_seen = ids[-1]
            chunks = self.catalog.chunks_by_ids(ids)
            sentences = [snippet_sentences(c.text_restored or c.text) for c in chunks]
            vectors = embed_each(self.embedder.embed_passages, sentences)
            rows = [(c.id, encode(v)) for c, v in zip(chunks, vectors, strict=True)]
            self.catalog.save_snippet_vectors(fingerprint, rows)
            done += len(chunks)
        return done

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
            for p in self.catalog.pages(chunk.document_id, chunk.page_start, chunk.page_end)
        ]
        return locate_page(plain, pages, chunk.page_start, chunk.page_end)


def _facets(
    pool: list[int], chunks: dict[int, ChunkRow], documents: dict[int, DocumentRow]
) -> dict[str, dict[str, int]]:
    """Documents per type, year, issuer and language among the first hits (the facet pool)."""
    counts: dict[str, Counter[str]] = {n: Counter() for n in ("type", "year", "issuer", "language")}
    first_hit: dict[int, int] = {}
    for chunk_id in pool:
        first_hit.setdefault(chunks[chunk_id].document_id, chunk_id)
    for document_id, chunk_id in first_hit.items():
        document = documents.get(document_id)
        if document is None:
            continue
        values = {
            "type": document.doc_type,
            "year": (document.issue_date or "")[:4],
            "issuer": document.issuer,
            "language": chunks[chunk_id].language,
        }
        for name, value in values.items():
            if value:
                counts[name][value] += 1
    return {name: dict(c.most_common()) for name, c in counts.items()}


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


def open_store(
    settings: Settings,
    catalog: Catalog,
    model: tuple[str, int, str],
    embed: Callable[[list[ChunkRow]], np.ndarray],
    writes_index: bool,
) -> IndexStore:
    """The indexes where ``index_store`` keeps them: the catalog's database, or ``index/`` files."""
    if settings.search_in_database:
        from search.database import DatabaseStore

        if not catalog.postgres:
            raise InvalidInput(
                "HOPTAC_INDEX_STORE=database needs the catalog in PostgreSQL "
                "(HOPTAC_DATABASE_URL); with SQLite the indexes are files"
            )
        return DatabaseStore(catalog, model, embed, writes_index)
    from search.files import FileStore

    return FileStore(
        catalog, settings.index_dir, model, embed, settings.ann_threshold, writes_index
    )
