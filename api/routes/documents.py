"""Documents: upload (ingest), list, show, correct, download the original, delete, similar."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from api.deps import (
    AuditDep,
    CatalogDep,
    EngineDep,
    SettingsDep,
    UserDep,
    visible,
    visible_document,
)
from api.params import MAX_ID, ChunkId, DocumentId, upload_name
from api.schemas import document_detail, document_summary, plain, search_response
from auth import Right
from hoptac.errors import InvalidInput, NotFound, NothingIngested, TooLarge
from ingest.catalog import CLASSIFICATIONS, DocumentFilter
from ingest.pipeline import delete_document, ingest_file

router = APIRouter(prefix="/api", tags=["documents"])


def save_upload(upload_file: UploadFile, path: Path, limit: int) -> None:
    """Copy the upload to disk a megabyte at a time (never whole in memory); TooLarge past ``limit``."""
    written = 0
    with path.open("wb") as target:
        while block := upload_file.file.read(1 << 20):
            written += len(block)
            if written > limit:
                raise TooLarge(f"{upload_file.filename} is over the {limit >> 20} MB upload limit")
            target.write(block)


@router.post("/documents", status_code=201)
async def upload(
    catalog: CatalogDep,
    engine: EngineDep,
    settings: SettingsDep,
    response: Response,
    user: UserDep,
    audit: AuditDep,
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
    classification: Annotated[
        str, Form(description=f"Who may see the documents: {', '.join(CLASSIFICATIONS)}.")
    ] = "internal",
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
    user.require(Right.UPLOAD)
    if classification not in CLASSIFICATIONS:
        raise InvalidInput(f"classification must be one of {', '.join(CLASSIFICATIONS)}")
    names = [upload_name(upload_file.filename) for upload_file in files]
    if replaces is not None:
        if len(files) != 1:
            raise InvalidInput(f"replaces takes exactly one file, not {len(files)}")
        await run_in_threadpool(visible_document, catalog, user, replaces)  # NotFound: 404
    if run_id is None:
        run_id = await run_in_threadpool(catalog.start_run)
    elif not await run_in_threadpool(catalog.has_run, run_id):
        raise NotFound(f"ingest run {run_id} does not exist; start one with POST /api/runs")
    reports = []
    with tempfile.TemporaryDirectory(prefix="hoptac-upload-") as folder:
        for upload_file, name in zip(files, names, strict=True):
            path = Path(folder) / name
            limit = settings.max_upload_mb * 1024 * 1024
            await run_in_threadpool(save_upload, upload_file, path, limit)
            report = await run_in_threadpool(
                ingest_file,
                catalog,
                settings,
                path,
                f"upload:{uuid.uuid4().hex}",
                name,
                replaces,
                classification,
            )
            if report.status in ("ingested", "updated"):
                detail = f"{name} ({classification})"
                await run_in_threadpool(
                    audit.record, user.name, "upload", report.document_id, detail
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
    allowed = await run_in_threadpool(catalog.document_ids, visible(user))
    body = {"run_id": run_id, "files": [hide_unseen(plain(r), allowed) for r in reports]}
    if all(r.status == "failed" for r in reports):
        reasons = "; ".join(f"{r.path}: {r.reason}" for r in reports)
        raise NothingIngested(f"no file could be ingested ({reasons})", details=body)
    if any(r.status in ("ingested", "updated") for r in reports):
        await run_in_threadpool(engine.sync)
    else:
        response.status_code = 200  # every file was already stored: nothing was created
    return body


def hide_unseen(file: dict[str, Any], allowed: set[int]) -> dict[str, Any]:
    """A file report that names no document above the user's clearance (same bytes uploaded again)."""
    if file.get("document_id") is not None and file["document_id"] not in allowed:
        return {**file, "document_id": None, "title": None}
    return file


@router.get("/documents")
def list_documents(
    catalog: CatalogDep,
    user: UserDep,
    type: str | None = None,
    lang: str | None = None,
    issuer: str | None = None,
) -> dict[str, Any]:
    docs = catalog.list_documents(
        visible(user, DocumentFilter(doc_type=type, language=lang, issuer=issuer))
    )
    return {"documents": [document_summary(d) for d in docs], "total": len(docs)}


