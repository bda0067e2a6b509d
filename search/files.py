"""The search indexes as files in each server's ``index/`` folder (``index_store = files``).

A published snapshot (search/indexer.py) is searched whole: FAISS vectors and BM25 segments. A
reader (the web server) swaps in a newly published snapshot on its next search; a writer applies
the catalog's changes first when nobody else is syncing. Searches never wait for a sync.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catalog import Catalog, DocumentFilter
from hoptac.errors import IndexMismatch
from search import indexer
from search.indexer import Snapshot
from search.records import SyncReport
from search.snapshot import stamp, writer_lock
from search.store import Embed, Found, Progress
from search.vectors import FLAT, IndexParams, VectorIndex

#: Filters whose allowed rows a store keeps (clearances and the filters in use lately).
ALLOWED_KEPT = 64


@dataclass
class _AllowedRows:
    """Allowed rows per filter, read from one snapshot at one catalog generation."""

    snapshot: Snapshot | None
    generation: int
    rows: dict[DocumentFilter, np.ndarray | None]


class FileStore:
    """FAISS and bm25 segments published under ``folder``, following the catalog's change log."""

    def __init__(
        self,
        catalog: Catalog,
        folder: Path,
        model: tuple[str, int, str],
        embed: Embed,
        ann_threshold: int,
        writes_index: bool,
    ) -> None:
        self.catalog = catalog
        self.folder = folder
        self.model = model
        self.embed = embed
        self.ann_threshold = ann_threshold
        self.writes_index = writes_index
        self._sync_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._mismatch: IndexMismatch | None = None
        self._allowed = _AllowedRows(None, -1, {})
        self._allowed_lock = threading.Lock()
        try:  # start-up reads the published segments (mapped), never the chunk texts
            self._snapshot = indexer.load(self.folder, model)
        except IndexMismatch as exc:
            self._mismatch = exc

    # -- keeping the indexes current ----------------------------------------------------------

    def sync(self, fresh: bool, on_progress: Progress | None = None) -> SyncReport:
        if self._mismatch is not None and not fresh:
            raise self._mismatch
        with self._sync_lock:
            report = self._sync(fresh=fresh, on_progress=on_progress)
        if fresh:
            self._mismatch = None
        return report

    def _sync(
        self, fresh: bool, on_progress: Progress | None = None, wait: bool = True
    ) -> SyncReport:
        if not self.writes_index and not fresh:
            return self._reload()
        with writer_lock(self.folder, wait=wait) as locked:
            if not locked:  # another process is publishing: searches use what is published
                return self._reload()
            self._snapshot, report = indexer.sync(
                self.catalog,
                self.folder,
                self.model,
                self.embed,
                self.ann_threshold,
                self._snapshot,
                fresh=fresh,
                on_progress=on_progress,
            )
        return report

    def _reload(self) -> SyncReport:
        """The latest published snapshot, loading only its new segments."""
        started = time.perf_counter()
        try:
            loaded = indexer.load(self.folder, self.model, self._snapshot)
        except IndexMismatch as error:
            self._mismatch = error
            raise
        if loaded is not None:
            self._snapshot = loaded
        snap = self._current_or_empty()
        return SyncReport(
            added=0,
            removed=0,
            total=len(snap.vectors),
            generation=self.catalog.generation(),
            seconds=round(time.perf_counter() - started, 3),
        )

    def _current_or_empty(self) -> Snapshot:
        return self._snapshot or indexer.empty_snapshot(IndexParams(*self.model, factory=FLAT))

    def _current(self) -> Snapshot:
        """The snapshot to search, never waiting for another thread's or process's sync.

        A reader swaps in a newly published snapshot; a writer applies the catalog's changes first
        when nobody else is syncing (they cost what changed), else searches what it has.
        """
        if self._mismatch is not None:
            raise self._mismatch
        snap = self._snapshot
        if self.writes_index:
            stale = snap is None or snap.catalog_generation != self.catalog.generation()
            if stale and self._sync_lock.acquire(blocking=snap is None):
                try:
                    self._sync(fresh=False, wait=snap is None)
                finally:
                    self._sync_lock.release()
        elif snap is None or snap.stamp != stamp(self.folder):
            self._reload()
        return self._current_or_empty()

    # -- reading ------------------------------------------------------------------------------

    def vector_index(self) -> VectorIndex:
        return self._current_or_empty().vectors

    def lag(self) -> int:
        snap = self._current()
        if snap.manifest is None:
            return self.catalog.counts()[1]
        _, changed = self.catalog.changed_chunks(snap.seq)
        present = [c.id for c in self.catalog.chunks_by_ids(sorted(changed))]
        return int((snap.rows_of(present) < 0).sum())

    def holds(self, ids: list[int]) -> np.ndarray:
        found: np.ndarray = self._current().rows_of(ids) >= 0
        return found

    def candidates(
        self,
        query_vector: Callable[[], np.ndarray],
        query: str,
        filters: DocumentFilter | None,
        k: int,
    ) -> Found | None:
        snap = self._current()
        lexical = snap.lexical
        allowed_rows = self._allowed_rows(snap, filters)
        if lexical.n_live == 0 or (allowed_rows is not None and len(allowed_rows) == 0):
            return None
        qvec = query_vector()
        allowed_ids = lexical.ids[allowed_rows] if allowed_rows is not None else None
        dense_ids, _ = snap.vectors.search(qvec, k, allowed_ids)
        lexical_all = lexical.scores(query)
        if allowed_rows is not None:
            masked = np.full_like(lexical_all, -1.0)
            masked[allowed_rows] = lexical_all[allowed_rows]
        else:
            masked = np.where(lexical.live, lexical_all, -1.0).astype(np.float32)
        n = min(k, len(masked))
        top = np.argpartition(-masked, n - 1)[:n]
        lexical_rows = [int(r) for r in top if masked[r] > 0]
        dense_rows = [int(r) for r in snap.rows_of(dense_ids) if r >= 0]
        rows = np.asarray(list(dict.fromkeys(dense_rows + lexical_rows)), dtype=np.int64)
        ids = lexical.ids[rows]
        dense = snap.vectors.vectors([int(i) for i in ids]) @ qvec if len(ids) else np.zeros(0)
        return Found(ids, dense.astype(np.float32), lexical_all[rows])

    def nearest(
        self, vector: np.ndarray, k: int, filters: DocumentFilter | None
    ) -> tuple[np.ndarray, np.ndarray]:
        snap = self._current()
        allowed_rows = self._allowed_rows(snap, filters)
        allowed_ids = snap.lexical.ids[allowed_rows] if allowed_rows is not None else None
        return snap.vectors.search(vector, k, allowed_ids)

    def _allowed_rows(self, snap: Snapshot, filters: DocumentFilter | None) -> np.ndarray | None:
        """Live rows of documents passing ``filters``; None when that is every live row.

        Kept for the snapshot and the catalog generation they were read at: a reader's clearance
        is the same filter on every search, and reading every document for it costs more than a
        search's own work on a large archive. A catalog write (an edit of a classification too)
        bumps the generation, so nothing kept outlives the documents it was read from.
        """
        if filters is None or filters == DocumentFilter():
            return None
        generation = self.catalog.generation()
        with self._allowed_lock:
            kept = self._allowed
            if kept.snapshot is not snap or kept.generation != generation:
                kept = self._allowed = _AllowedRows(snap, generation, {})
            if filters not in kept.rows:
                if len(kept.rows) >= ALLOWED_KEPT:
                    del kept.rows[next(iter(kept.rows))]  # the oldest filter goes first
                kept.rows[filters] = self._read_allowed_rows(snap, filters)
            return kept.rows[filters]

    def _read_allowed_rows(self, snap: Snapshot, filters: DocumentFilter) -> np.ndarray | None:
        documents = np.asarray(sorted(self.catalog.document_ids(filters)), dtype=np.int64)
        allowed = np.isin(snap.lexical.docs, documents) & snap.lexical.live
        rows = np.flatnonzero(allowed)
        return None if len(rows) == snap.lexical.n_live and len(rows) else rows
