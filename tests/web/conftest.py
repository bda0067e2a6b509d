"""Browser-test fixtures: the real app over the ingested sample corpus, and Debian's chromium.

The app runs in a background thread on a free localhost port; Playwright drives /usr/bin/chromium
(never a downloaded browser). Everything expensive (the model, the ingested corpus, the server, the
browser) is made once per session; each test gets a fresh browser context (no shared storage).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: The browser tests act as this admin; signing in is what a new user does first.
ADMIN = ("web-admin", "web-admin password")


def sample_files() -> list[Path]:
    """The sample documents of corpus/ (not its README nor the script that generates them)."""
    return [p for p in sorted(CORPUS.iterdir()) if p.is_file() and p.suffix not in (".py", ".md")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ingested_sample(request: pytest.FixtureRequest, data_dir: Path, settings) -> None:
    """Fill ``data_dir`` with the ingested sample corpus: a copy of the suite's shared
    ``sample_data_dir`` when there is one, else our own ingest of corpus/."""
    from catalog import Catalog
    from ingest.pipeline import ingest_paths

    try:
        shared = Path(request.getfixturevalue("sample_data_dir"))
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        shutil.copytree(shared, data_dir, dirs_exist_ok=True)
        return
    catalog = Catalog(settings.catalog_location)
    try:
        report = ingest_paths(catalog, settings, sample_files())
    finally:
        catalog.close()
    failed = [f"{f.path}: {f.reason}" for f in report.failed]
    assert not failed, f"sample corpus failed to ingest: {failed}"


@pytest.fixture(scope="session")
def web_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, model_dir: Path
):
    """Settings over a fresh data directory holding the ingested sample corpus."""
    from hoptac.settings import Settings

    data_dir = tmp_path_factory.mktemp("web") / "data"
    data_dir.mkdir()
    settings = Settings(data_dir=data_dir, model=str(model_dir))
    _ingested_sample(request, data_dir, settings)
    from auth import UserStore
    from catalog import Catalog

    UserStore(Catalog(settings.catalog_location)).add(ADMIN[0], "admin", "confidential", ADMIN[1])
    return settings


@pytest.fixture(scope="session")
def api_token(web_settings) -> str:
    """An admin's API token, for tests that ask the API directly (urllib)."""
    from auth import UserStore
    from catalog import Catalog

    return UserStore(Catalog(web_settings.catalog_location)).new_token(ADMIN[0])


def api_get(url: str, token: str):
    """GET a JSON API answer with the admin's token."""
    import json

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def no_job_running(live_server: str, api_token: str) -> None:
    """Uploads by earlier tests of the session have finished, so the archive a test searches is
    the same before and after its clicks."""
    deadline = time.monotonic() + 120
    while any(
        job["status"] in ("queued", "running")
        for job in api_get(f"{live_server}/api/jobs", api_token)["jobs"]
    ):
        assert time.monotonic() < deadline, "upload jobs still running after 120 s"
        time.sleep(0.5)


@pytest.fixture(scope="session")
def live_server(web_settings) -> Iterator[str]:
    """The real FastAPI app (API + web page) served by uvicorn in a thread; yields its base URL."""
    import uvicorn

    from api.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(web_settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="hoptac-web-test-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the hoptac app did not answer /health within 120 s")
        time.sleep(0.2)
    yield base
    server.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium under Playwright; skipped (with the fix) when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: run scripts/install_chromium.sh first")
    from playwright.sync_api import expect, sync_playwright

    # The 2-core machine may be busy with other tests: give assertions room, not just 5 s.
    expect.set_options(timeout=20_000)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_in_context(context) -> None:
    """Sign a Playwright browser context in as the admin (its pages share the session cookie)."""
    signed_in = context.request.post("/api/session", data={"name": ADMIN[0], "password": ADMIN[1]})
    assert signed_in.ok, signed_in.text()


@pytest.fixture(scope="session")
def sign_in():
    """``sign_in_context`` as a fixture, for tests that make their own browser context."""
    return sign_in_context


@pytest.fixture
def page(browser, live_server):
    """A fresh page (own storage, laptop-sized window) on the live app, signed in as an admin;
    fails on page errors."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    sign_in_context(context)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where reviewers find the screenshots the tests take (test-output/ is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def document_id(live_server: str, api_token: str):
    """Look up a sample document's catalog id by its file name, through the real API."""

    def lookup(source_name: str) -> int:
        documents = api_get(f"{live_server}/api/documents", api_token)["documents"]
        for doc in documents:
            if doc["source_name"] == source_name:
                return int(doc["id"])
        names = [d["source_name"] for d in documents]
        raise AssertionError(f"{source_name} is not in the catalog: {names}")

    return lookup


@pytest.fixture(scope="session")
def scanned_document_id(live_server: str, api_token: str) -> int:
    """A sample document whose text came from OCR (the corpus holds a scanned PDF and a photo)."""
    documents = api_get(f"{live_server}/api/documents", api_token)["documents"]
    for doc in sorted(documents, key=lambda d: d["kind"] != "pdf"):
        pages = api_get(f"{live_server}/api/documents/{doc['id']}", api_token)["pages"]
        if pages and all(p["method"] == "ocr" for p in pages):
            return int(doc["id"])
    raise AssertionError("the sample corpus holds no scanned document")


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, so a test reads OCR'd and restored text alike."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


@pytest.fixture(scope="session")
def folded():
    """``fold`` as a fixture (test modules are imported without the package path)."""
    return fold
