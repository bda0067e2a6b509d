"""JSON shapes of the API's answers, shared by the HTTP routes and ``hoptac search --json``."""

from __future__ import annotations

import dataclasses
from typing import Any

from catalog import ChunkRow, DocumentRow, PageRow


def plain(value: Any) -> Any:
    """Dataclasses and pydantic models as plain JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def search_response(response: Any) -> dict[str, Any]:
    data = plain(response)
    results = [
        {("text_restored" if k == "restored" else k): v for k, v in hit.items()}
        for hit in data.pop("results")
    ]
    return {"query": data.pop("query"), "results": results, "took_ms": data.pop("took_ms"), **data}


def document_summary(doc: DocumentRow) -> dict[str, Any]:
    data = plain(doc)
    data["file_url"] = f"/api/documents/{doc.id}/file"
    return data


def document_detail(
    doc: DocumentRow, pages: list[PageRow], chunks: list[ChunkRow]
) -> dict[str, Any]:
    data = document_summary(doc)
    data["pages"] = [plain(p) for p in pages]
    data["chunks"] = [plain(c) for c in chunks]
    sections: list[dict[str, Any]] = []
    for c in chunks:
        if c.section and (not sections or sections[-1]["section"] != c.section):
            sections.append({"section": c.section, "page": c.page_start, "chunk_id": c.id})
    data["sections"] = sections
    return data
