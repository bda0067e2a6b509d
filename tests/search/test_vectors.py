"""The vector index: ids are catalog chunk ids, it grows into HNSW, and it refuses another model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import search.vectors as vectors_module
from hoptac.errors import IndexMismatch
from search.vectors import FLAT, HNSW, VectorIndex


def _unit(n: int, dimension: int = 16, seed: int = 0) -> np.ndarray:
    data = np.random.default_rng(seed).standard_normal((n, dimension)).astype(np.float32)
    return data / np.linalg.norm(data, axis=1, keepdims=True)


def test_search_filters_and_deletes_by_chunk_id() -> None:
    data = _unit(30)
    index = VectorIndex.empty("m", 16, "fp")
    index.add(list(range(100, 130)), data)
    ids, scores = index.search(data[7], 3)
    assert ids[0] == 107 and scores[0] == pytest.approx(1.0, abs=1e-5)
    only, _ = index.search(data[7], 3, allowed=np.array([120, 121]))
    assert set(only) == {120, 121}
    index.remove({107})
    assert 107 not in index.ids() and index.search(data[7], 1)[0][0] != 107
    assert np.allclose(index.vectors([110])[0], data[10])


def test_index_becomes_hnsw_past_the_threshold_and_keeps_its_vectors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(vectors_module, "ANN_THRESHOLD", 20)
    data = _unit(40)
    index = VectorIndex.empty("m", 16, "fp")
    index.add(list(range(20)), data[:20])
    assert index.params.factory == FLAT
    index.add(list(range(20, 40)), data[20:])
    assert index.params.factory == HNSW and len(index) == 40
    assert index.search(data[33], 1)[0][0] == 33
    index.remove(set(range(15, 40)))
    assert index.params.factory == FLAT and index.ids() == set(range(15))
    index.save(tmp_path, generation=5)
    reopened = VectorIndex.open(tmp_path, "m", 16, "fp")
    assert reopened is not None and reopened.params.generation == 5 and len(reopened) == 15


def test_index_refuses_a_model_it_was_not_built_with(tmp_path: Path) -> None:
    index = VectorIndex.empty("e5-small", 16, "aaaa")
    index.add([1], _unit(1))
    index.save(tmp_path, generation=1)
    assert VectorIndex.open(tmp_path / "none", "e5-small", 16, "aaaa") is None
    with pytest.raises(IndexMismatch, match="hoptac reindex"):
        VectorIndex.open(tmp_path, "other-model", 16, "bbbb")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # atomic writes leave no temp files
