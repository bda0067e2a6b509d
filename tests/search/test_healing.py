"""The indexes are derived from the catalog: damaged or lost, they are rebuilt, never fatal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from catalog import Catalog, Chunk, DocumentMetadata, NewDocument, Page
from hoptac.settings import Settings
from models import Embedder
from search import SearchEngine
from search.snapshot import MANIFEST_FILE, Manifest
from search.vectors import PARAMS_FILE, VectorIndex


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def current(folder: Path, kind: str) -> Path:
    """The file of the published snapshot's base (or delta) segment."""
    manifest = Manifest.read(folder)
    assert manifest is not None
    return folder / (f"base-{manifest.base}{kind}" if kind else "")


DAMAGES: dict[str, Callable[[Path], None]] = {
    "base-*.faiss missing": lambda folder: current(folder, ".faiss").unlink(),
    "base-*.faiss truncated": lambda folder: truncate(current(folder, ".faiss")),
    "base-*.faiss garbage": lambda folder: current(folder, ".faiss").write_bytes(b"\x00junk" * 50),
    "vectors.json missing": lambda folder: (folder / PARAMS_FILE).unlink(),
    "vectors.json garbled": lambda folder: (folder / PARAMS_FILE).write_text('{"model": "m", '),
    "vectors.json wrong shape": lambda folder: (folder / PARAMS_FILE).write_text("[1, 2]"),
    "snapshot.json garbled": lambda folder: (folder / MANIFEST_FILE).write_text('{"base": '),
}


def saved_index(folder: Path) -> None:
    index = VectorIndex.empty("m", 4, "fp").changed([1, 2], np.eye(4, dtype=np.float32)[:2], set())
    index.compacted(ann_threshold=1000).save(folder, "00000003")
    Manifest(generation=3, seq=0, base="00000003", delta="00000003").publish(folder)


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_index_file_opens_as_none_with_a_warning_naming_it(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    saved_index(tmp_path)
    DAMAGES[damage](tmp_path)
    with caplog.at_level(logging.WARNING, logger="hoptac"):
        assert VectorIndex.open(tmp_path, "m", 4, "fp") is None
    assert "rebuilding the index from the catalog" in caplog.text
    assert damage.split()[0].split("*")[0] in caplog.text


def test_an_intact_index_still_opens(tmp_path: Path) -> None:
    saved_index(tmp_path)
    opened = VectorIndex.open(tmp_path, "m", 4, "fp")
    assert opened is not None and opened.ids() == {1, 2}


def _library(tmp_path: Path, model_dir: Path) -> tuple[Settings, Catalog]:
    # Stories about the index files: on PostgreSQL too they run with the files store.
    settings = Settings(data_dir=tmp_path / "data", model=str(model_dir), index_store="files")
    catalog = Catalog(settings.catalog_location)
    text = "Quyết định phê duyệt chương trình tiêm chủng mở rộng cho trẻ em dưới 5 tuổi."
    catalog.store(
        NewDocument(
            source_key="qd",
            source_name="qd-vaccine.pdf",
            content_hash="qd",
            kind="pdf",
            stored_file="qd",
            size_bytes=10,
            metadata=DocumentMetadata(title="Tiêm chủng", languages=["vi"]),
            pages=[Page(1, text, "text")],
            chunks=[Chunk(0, text, "", 1, 1, "vi")],
        )
    )
    return settings, catalog


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["base-*.faiss truncated", "vectors.json garbled"])
def test_a_search_after_the_index_was_damaged_rebuilds_it_from_the_catalog(
    tmp_path: Path,
    model_dir: Path,
    embedder: Embedder,
    damage: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings, catalog = _library(tmp_path, model_dir)
    SearchEngine(settings, catalog, embedder=embedder).sync()
    DAMAGES[damage](settings.index_dir)
    with caplog.at_level(logging.WARNING, logger="hoptac"):
        reopened = SearchEngine(settings, catalog, embedder=embedder)
    assert "rebuilding the index from the catalog" in caplog.text
    assert reopened.search("tiêm chủng").results[0].source == "qd-vaccine.pdf"
    assert VectorIndex.open(settings.index_dir, *_model(embedder)) is not None
    DAMAGES[damage](settings.index_dir)
    assert SearchEngine(settings, catalog, embedder=embedder).reindex().total == 1


@pytest.mark.slow
def test_a_lost_lexical_segment_is_rebuilt_from_the_catalog_without_embedding_again(
    tmp_path: Path, model_dir: Path, embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    settings, catalog = _library(tmp_path, model_dir)
    SearchEngine(settings, catalog, embedder=embedder).sync()
    import shutil

    shutil.rmtree(current(settings.index_dir, ".lexical"))
    with caplog.at_level(logging.WARNING, logger="hoptac"):
        report = SearchEngine(settings, catalog, embedder=embedder).sync()
    assert "lexical" in caplog.text and report.total == 1 and report.added == 0
    reopened = SearchEngine(settings, catalog, embedder=embedder, writes_index=False)
    assert reopened.search("tiem chung").results[0].source == "qd-vaccine.pdf"


def _model(embedder: Embedder) -> tuple[str, int, str]:
    return embedder.name, embedder.dimension, embedder.fingerprint
