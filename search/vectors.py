"""The dense vector index: FAISS keyed by catalog chunk ids, saved with how it was built.

Exact inner-product search while the collection is small (it is both exact and fast enough);
HNSW past ``ANN_THRESHOLD`` vectors, where exact search stops fitting the latency budget. The
parameters file beside the index (model, dimension, fingerprint, factory, catalog generation)
lets an index refuse a model it was not built with instead of returning nonsense.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from hoptac.errors import IndexMismatch

#: Above this many vectors the index is rebuilt as HNSW. Measured on this 2-core machine, 384
#: dimensions, one query at a time (bench/search_latency.py --ann): exact search 0.24 ms at 10k,
#: 2.8 ms at 50k, 6.5 ms at 100k, 15 ms at 200k vectors; HNSW32 (efSearch 128) 0.5-1.7 ms, but
#: its build costs 55 s at 100k and 124 s at 200k (and HNSW cannot delete, so every deletion
#: rebuilds it) and its recall@10 on the benchmark's random vectors fell to 0.28-0.13. Exact search
#: stays inside the 50 ms budget (with ~30 ms for the query embedding and snippets) up to 200k
#: chunks, so it is kept exact until then.
ANN_THRESHOLD = 200_000
FLAT = "IDMap2,Flat"
HNSW = "IDMap2,HNSW32,Flat"
HNSW_EF_SEARCH = 128

# One query at a time: OpenMP threads cost more to start than they save, and fight the
# embedding model for the same two cores.
faiss.omp_set_num_threads(1)

logger = logging.getLogger("hoptac")

INDEX_FILE = "vectors.faiss"
PARAMS_FILE = "vectors.json"


@dataclass(frozen=True)
class IndexParams:
    """How an index was built; saved beside it as JSON."""

    model: str
    dimension: int
    fingerprint: str
    factory: str
    generation: int = -1


class VectorIndex:
    """Chunk vectors (normalised, inner product = cosine) addressed by chunk id."""

    def __init__(self, params: IndexParams, index: faiss.Index | None = None) -> None:
        self.params = params
        self.index = index if index is not None else _make(params.factory, params.dimension)
        _tune(self.index)

    @classmethod
    def empty(cls, model: str, dimension: int, fingerprint: str) -> VectorIndex:
        return cls(IndexParams(model, dimension, fingerprint, FLAT))

    # -- reading ------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> set[int]:
        if len(self) == 0:
            return set()
        id_map = self.index.id_map  # type: ignore[attr-defined]
        return {int(i) for i in faiss.vector_to_array(id_map)}

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (ids, scores) for one query vector; ``allowed`` restricts to those ids."""
        if len(self) == 0 or k <= 0 or (allowed is not None and len(allowed) == 0):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            if "HNSW" in self.params.factory:
                params = faiss.SearchParametersHNSW(  # type: ignore[attr-defined]
                    sel=selector, efSearch=max(HNSW_EF_SEARCH, k)
                )
            else:
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep]

    def vectors(self, ids: list[int]) -> np.ndarray:
        """Stored vectors of ``ids`` (rows in the same order)."""
        out = np.zeros((len(ids), self.params.dimension), dtype=np.float32)
        for row, chunk_id in enumerate(ids):
            out[row] = self.index.reconstruct(int(chunk_id))
        return out

    # -- changing (callers work on a copy while searches read the original) ---------------

    def copy(self) -> VectorIndex:
        return VectorIndex(self.params, faiss.clone_index(self.index))

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        if not ids:
            return
        if vectors.shape != (len(ids), self.params.dimension):
            raise ValueError(f"expected {len(ids)} vectors of {self.params.dimension} dimensions")
        self.index.add_with_ids(
            np.ascontiguousarray(vectors, np.float32), np.asarray(ids, np.int64)
        )
        self._choose_structure()

    def remove(self, ids: set[int]) -> None:
        if not ids:
            return
        if self.params.factory == FLAT:
            self.index.remove_ids(np.asarray(sorted(ids), dtype=np.int64))  # type: ignore[arg-type]
        else:  # HNSW cannot delete: rebuild from the vectors that stay
            keep = sorted(self.ids() - ids)
            vectors = self.vectors(keep)
            self.index = _make(self.params.factory, self.params.dimension)
            _tune(self.index)
            if keep:
                self.index.add_with_ids(vectors, np.asarray(keep, np.int64))
        self._choose_structure()

    def _choose_structure(self) -> None:
        wanted = HNSW if len(self) > ANN_THRESHOLD else FLAT
        if wanted == self.params.factory:
            return
        keep = sorted(self.ids())
        vectors = self.vectors(keep)
        self.params = IndexParams(**{**asdict(self.params), "factory": wanted})
        self.index = _make(wanted, self.params.dimension)
        _tune(self.index)
        if keep:
            self.index.add_with_ids(vectors, np.asarray(keep, np.int64))

    # -- persistence ----------------------------------------------------------------------

    def save(self, folder: Path, generation: int) -> None:
        """Write index then parameters, each to a temp file replaced atomically."""
        folder.mkdir(parents=True, exist_ok=True)
        self.params = IndexParams(**{**asdict(self.params), "generation": generation})
        fd, tmp = tempfile.mkstemp(prefix=".vectors-", dir=folder)
        os.close(fd)
        try:
            faiss.write_index(self.index, tmp)
            os.replace(tmp, folder / INDEX_FILE)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _write_json_atomic(folder / PARAMS_FILE, asdict(self.params))

    @classmethod
    def open(cls, folder: Path, model: str, dimension: int, fingerprint: str) -> VectorIndex | None:
        """The saved index; None if there is none or it is damaged; IndexMismatch if another model
        built it.

        The index is derived from the catalog, so a missing, truncated or unreadable file is not
        fatal: None (with a warning naming the file) makes the engine rebuild it from the catalog.
        """
        params_path, index_path = folder / PARAMS_FILE, folder / INDEX_FILE
        if not params_path.exists() and not index_path.exists():
            return None
        try:
            params = IndexParams(**json.loads(params_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as error:
            _warn_damaged(params_path, error)
            return None
        if params.fingerprint != fingerprint or params.dimension != dimension:
            raise IndexMismatch(
                f"the search index was built with the model {params.model!r} "
                f"(fingerprint {params.fingerprint}, {params.dimension} dimensions) but the "
                f"configured model is {model!r} (fingerprint {fingerprint}, {dimension} "
                "dimensions); run `hoptac reindex` to rebuild the index with the configured model"
            )
        if not index_path.exists():
            _warn_damaged(index_path, FileNotFoundError())
            return None
        try:
            index = faiss.read_index(str(index_path))
        except (RuntimeError, OSError):  # FAISS's own message is a C++ assertion: say it plainly
            _warn_damaged(index_path, "it is truncated or not a FAISS index")
            return None
        if index.d != params.dimension or not hasattr(index, "id_map"):
            _warn_damaged(index_path, f"it holds {index.d}-dimension vectors without chunk ids")
            return None
        return cls(params, index)


def _warn_damaged(path: Path, error: object) -> None:
    reason = "it is missing" if isinstance(error, FileNotFoundError) else str(error).strip()
    logger.warning(
        "the search index file %s cannot be used (%s); rebuilding the index from the catalog",
        path,
        reason.splitlines()[0] if reason else type(error).__name__,
    )


def _make(factory: str, dimension: int) -> faiss.Index:
    return faiss.index_factory(dimension, factory, faiss.METRIC_INNER_PRODUCT)


def _tune(index: faiss.Index) -> None:
    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else None
    if isinstance(inner, faiss.IndexHNSW):
        inner.hnsw.efSearch = HNSW_EF_SEARCH


def _write_json_atomic(path: Path, data: dict[str, object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".params-", dir=path.parent)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)
