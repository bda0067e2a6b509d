"""A knowledge base over a copy of the ingested sample corpus, one per test module."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase
from models import Embedder
from search.engine import SearchEngine


@pytest.fixture(scope="module")
def kb_settings(
    tmp_path_factory: pytest.TempPathFactory, sample_data_dir: Path, model_dir: Path
) -> Settings:
    data = tmp_path_factory.mktemp("kb-data") / "data"
    shutil.copytree(sample_data_dir, data)
    return Settings(data_dir=data, model=str(model_dir))


@pytest.fixture(scope="module")
def catalog(kb_settings: Settings) -> Iterator[Catalog]:
    catalog = Catalog(kb_settings.catalog_location)
    yield catalog
    catalog.close()


@pytest.fixture(scope="module")
def kb(catalog: Catalog, kb_settings: Settings, embedder: Embedder) -> KnowledgeBase:
    return KnowledgeBase(catalog, kb_settings.index_dir, embedder)


@pytest.fixture(scope="module")
def ingest_text(
    catalog: Catalog,
    kb_settings: Settings,
    embedder: Embedder,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., int]:
    """Ingest a text file written by the test, index it and update the knowledge base, as the
    worker does with a librarian's upload; its id."""
    folder = tmp_path_factory.mktemp("written")

    def ingest(name: str, text: str, classification: str = "internal") -> int:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        report = ingest_paths(catalog, kb_settings, [path], classification=classification)
        assert not report.failed, report.failed
        engine = SearchEngine(kb_settings, catalog, embedder=embedder)
        engine.sync()
        KnowledgeBase(catalog, kb_settings.index_dir, embedder, engine.vector_index).update()
        document_id = catalog.find_by_source(str(path.resolve()))
        if document_id is None:
            document_id = max(d.id for d in catalog.list_documents())
        return document_id

    return ingest


def document_id_of(catalog: Catalog, source_name: str) -> int:
    return next(d.id for d in catalog.list_documents() if d.source_name == source_name)
