"""The FastAPI application: the HTTP API, its OpenAPI page at /docs, and the web app at /."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from api.deps import UserDep
from api.errors import install_error_handlers
from api.routes import audit, config, documents, health, jobs, search, session
from api.routes import kb as kb_routes
from api.security import install_security
from catalog import Catalog
from hoptac import __version__
from hoptac.errors import IndexMismatch, NotFound
from hoptac.settings import Settings

WEB_DIR = Path(__file__).parent / "web"
logger = logging.getLogger("hoptac")


def create_app(
    settings: Settings | None = None, bound_host: str | None = None, worker: bool = True
) -> FastAPI:
    """Build the app; the model loads once, at start-up, before /health answers.

    ``bound_host`` (what ``hoptac serve --host`` binds) joins localhost among the allowed hosts.
    ``worker`` runs the ingest worker on a thread of this process (tests, a simple embedding);
    ``hoptac serve`` passes False and runs it as a separate, lower-priority process instead.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from jobs import IngestQueue
        from kb import prepare_area_vectors
        from search.engine import SearchEngine

        app.state.settings = settings
        app.state.catalog = Catalog(settings.catalog_location)
        app.state.catalog.mark_interrupted_runs()  # runs a killed server or CLI left open
        app.state.queue = IngestQueue(settings)
        app.state.queue.remove_partials()  # uploads a killed server left half written
        app.state.engine = SearchEngine(settings, app.state.catalog, writes_index=False)
        app.state.problem = None
        try:
            app.state.engine.sync()
        except IndexMismatch as error:
            # Serve anyway: documents stay readable, /health and searches say to run reindex.
            app.state.problem = error
            logger.warning("%s", error)
        # The knowledge base compares passages with area phrases: embed those once, here.
        # Deriving it is the writers' work: the ingest worker catches up when it starts (after
        # an upgrade, on the whole archive) at its lower priority, so searches never share this
        # process's CPU with it.
        prepare_area_vectors(app.state.catalog, app.state.engine.embedder)
        stop_worker = None
        if worker:
            from jobs.worker import IngestWorker

            embedder = app.state.engine.embedder
            stop_worker = IngestWorker(settings, app.state.queue, embedder).run_in_thread()
        yield
        if stop_worker is not None:
            stop_worker.set()

    app = FastAPI(
        title="hoptac", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    install_error_handlers(app)
    install_security(app, settings, bound_host)
    app.include_router(health.router)
    app.include_router(session.router)
    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(jobs.router)
    app.include_router(audit.router)
    app.include_router(config.router)
    app.include_router(kb_routes.router)

    @app.api_route(
        "/api/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    def unknown_api_route(path: str, user: UserDep) -> None:
        """Unknown API paths: 401 before 404, so nothing under /api answers without credentials."""
        raise NotFound(f"/api/{path} is not an API route; see /docs")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the swagger-ui-bundle package: the page works offline."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="hoptac API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )

    app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")
    if (WEB_DIR / "index.html").exists():
        app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
