"""Documents: upload (ingest), list, show, correct, download the original, delete, similar."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from api.deps import (
    AuditDep,
    CatalogDep,
    DeleterDep,
    EditorDep,
    EngineDep,
    QueueDep,
    SettingsDep,
    UploaderDep,
    UserDep,
    visible,
    visible_document,
)
from api.params import MAX_ID, ChunkId, DocumentId, upload_name
from api.routes.jobs import job_view
from api.routes.kb import KbDep
from api.schemas import (
    Deleted,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    IngestRunView,
    RunList,
    RunStarted,
    SearchResults,
    UploadDone,
    UploadQueued,
)
from auth import Right, User
from catalog import CLASSIFICATIONS, Catalog, DocumentFilter
from hoptac.errors import InvalidInput, NotFound, NothingIngested, TooLarge
from ingest.pipeline import IngestRun, delete_document
from jobs import IngestQueue, Job

router = APIRouter(prefix="/api", tags=["documents"])
#: How long an upload with ``wait`` waits for its jobs before answering 202 with them.
WAIT_SECONDS = 600


def save_upload(upload_file: UploadFile, path: Path, limit: int) -> None:
    """Copy the upload to disk a megabyte at a time (never whole in memory); TooLarge past ``limit``."""
    written = 0
    with path.open("wb") as target:
        while block := upload_file.file.read(1 << 20):
            written += len(block)
            if written > limit:
                raise TooLarge(f"{upload_file.filename} is over the {limit >> 20} MB upload limit")
            target.write(block)


@router.post("/documents", status_code=202, response_model=UploadQueued | UploadDone)
async def upload(
    catalog: CatalogDep,
    queue: QueueDep,
    settings: SettingsDep,
    response: Response,
    user: UploaderDep,
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
    wait: Annotated[
        bool,
        Form(description="Answer when the files are ingested and searchable, with their reports."),
    ] = False,
) -> UploadQueued | UploadDone:
    """Queue uploaded files for the ingest worker: 202 at once, with a job per file to poll
    (``GET /api/jobs/{id}``). Reading, OCR and embedding happen in the worker, never here, so
    searches keep their speed while files are ingested.

    With ``wait``, the answer comes when every job ended, and its status says what happened: 201
    when a file became a document or a new version, 200 when every file was already stored
    (unchanged), 422 (NothingIngested, the per-file reports in ``details``) when every file
    failed. A browser sends a batch one file per request; ``run_id`` keeps the batch together as
    one ingest run.

    Each file is a new document, whatever its name (two librarians' "bien-ban.txt" stay two
    documents), unless its bytes are already stored (unchanged) or ``replaces`` names the document
    it is a new version of.
    """
    if classification not in CLASSIFICATIONS:
        raise InvalidInput(f"classification must be one of {', '.join(CLASSIFICATIONS)}")
    names = [upload_name(upload_file.filename) for upload_file in files]
    if replaces is not None:
        if len(files) != 1:
            raise InvalidInput(f"replaces takes exactly one file, not {len(files)}")
        await run_in_threadpool(visible_document, catalog, user, replaces)  # NotFound: 404
    if run_id is not None and not await run_in_threadpool(catalog.has_run, run_id):
        raise NotFound(f"ingest run {run_id} does not exist; start one with POST /api/runs")
    limit = settings.max_upload_mb * 1024 * 1024
    partials = [queue.partial_path(name) for name in names]
    try:
        for upload_file, partial in zip(files, partials, strict=True):
            await run_in_threadpool(save_upload, upload_file, partial, limit)
        if run_id is None:
            run_id = (await run_in_threadpool(IngestRun, catalog, settings)).run_id
        queued = [
            await run_in_threadpool(
                queue.submit, partial, name, run_id, user.name, classification, replaces
            )
            for partial, name in zip(partials, names, strict=True)
        ]
    finally:
        for partial in partials:  # what was not queued: too large, or the client went away
            partial.unlink(missing_ok=True)
    if wait:
        return await finished_upload(queue, catalog, user, response, run_id, queued)
    allowed = await run_in_threadpool(catalog.document_ids, visible(user))
    return UploadQueued(run_id=run_id, jobs=[job_view(job, allowed) for job in queued])


async def finished_upload(
    queue: IngestQueue,
    catalog: Catalog,
    user: User,
    response: Response,
    run_id: int,
    queued: list[Job],
) -> UploadQueued | UploadDone:
    """The upload's answer once its jobs ended (``wait``): per-file reports, an honest status."""
    deadline = time.monotonic() + WAIT_SECONDS
    ids = [job.id for job in queued]
    jobs = queued
    while not all(job.finished for job in jobs) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        jobs = [await run_in_threadpool(queue.jobs.get, job_id) for job_id in ids]
    allowed = await run_in_threadpool(catalog.document_ids, visible(user))
    views = [job_view(job, allowed) for job in jobs]
    if not all(job.finished for job in jobs):
        return UploadQueued(run_id=run_id, jobs=views)  # still 202
    files = [view.report or {} for view in views]
    body = UploadDone(run_id=run_id, files=files, jobs=views)
    if all(f.get("status") == "failed" for f in files):
        reasons = "; ".join(f"{f.get('path')}: {f.get('reason')}" for f in files)
        raise NothingIngested(
            f"no file could be ingested ({reasons})", details=body.model_dump(mode="json")
        )
    created = any(f.get("status") in ("ingested", "updated") for f in files)
    response.status_code = 201 if created else 200  # 200: every file was already stored
    return body


