"""GET /health: 200 once the model is loaded and the index is in step with the catalog."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import CatalogDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(catalog: CatalogDep) -> dict[str, Any]:
    return {
        "status": "ok",
        "documents": len(catalog.list_documents()),
        "chunks": len(catalog.chunk_ids()),
    }
