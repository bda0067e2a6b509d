"""Where the search indexes live, behind one small interface the engine reads.

``files`` (search/files.py): FAISS and BM25 segments in each server's ``index/`` folder, synced
from the catalog's change log. ``database`` (search/database.py): pgvector and the folded terms in
the PostgreSQL catalog itself, shared by every server. Both hand the engine the same candidates
(chunk ids with their dense and lexical evidence), so fusion, grouping and snippets do not know
which one answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Protocol

import numpy as np

from catalog import ChunkRow, DocumentFilter
from search.records import SyncReport
from search.vectors import IndexParams

Embed = Callable[[list[ChunkRow]], np.ndarray]
Progress = Callable[[int, int], None]


class Found(NamedTuple):
    """Candidate chunk ids (dense candidates first), their cosine similarity to the query and
    their BM25 on folded text as a share of the query's IDF mass (search/lexical.py)."""

    ids: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray


class Vectors(Protocol):
    """The stored passage vectors, as another stage (the knowledge base) compares passages."""

    params: IndexParams

    def __len__(self) -> int: ...

    def contains(self, ids: np.ndarray) -> np.ndarray: ...

    def vectors(self, ids: list[int]) -> np.ndarray: ...

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...

    def search_many(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]: ...


class IndexStore(Protocol):
    def sync(self, fresh: bool, on_progress: Progress | None = None) -> SyncReport:
        """Bring the indexes up to the catalog (``fresh``: rebuild with the configured model)."""
        ...

    def candidates(
        self,
        query_vector: Callable[[], np.ndarray],
        query: str,
        filters: DocumentFilter | None,
        k: int,
    ) -> Found | None:
        """The ``k`` nearest passages and the ``k`` best by BM25 among the documents passing
        ``filters``, filtered before ranking; None when there is nothing to search."""
        ...

    def nearest(
        self, vector: np.ndarray, k: int, filters: DocumentFilter | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, inner products) of the ``k`` passages nearest ``vector``, filtered first."""
        ...

    def holds(self, ids: list[int]) -> np.ndarray:
        """Per chunk id: whether it is searchable (indexed, not deleted)."""
        ...

    def vector_index(self) -> Vectors:
        """The vectors searched now, without waiting for a sync."""
        ...

    def lag(self) -> int:
        """Catalog passages not searchable yet (not embedded)."""
        ...
