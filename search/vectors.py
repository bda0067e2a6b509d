"""The dense vector index: FAISS keyed by catalog chunk ids, in segments, saved with how it was built.

A big ``base`` segment, rewritten only when it is compacted, and a small ``delta`` segment holding
the passages added since, rewritten on every change: adding a document costs the size of the delta,
not of the archive. A passage deleted from the base is a tombstone (excluded from every search)
until the next compaction removes it. The base is exact inner-product search up to the
``ann_threshold`` setting and an inverted-file index with half-precision vectors (IVF-SQfp16: half
the memory, and it can delete, unlike FAISS's HNSW; 8-bit codes lost too much recall@10 in
bench/scale.py) past it; the delta is always exact.
The parameters file beside the segments (model, dimension, fingerprint, factory, nprobe) lets an
index refuse a model it was not built with instead of returning nonsense.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import faiss
import numpy as np

from hoptac.errors import IndexMismatch

FLAT = "IDMap2,Flat"
#: Inverted lists probed per query: this many times the square root of the list count. The share
#: of lists a query must probe falls as lists multiply, but more slowly than a fixed count allows
#: (a fixed 64 kept recall@10 against exact search at 0.98 for 256 lists, not for 1,024); chosen for
#: recall@10 >= 0.98 at each size bench/scale.py measures.
PROBE_FACTOR = 6
#: The delta is merged into the base when it (with the tombstones) passes this share of the base,
#: and at least this many rows, so merges cost a bounded share of all the indexing done.
COMPACT_SHARE = 0.1
COMPACT_MIN = 2_000

# One query at a time: OpenMP threads cost more to start than they save, and fight the
# embedding model for the same two cores.
faiss.omp_set_num_threads(1)

logger = logging.getLogger("hoptac")

PARAMS_FILE = "vectors.json"
#: The single-file index of earlier releases: read once, to reuse its vectors, then replaced.
LEGACY_FILE = "vectors.faiss"


def ivf_factory(count: int) -> str:
    """IVF with about sqrt(n) lists (a power of two, so it is retrained only as n quadruples)."""
    lists = 2 ** round(math.log2(max(math.sqrt(max(count, 1)), 1)))
    return f"IDMap2,IVF{min(max(lists, 256), 16_384)},SQfp16"


def nprobe_for(lists: int) -> int:
    return min(lists, PROBE_FACTOR * round(math.sqrt(lists)))


@dataclass(frozen=True)
class IndexParams:
    """How an index was built; saved beside it as JSON."""

    model: str
    dimension: int
    fingerprint: str
    factory: str
    #: Lists probed per query (IVF only), from ``nprobe_for`` when the index was trained.
    nprobe: int = 64

    @classmethod
    def from_json(cls, data: object) -> IndexParams:
        if not isinstance(data, dict):
            raise TypeError("the parameters are not a JSON object")
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class IndexDamaged(Exception):
    """A saved segment is missing or unreadable: the index is rebuilt from the catalog."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class VectorIndex:
    """Chunk vectors (normalised, inner product = cosine) addressed by chunk id.

    Never changed once built: ``changed`` and ``compacted`` return a new index sharing what did
    not change, so searches keep reading the one they started with.
    """

    def __init__(
        self,
        params: IndexParams,
        base: faiss.Index | None = None,
        delta: faiss.Index | None = None,
        tombstones: np.ndarray | None = None,
        base_name: str | None = None,
    ) -> None:
        self.params = params
        self.base = base if base is not None else _make(FLAT, params.dimension)
        self.delta = delta if delta is not None else _make(FLAT, params.dimension)
        self.tombstones = np.unique(
            np.asarray(tombstones if tombstones is not None else [], np.int64)
        )
        self.base_name = base_name
        self.base_ids = np.sort(_ids_of(self.base))
        self.delta_ids = set(_ids_of(self.delta).tolist())
        _tune(self.base)

    @classmethod
    def empty(cls, model: str, dimension: int, fingerprint: str) -> VectorIndex:
        return cls(IndexParams(model, dimension, fingerprint, FLAT))

    # -- reading ------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.base.ntotal) - len(self.tombstones) + int(self.delta.ntotal)

    def ids(self) -> set[int]:
        live = np.setdiff1d(self.base_ids, self.tombstones, assume_unique=True)
        return set(live.tolist()) | self.delta_ids

    def contains(self, ids: np.ndarray) -> np.ndarray:
        """Per id: whether it is in the index (and not deleted); binary search in the sorted ids,
        so asking about a document's passages costs nothing like the index's size."""
        ids = np.asarray(ids, dtype=np.int64)
        in_base = _member(ids, self.base_ids) & ~_member(ids, self.tombstones)
        in_delta = np.fromiter((int(i) in self.delta_ids for i in ids), dtype=bool, count=len(ids))
        found: np.ndarray = in_base | in_delta
        return found

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (ids, scores) for one query vector; ``allowed`` restricts to those ids."""
        return self.search_many(query.reshape(1, -1), k, allowed)[0]

    def search_many(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """``search`` for each row of ``queries`` in one call: FAISS spreads a batch over the
        cores and scans each list once for all of them."""
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        if len(self) == 0 or k <= 0 or (allowed is not None and len(allowed) == 0):
            return [empty for _ in range(len(queries))]
        q = np.ascontiguousarray(queries, dtype=np.float32)
        keep_alive: list[object] = []
        found_ids, found_scores = [], []
        for index, deleted in ((self.base, self.tombstones), (self.delta, None)):
            if index.ntotal == 0:
                continue
            selector = _selector(allowed, deleted, keep_alive)
            params: faiss.SearchParameters | None = None
            if "IVF" in self.params.factory and index is self.base:
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self.params.nprobe)  # type: ignore[call-arg]
            elif selector is not None:
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            scores, ids = index.search(q, min(k, int(index.ntotal)), params=params)
            found_ids.append(ids)
            found_scores.append(scores)
        every_ids, every_scores = np.hstack(found_ids), np.hstack(found_scores)
        results = []
        for ids, scores in zip(every_ids, every_scores, strict=True):
            keep = ids >= 0
            ids, scores = ids[keep], scores[keep]
            order = np.argsort(-scores, kind="stable")[:k]
            results.append((ids[order].astype(np.int64), scores[order]))
        return results

    def vectors(self, ids: list[int]) -> np.ndarray:
        """Stored vectors of ``ids`` (rows in the same order; half-precision ones decoded)."""
        out = np.zeros((len(ids), self.params.dimension), dtype=np.float32)
        for row, chunk_id in enumerate(ids):
            index = self.delta if int(chunk_id) in self.delta_ids else self.base
            out[row] = index.reconstruct(int(chunk_id))
        return out

    # -- changing --------------------------------------------------------------------------

    def changed(self, add_ids: list[int], add_vectors: np.ndarray, remove: set[int]) -> VectorIndex:
        """A new index with ``add_ids`` added and ``remove`` deleted; the base is shared."""
        if add_ids and add_vectors.shape != (len(add_ids), self.params.dimension):
            raise ValueError(
                f"expected {len(add_ids)} vectors of {self.params.dimension} dimensions"
            )
        delta = faiss.clone_index(self.delta)
        gone = [i for i in remove if i in self.delta_ids]
        if gone:
            delta.remove_ids(np.asarray(sorted(gone), dtype=np.int64))  # type: ignore[arg-type]
        if add_ids:
            delta.add_with_ids(
                np.ascontiguousarray(add_vectors, np.float32), np.asarray(add_ids, np.int64)
            )
        in_base = np.asarray(sorted(set(remove) - set(gone)), dtype=np.int64)
        in_base = in_base[np.isin(in_base, self.base_ids)]
        tombstones = np.union1d(self.tombstones, in_base)
        return VectorIndex(self.params, self.base, delta, tombstones, self.base_name)

    def needs_compaction(self, ann_threshold: int) -> bool:
        pending = int(self.delta.ntotal) + len(self.tombstones)
        if pending == 0:
            return False
        return pending >= max(COMPACT_MIN, COMPACT_SHARE * int(self.base.ntotal)) or (
            _factory_for(len(self), ann_threshold) != self.params.factory and pending >= COMPACT_MIN
        )

    def compacted(self, ann_threshold: int) -> VectorIndex:
        """One base holding every live vector, exact or IVF by size; an empty delta."""
        wanted = _factory_for(len(self), ann_threshold)
        delta_ids = _ids_of(self.delta)
        delta_vectors = _all_vectors(self.delta)
        if wanted == self.params.factory == FLAT:
            base = faiss.clone_index(self.base)
            if len(self.tombstones):
                base.remove_ids(self.tombstones)  # type: ignore[arg-type]
            if len(delta_ids):
                base.add_with_ids(delta_vectors, delta_ids)
        else:  # IVF keeps chunk ids readable only while added in one run: add them all again
            base_ids, base_vectors = _ids_of(self.base), _all_vectors(self.base)
            keep = ~np.isin(base_ids, self.tombstones)
            ids = np.concatenate([base_ids[keep], delta_ids])
            vectors = np.ascontiguousarray(np.concatenate([base_vectors[keep], delta_vectors]))
            if wanted == self.params.factory:
                base = faiss.clone_index(self.base)  # the trained lists are kept
                base.reset()
            else:
                base = _make(wanted, self.params.dimension)
            if "IVF" in wanted and not base.is_trained:
                lists = faiss.extract_index_ivf(base).nlist
                sample = np.random.default_rng(0).choice(
                    len(vectors), min(len(vectors), lists * 40), replace=False
                )
                base.train(vectors[np.sort(sample)])
            if len(ids):
                base.add_with_ids(vectors, ids)
        params = replace(self.params, factory=wanted)
        if "IVF" in wanted:
            params = replace(params, nprobe=nprobe_for(faiss.extract_index_ivf(base).nlist))
        return VectorIndex(params, base, None, None, None)

    # -- persistence ----------------------------------------------------------------------

    def save(self, folder: Path, name: str) -> list[str]:
        """Write the segments not yet on disk (the base only when new) under ``name``, and the
        parameters; returns the files this index reads, for the manifest."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.base_name is None:
            _write_atomic(folder / base_file(name), lambda p: faiss.write_index(self.base, p))
            self.base_name = name
        _write_atomic(folder / delta_file(name), lambda p: faiss.write_index(self.delta, p))
        _write_atomic(folder / tombstones_file(name), lambda p: _save_array(p, self.tombstones))
        write_json_atomic(folder / PARAMS_FILE, asdict(self.params))
        return [base_file(self.base_name), delta_file(name), tombstones_file(name)]

    @classmethod
    def load(cls, folder: Path, params: IndexParams, base: str, delta: str) -> VectorIndex:
        """The segments a manifest names; IndexDamaged naming the file when one cannot be read."""
        base_index = _read(folder / base_file(base), params)
        delta_index = _read(folder / delta_file(delta), params)
        path = folder / tombstones_file(delta)
        try:
            tombstones = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as error:
            raise IndexDamaged(path, _reason(error)) from error
        if "IVF" in params.factory:  # an index saved with fewer probes than its lists now need
            lists = faiss.extract_index_ivf(base_index).nlist
            params = replace(params, nprobe=max(params.nprobe, nprobe_for(lists)))
        return cls(params, base_index, delta_index, tombstones, base)

    @classmethod
    def load_delta(cls, folder: Path, previous: VectorIndex, delta: str) -> VectorIndex:
        """A newer snapshot sharing ``previous``'s base (a reader reloads only what changed)."""
        delta_index = _read(folder / delta_file(delta), previous.params)
        path = folder / tombstones_file(delta)
        try:
            tombstones = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as error:
            raise IndexDamaged(path, _reason(error)) from error
        return cls(previous.params, previous.base, delta_index, tombstones, previous.base_name)

    @classmethod
    def open(cls, folder: Path, model: str, dimension: int, fingerprint: str) -> VectorIndex | None:
        """The published index; None (with a warning naming the file) if there is none or it is
        damaged; IndexMismatch if another model built it."""
        from search.snapshot import Manifest

        params = read_params(folder, model, dimension, fingerprint)
        if params is None:
            return None
        try:
            manifest = Manifest.read(folder)
            if manifest is None:
                return open_legacy(folder, params)
            return cls.load(folder, params, manifest.base, manifest.delta)
        except IndexDamaged as damage:
            warn_damaged(damage.path, damage.reason)
            return None


