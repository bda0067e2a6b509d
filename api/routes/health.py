"""GET /health: 200 once the model is loaded and the index is in step with the catalog."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.deps import CatalogDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(request: Request, catalog: CatalogDep) -> dict[str, Any]:
    """Not ready (409, with what to do) while the index was built with another model."""
    if request.app.state.problem is not None:
        raise request.app.state.problem
    documents, chunks = catalog.counts()
    return {"status": "ok", "documents": documents, "chunks": chunks}