@router.get("/documents", response_model=DocumentList)
def list_documents(
    catalog: CatalogDep,
    user: UserDep,
    type: str | None = None,
    lang: str | None = None,
    issuer: str | None = None,
) -> DocumentList:
    docs = catalog.list_documents(
        visible(user, DocumentFilter(doc_type=type, language=lang, issuer=issuer))
    )
    return DocumentList(documents=[DocumentSummary.of(d) for d in docs], total=len(docs))


@router.get("/documents/{document_id}", response_model=DocumentDetail)
def get_document(catalog: CatalogDep, user: UserDep, document_id: DocumentId) -> DocumentDetail:
    doc = visible_document(catalog, user, document_id)
    return DocumentDetail.of_parts(doc, catalog.pages(document_id), catalog.chunks(document_id))


@router.patch("/documents/{document_id}", response_model=DocumentSummary)
def correct_document(
    catalog: CatalogDep,
    kb: KbDep,
    user: EditorDep,
    audit: AuditDep,
    document_id: DocumentId,
    changes: dict[str, str | None],
) -> DocumentSummary:
    """Librarians' metadata corrections (they survive re-ingest) and ``classification``; the
    knowledge base reads the corrected number, type, title and date before this answers."""
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
        kb.update()
    return DocumentSummary.of(doc)


@router.get("/documents/{document_id}/file")
def original_file(
    catalog: CatalogDep,
    settings: SettingsDep,
    user: UserDep,
    audit: AuditDep,
    document_id: DocumentId,
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


@router.delete("/documents/{document_id}", response_model=Deleted)
def remove_document(
    catalog: CatalogDep,
    engine: EngineDep,
    kb: KbDep,
    settings: SettingsDep,
    user: DeleterDep,
    audit: AuditDep,
    document_id: DocumentId,
) -> Deleted:
    visible_document(catalog, user, document_id)
    doc = delete_document(catalog, settings, document_id)
    audit.record(user.name, "delete", document_id, doc.source_name)
    engine.sync()
    kb.update()
    return Deleted(deleted=doc.id, source=doc.source_name)


@router.get("/documents/{document_id}/similar", response_model=SearchResults)
def similar(
    catalog: CatalogDep,
    engine: EngineDep,
    user: UserDep,
    document_id: DocumentId,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResults:
    visible_document(catalog, user, document_id)
    return SearchResults.of(engine.similar(document_id=document_id, k=k, filters=visible(user)))


@router.post("/runs", status_code=201, response_model=RunStarted)
def start_run(catalog: CatalogDep, settings: SettingsDep, user: UploaderDep) -> RunStarted:
    """Open an ingest run that several uploads can join (``run_id`` on POST /api/documents)."""
    return RunStarted(run_id=IngestRun(catalog, settings).run_id)


@router.get("/runs", response_model=RunList)
def runs(
    catalog: CatalogDep, user: UserDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> RunList:
    """Recent runs; files that became documents above the user's clearance are left out."""
    allowed = catalog.document_ids(visible(user))
    result = []
    for run in catalog.runs(limit):
        run.files = [f for f in run.files if f.document_id is None or f.document_id in allowed]
        result.append(IngestRunView.of(run))
    return RunList(runs=result)


@router.get("/chunks/{chunk_id}/similar", response_model=SearchResults)
def similar_to_passage(
    catalog: CatalogDep,
    engine: EngineDep,
    user: UserDep,
    chunk_id: ChunkId,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResults:
    """Passages nearest to one passage (its twin in another language, say), not itself."""
    chunks = catalog.chunks_by_ids([chunk_id])
    allowed = catalog.document_ids(visible(user))
    if not chunks or chunks[0].document_id not in allowed:
        raise NotFound(f"chunk {chunk_id} does not exist")
    return SearchResults.of(engine.similar(chunk_id=chunk_id, k=k, filters=visible(user)))
