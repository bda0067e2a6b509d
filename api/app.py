"""The FastAPI application: the HTTP API, its OpenAPI page at /docs, and the web app at /."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.routes import documents, health, search
from hoptac import __version__
from hoptac.errors import IndexMismatch
from hoptac.settings import Settings
from ingest.catalog import Catalog

WEB_DIR = Path(__file__).parent / "web"
logger = logging.getLogger("hoptac")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the model loads once, at start-up, before /health answers."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from search.engine import SearchEngine

        app.state.settings = settings
        app.state.catalog = Catalog(settings.catalog_path)
        app.state.catalog.mark_interrupted_runs()  # runs a killed server or CLI left open
        app.state.engine = SearchEngine(settings, app.state.catalog)
        app.state.problem = None
        try:
            app.state.engine.sync()
        except IndexMismatch as error:
            # Serve anyway: documents stay readable, /health and searches say to run reindex.
            app.state.problem = error
            logger.warning("%s", error)
        yield

    app = FastAPI(title="hoptac", version=__version__, lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(documents.router)
    if (WEB_DIR / "index.html").exists():
        app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
