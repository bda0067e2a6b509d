"""GET /health: is the server ready, how far the search index lags the catalog, what is queued."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import CatalogDep, EngineDep, QueueDep

router = APIRouter(tags=["health"])


class QueueState(BaseModel):
    queued: int
    running: int


class Health(BaseModel):
    """``status`` is "ok" when every catalogued passage is searchable and nothing waits,
    "indexing" while the worker has files or passages still to take in."""

    status: str
    documents: int
    chunks: int
    #: Catalogued passages the search index does not hold yet (not yet findable).
    index_lag: int
    queue: QueueState


@router.get("/health", response_model=Health)
async def health(
    request: Request, catalog: CatalogDep, engine: EngineDep, queue: QueueDep
) -> Health:
    """Not ready (409, with what to do) while the index was built with another model."""
    if request.app.state.problem is not None:
        raise request.app.state.problem
    documents, chunks = await run_in_threadpool(catalog.counts)
    lag = await run_in_threadpool(engine.lag)
    waiting = QueueState(**await run_in_threadpool(queue.counts))
    busy = lag or waiting.queued or waiting.running
    return Health(
        status="indexing" if busy else "ok",
        documents=documents,
        chunks=chunks,
        index_lag=lag,
        queue=waiting,
    )