def _member(ids: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
    """Per id: whether it is in ``sorted_ids`` (ascending)."""
    if len(sorted_ids) == 0:
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    found: np.ndarray = sorted_ids[at] == ids
    return found


def base_file(name: str) -> str:
    return f"base-{name}.faiss"


def delta_file(name: str) -> str:
    return f"delta-{name}.faiss"


def tombstones_file(name: str) -> str:
    return f"tombstones-{name}.npy"


def read_params(folder: Path, model: str, dimension: int, fingerprint: str) -> IndexParams | None:
    """The saved parameters; None if missing or damaged (warned); IndexMismatch for another model."""
    path = folder / PARAMS_FILE
    if not path.exists():
        if any(folder.glob("*.faiss")):
            warn_damaged(path, "it is missing")
        return None
    try:
        params = IndexParams.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as error:
        warn_damaged(path, _reason(error))
        return None
    check_model(params, model, dimension, fingerprint)
    return params


def check_model(built: IndexParams, model: str, dimension: int, fingerprint: str) -> None:
    """IndexMismatch when the index was built with another model than the configured one."""
    if built.fingerprint != fingerprint or built.dimension != dimension:
        raise IndexMismatch(
            f"the search index was built with the model {built.model!r} "
            f"(fingerprint {built.fingerprint}, {built.dimension} dimensions) but the "
            f"configured model is {model!r} (fingerprint {fingerprint}, {dimension} "
            "dimensions); run `hoptac reindex` to rebuild the index with the configured model"
        )


def open_legacy(folder: Path, params: IndexParams) -> VectorIndex | None:
    """An earlier release's single vectors.faiss, as a base with no delta (None if absent)."""
    path = folder / LEGACY_FILE
    if not path.exists():
        return None
    base = _read(path, params)
    if "HNSW" in params.factory:  # HNSW cannot delete: its vectors move to an exact base
        base = _flat_copy(base, params.dimension)
    return VectorIndex(
        replace(params, factory=FLAT if "HNSW" in params.factory else params.factory), base
    )


def warn_damaged(path: Path, reason: str) -> None:
    logger.warning(
        "the search index file %s cannot be used (%s); rebuilding the index from the catalog",
        path,
        reason.splitlines()[0] if reason else "unreadable",
    )


def _reason(error: object) -> str:
    if isinstance(error, FileNotFoundError):
        return "it is missing"
    return str(error).strip() or type(error).__name__


def _read(path: Path, params: IndexParams) -> faiss.Index:
    if not path.exists():
        raise IndexDamaged(path, "it is missing")
    try:
        index = faiss.read_index(str(path))
    except (RuntimeError, OSError) as error:  # FAISS's own message is a C++ assertion
        raise IndexDamaged(path, "it is truncated or not a FAISS index") from error
    if index.d != params.dimension or not hasattr(index, "id_map"):
        raise IndexDamaged(path, f"it holds {index.d}-dimension vectors without chunk ids")
    return index


def _factory_for(count: int, ann_threshold: int) -> str:
    return FLAT if count <= ann_threshold else ivf_factory(count)


def _make(factory: str, dimension: int) -> faiss.Index:
    return faiss.index_factory(dimension, factory, faiss.METRIC_INNER_PRODUCT)


def _tune(index: faiss.Index) -> None:
    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else None
    if isinstance(inner, faiss.IndexIVF) and inner.direct_map.type == faiss.DirectMap.NoMap:  # type: ignore[attr-defined]
        inner.make_direct_map(True)  # chunk vectors readable by id (``vectors``)


def _ids_of(index: faiss.Index) -> np.ndarray:
    if index.ntotal == 0:
        return np.zeros(0, dtype=np.int64)
    return faiss.vector_to_array(index.id_map).astype(np.int64)  # type: ignore[attr-defined]


def _all_vectors(index: faiss.Index) -> np.ndarray:
    """Every stored vector, in id-map order (decoded when quantised)."""
    if index.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    inner = faiss.downcast_index(index.index)  # type: ignore[attr-defined]
    vectors: np.ndarray = inner.reconstruct_n(0, int(inner.ntotal))
    return vectors


def _flat_copy(index: faiss.Index, dimension: int) -> faiss.Index:
    flat = _make(FLAT, dimension)
    ids = _ids_of(index)
    if len(ids):
        flat.add_with_ids(np.stack([index.reconstruct(int(i)) for i in ids]), ids)
    return flat


def _selector(
    allowed: np.ndarray | None, deleted: np.ndarray | None, keep_alive: list[object]
) -> faiss.IDSelector | None:
    """Only ``allowed`` ids (a bitmap over ids), else all but ``deleted`` ones, else None."""
    if allowed is not None:
        allowed = np.asarray(allowed, dtype=np.int64)
        bits = np.zeros(int(allowed.max()) + 1, dtype=bool)
        bits[allowed] = True
        if deleted is not None and len(deleted):
            bits[deleted[deleted < len(bits)]] = False
        packed = np.packbits(bits, bitorder="little")
        keep_alive.append(packed)
        selector: faiss.IDSelector = faiss.IDSelectorBitmap(len(packed), faiss.swig_ptr(packed))
    elif deleted is not None and len(deleted):
        batch = faiss.IDSelectorBatch(deleted)
        keep_alive.append(batch)
        selector = faiss.IDSelectorNot(batch)
    else:
        return None
    keep_alive.append(selector)
    return selector


def _save_array(path: str, array: np.ndarray) -> None:
    with open(path, "wb") as fh:
        np.save(fh, array)


def _write_atomic(path: Path, write: object) -> None:
    """Write through ``write(temp path)`` then rename, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)  # type: ignore[operator]
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_json_atomic(path: Path, data: dict[str, object]) -> None:
    _write_atomic(path, lambda p: Path(p).write_text(json.dumps(data, indent=2), encoding="utf-8"))