@router.get("/documents/{document_id}")
def get_document(catalog: CatalogDep, user: UserDep, document_id: DocumentId) -> dict[str, Any]:
    doc = visible_document(catalog, user, document_id)
    return document_detail(doc, catalog.pages(document_id), catalog.chunks(document_id))


@router.patch("/documents/{document_id}")
def correct_document(
    catalog: CatalogDep,
    user: UserDep,
    audit: AuditDep,
    document_id: DocumentId,
    changes: dict[str, str | None],
) -> dict[str, Any]:
    """Librarians' metadata corrections (they survive re-ingest) and ``classification``."""
    user.require(Right.EDIT)
    if not changes:
        raise InvalidInput('send a JSON object of the fields to correct, e.g. {"title": "..."}')
    before = doc = visible_document(catalog, user, document_id)
    changes = dict(changes)
    classification = changes.pop("classification", None)
    if classification is not None:
        user.require(Right.CLASSIFY)
        doc = catalog.classify(document_id, classification)
        detail = f"{before.classification} -> {classification}"
        audit.record(user.name, "reclassify", document_id, detail)
    if changes:
        doc = catalog.correct(document_id, changes)
        audit.record(user.name, "edit", document_id, ", ".join(sorted(changes)))
    return document_summary(doc)


@router.get("/documents/{document_id}/file")
def original_file(
    catalog: CatalogDep, settings: SettingsDep, user: UserDep, audit: AuditDep, document_id: DocumentId
) -> FileResponse:
    """The original, always as an attachment in a sandbox: an uploaded HTML or SVG file never runs
    script with the app's rights."""
    doc = visible_document(catalog, user, document_id)
    path = settings.data_dir / doc.stored_file
    if not path.is_file():
        raise NotFound(f"the original of document {document_id} is missing from the data directory")
    if doc.classification == "confidential":
        audit.record(user.name, "download confidential", document_id, doc.source_name)
    return FileResponse(
        path,
        filename=doc.source_name,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"},
    )


@router.delete("/documents/{document_id}")
def remove_document(
    catalog: CatalogDep,
    engine: EngineDep,
    settings: SettingsDep,
    user: UserDep,
    audit: AuditDep,
    document_id: DocumentId,
) -> dict[str, Any]:
    user.require(Right.DELETE)
    visible_document(catalog, user, document_id)
    doc = delete_document(catalog, settings, document_id)
    audit.record(user.name, "delete", document_id, doc.source_name)
    engine.sync()
    return {"deleted": doc.id, "source": doc.source_name}


@router.get("/documents/{document_id}/similar")
def similar(
    catalog: CatalogDep,
    engine: EngineDep,
    user: UserDep,
    document_id: DocumentId,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    visible_document(catalog, user, document_id)
    return search_response(engine.similar(document_id=document_id, k=k, filters=visible(user)))


@router.post("/runs", status_code=201)
def start_run(catalog: CatalogDep, user: UserDep) -> dict[str, int]:
    """Open an ingest run that several uploads can join (``run_id`` on POST /api/documents)."""
    user.require(Right.UPLOAD)
    return {"run_id": catalog.start_run()}


@router.get("/runs")
def runs(
    catalog: CatalogDep, user: UserDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> dict[str, Any]:
    """Recent runs; files that became documents above the user's clearance are left out."""
    allowed = catalog.document_ids(visible(user))
    result = []
    for run in catalog.runs(limit):
        run.files = [f for f in run.files if f.document_id is None or f.document_id in allowed]
        result.append(plain(run))
    return {"runs": result}


@router.get("/chunks/{chunk_id}/similar")
def similar_to_passage(
    catalog: CatalogDep,
    engine: EngineDep,
    user: UserDep,
    chunk_id: ChunkId,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """Passages nearest to one passage (its twin in another language, say), not itself."""
    chunks = catalog.chunks_by_ids([chunk_id])
    allowed = catalog.document_ids(visible(user))
    if not chunks or chunks[0].document_id not in allowed:
        raise NotFound(f"chunk {chunk_id} does not exist")
    return search_response(engine.similar(chunk_id=chunk_id, k=k, filters=visible(user)))
