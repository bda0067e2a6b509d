"""The vector index: ids are catalog chunk ids, it deletes, grows into IVF, and refuses another model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import search.vectors as vectors_module
from hoptac.errors import IndexMismatch
from search.snapshot import Manifest
from search.vectors import FLAT, VectorIndex


def _unit(n: int, dimension: int = 16, seed: int = 0) -> np.ndarray:
    data = np.random.default_rng(seed).standard_normal((n, dimension)).astype(np.float32)
    return data / np.linalg.norm(data, axis=1, keepdims=True)


def test_search_filters_and_deletes_by_chunk_id() -> None:
    data = _unit(30)
    index = VectorIndex.empty("m", 16, "fp").changed(list(range(100, 130)), data, set())
    ids, scores = index.search(data[7], 3)
    assert ids[0] == 107 and scores[0] == pytest.approx(1.0, abs=1e-5)
    only, _ = index.search(data[7], 3, allowed=np.array([120, 121]))
    assert set(only) == {120, 121}
    smaller = index.changed([], np.zeros((0, 16), np.float32), {107})
    assert 107 not in smaller.ids() and smaller.search(data[7], 1)[0][0] != 107
    assert 107 in index.ids(), "the index searches were reading is left as it was"
    assert np.allclose(smaller.vectors([110])[0], data[10])


def test_a_passage_deleted_from_the_base_is_a_tombstone_until_compaction() -> None:
    data = _unit(30)
    index = VectorIndex.empty("m", 16, "fp").changed(list(range(30)), data, set()).compacted(1000)
    deleted = index.changed([30], _unit(1, seed=3), {7, 8})
    assert list(deleted.tombstones) == [7, 8] and len(deleted) == 29
    assert 7 not in set(deleted.search(data[7], 5)[0])
    assert 7 not in set(deleted.search(data[7], 5, allowed=np.array([7, 9]))[0])
    compact = deleted.compacted(1000)
    assert len(compact.tombstones) == 0 and compact.delta.ntotal == 0
    assert compact.ids() == deleted.ids()


def test_index_becomes_ivf_past_the_threshold_keeps_its_vectors_and_deletes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _unit(3000, dimension=32, seed=1)
    index = VectorIndex.empty("m", 32, "fp").changed(list(range(3000)), data, set())
    ivf = index.compacted(ann_threshold=1000)
    assert ivf.params.factory.startswith("IDMap2,IVF") and ivf.params.factory.endswith("SQfp16")
    hits = [ivf.search(data[i], 1)[0][0] for i in range(0, 3000, 100)]
    assert hits == list(range(0, 3000, 100))
    assert np.allclose(ivf.vectors([42])[0], data[42], atol=1e-3)  # half precision, decoded
    smaller = ivf.changed([], np.zeros((0, 32), np.float32), set(range(500, 3000))).compacted(1000)
    assert smaller.params.factory == FLAT and smaller.ids() == set(range(500))


def test_a_bigger_ivf_probes_more_lists_and_an_old_index_learns_it_on_load(tmp_path: Path) -> None:
    """Recall needs more probes as lists multiply; an index saved with the old fixed count gets
    the count its lists need when it is opened, without a rebuild."""
    assert vectors_module.nprobe_for(256) < vectors_module.nprobe_for(1024) < 1024 // 4
    data = _unit(3000, dimension=32, seed=2)
    ivf = VectorIndex.empty("m", 32, "fp").changed(list(range(3000)), data, set()).compacted(1000)
    assert ivf.params.nprobe == vectors_module.nprobe_for(256)
    old = VectorIndex(dataclasses.replace(ivf.params, nprobe=8), ivf.base)
    old.save(tmp_path, "g1")
    reopened = VectorIndex.load(tmp_path, old.params, "g1", "g1")
    assert reopened.params.nprobe == vectors_module.nprobe_for(256)


def test_index_refuses_a_model_it_was_not_built_with(tmp_path: Path) -> None:
    index = VectorIndex.empty("e5-small", 16, "aaaa").changed([1], _unit(1), set())
    index.save(tmp_path, "00000001")
    Manifest(generation=1, seq=0, base="00000001", delta="00000001").publish(tmp_path)
    assert VectorIndex.open(tmp_path / "none", "e5-small", 16, "aaaa") is None
    assert VectorIndex.open(tmp_path, "e5-small", 16, "aaaa").ids() == {1}  # type: ignore[union-attr]
    with pytest.raises(IndexMismatch, match="hoptac reindex"):
        VectorIndex.open(tmp_path, "other-model", 16, "bbbb")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # atomic writes leave no temp files


def test_compaction_waits_for_a_share_of_the_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors_module, "COMPACT_MIN", 10)
    base = VectorIndex.empty("m", 16, "fp").changed(list(range(200)), _unit(200), set())
    base = base.compacted(1000)
    few = base.changed(list(range(200, 205)), _unit(5, seed=2), set())
    assert not few.needs_compaction(1000)
    more = few.changed(list(range(205, 225)), _unit(20, seed=4), set())
    assert more.needs_compaction(1000)
