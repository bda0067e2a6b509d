"""Documents: upload (ingest), list, show, correct, download the original, delete, similar."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from api.deps import CatalogDep, EngineDep, SettingsDep
from api.params import MAX_ID, ChunkId, DocumentId, upload_name
from api.schemas import document_detail, document_summary, plain, search_response
from hoptac.errors import InvalidInput, NotFound, NothingIngested
from ingest.catalog import DocumentFilter
from ingest.pipeline import delete_document, ingest_file

router = APIRouter(prefix="/api", tags=["documents"])


@router.post("/documents", status_code=201)
async def upload(
    catalog: CatalogDep,
    engine: EngineDep,
    settings: SettingsDep,
    response: Response,
    files: Annotated[list[UploadFile], File(description="One or more files to ingest.")],
    run_id: Annotated[
        int | None,
        Form(
            ge=1,
            le=MAX_ID,
            description="Join this ingest run (from POST /api/runs) instead of a new one.",
        ),
    ] = None,
    replaces: Annotated[
        int | None,
        Form(
            ge=1,
            le=MAX_ID,
            description="Make the one uploaded file a new version of this document.",
        ),
    ] = None,
) -> dict[str, Any]:
    """Ingest uploaded files; each gets its own status. Searches keep being answered meanwhile.

    The status says what happened: 201 when a file became a document or a new version, 200 when
    every file was already stored (unchanged), 422 (NothingIngested, the per-file statuses in
    ``details``) when every file failed. A browser sends a batch one file per request, for per-file
    progress; ``run_id`` keeps the batch together as one ingest run.

    Each file is a new document, whatever its name (two librarians' "bien-ban.txt" stay two
    documents), unless its bytes are already stored (unchanged) or ``replaces`` names the document
    it is a new version of.
    """
    names = [upload_name(upload_file.filename) for upload_file in files]
    if replaces is not None:
        if len(files) != 1:
            raise InvalidInput(f"replaces takes exactly one file, not {len(files)}")
        await run_in_threadpool(catalog.get_document, replaces)  # NotFound: 404
    if run_id is None:
        run_id = await run_in_threadpool(catalog.start_run)
    elif not await run_in_threadpool(catalog.has_run, run_id):
        raise NotFound(f"ingest run {run_id} does not exist; start one with POST /api/runs")
    reports = []
    with tempfile.TemporaryDirectory(prefix="hoptac-upload-") as folder:
        for upload_file, name in zip(files, names, strict=True):
            path = Path(folder) / name
            path.write_bytes(await upload_file.read())
            report = await run_in_threadpool(
                ingest_file, catalog, settings, path, f"upload:{uuid.uuid4().hex}", name, replaces
            )
            await run_in_threadpool(
                catalog.record_file,
                run_id,
                name,
                report.status,
                report.document_id,
                report.reason,
                report.seconds,
                report.warnings,
            )
            reports.append(report)
    await run_in_threadpool(catalog.finish_run, run_id)
    body = {"run_id": run_id, "files": [plain(r) for r in reports]}
    if all(r.status == "failed" for r in reports):
        reasons = "; ".join(f"{r.path}: {r.reason}" for r in reports)
        raise NothingIngested(f"no file could be ingested ({reasons})", details=body)
    if any(r.status in ("ingested", "updated") for r in reports):
        await run_in_threadpool(engine.sync)
    else:
        response.status_code = 200  # every file was already stored: nothing was created
    return body


@router.get("/documents")
def list_documents(
    catalog: CatalogDep,
    type: str | None = None,
    lang: str | None = None,
    issuer: str | None = None,
) -> dict[str, Any]:
    docs = catalog.list_documents(DocumentFilter(doc_type=type, language=lang, issuer=issuer))
    return {"documents": [document_summary(d) for d in docs], "total": len(docs)}


@router.get("/documents/{document_id}")
def get_document(catalog: CatalogDep, document_id: DocumentId) -> dict[str, Any]:
    doc = catalog.get_document(document_id)
    return document_detail(doc, catalog.pages(document_id), catalog.chunks(document_id))


@router.patch("/documents/{document_id}")
def correct_document(
    catalog: CatalogDep, document_id: DocumentId, changes: dict[str, str | None]
) -> dict[str, Any]:
    """Librarians' metadata corrections; they survive re-ingest of the file."""
    if not changes:
        raise InvalidInput('send a JSON object of the fields to correct, e.g. {"title": "..."}')
    return document_summary(catalog.correct(document_id, changes))


@router.get("/documents/{document_id}/file")
def original_file(
    catalog: CatalogDep, settings: SettingsDep, document_id: DocumentId
) -> FileResponse:
    doc = catalog.get_document(document_id)
    path = settings.data_dir / doc.stored_file
    if not path.is_file():
        raise NotFound(f"the original of document {document_id} is missing from the data directory")
    inline = doc.kind in ("pdf", "image", "html", "text")
    return FileResponse(
        path,
        filename=doc.source_name,
        content_disposition_type="inline" if inline else "attachment",
    )


@router.delete("/documents/{document_id}")
def remove_document(
    catalog: CatalogDep, engine: EngineDep, settings: SettingsDep, document_id: DocumentId
) -> dict[str, Any]:
    doc = delete_document(catalog, settings, document_id)
    engine.sync()
    return {"deleted": doc.id, "source": doc.source_name}


@router.get("/documents/{document_id}/similar")
def similar(
    catalog: CatalogDep,
    engine: EngineDep,
    document_id: DocumentId,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    catalog.get_document(document_id)
    return search_response(engine.similar(document_id=document_id, k=k))


@router.post("/runs", status_code=201)
def start_run(catalog: CatalogDep) -> dict[str, int]:
    """Open an ingest run that several uploads can join (``run_id`` on POST /api/documents)."""
    return {"run_id": catalog.start_run()}


@router.get("/runs")
def runs(catalog: CatalogDep, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    return {"runs": [plain(r) for r in catalog.runs(limit)]}


@router.get("/chunks/{chunk_id}/similar")
def similar_to_passage(
    engine: EngineDep, chunk_id: ChunkId, k: Annotated[int, Query(ge=1, le=50)] = 10
) -> dict[str, Any]:
    """Passages nearest to one passage (its twin in another language, say), not itself."""
    return search_response(engine.similar(chunk_id=chunk_id, k=k))
