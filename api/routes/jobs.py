"""Ingest jobs: one per uploaded file, from queued to done, for the upload page to poll."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import CatalogDep, QueueDep, UploaderDep, visible
from api.params import MAX_ID
from api.schemas import JobList, JobView
from auth import Role, User
from catalog import Catalog
from hoptac.errors import NotFound
from jobs import Job

router = APIRouter(prefix="/api", tags=["jobs"])


def job_view(job: Job, allowed: set[int]) -> JobView:
    """The job, its report naming no document above the user's clearance (bytes stored before)."""
    report = job.report
    if report and report.get("document_id") is not None and report["document_id"] not in allowed:
        report = {**report, "document_id": None, "title": None}
    return JobView(
        id=job.id,
        run_id=job.run_id,
        name=job.name,
        status=job.status,
        classification=job.classification,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        report=report,
        url=f"/api/jobs/{job.id}",
    )


def may_see(user: User, job: Job) -> bool:
    """Uploaders see their own jobs; admins see everyone's."""
    return user.role == Role.ADMIN or job.actor == user.name


def visible_ids(catalog: Catalog, user: User) -> set[int]:
    return catalog.document_ids(visible(user))


@router.get("/jobs/{job_id}", response_model=JobView)
async def get_job(
    queue: QueueDep,
    catalog: CatalogDep,
    user: UploaderDep,
    job_id: Annotated[int, Path(ge=1, le=MAX_ID, description="A job id from an upload.")],
) -> JobView:
    """One job's status; poll it until ``status`` is done or failed."""
    try:
        job = await run_in_threadpool(queue.jobs.get, job_id)
    except KeyError:
        job = None
    if job is None or not may_see(user, job):
        raise NotFound(f"ingest job {job_id} does not exist")
    return job_view(job, await run_in_threadpool(visible_ids, catalog, user))


@router.get("/jobs", response_model=JobList)
async def list_jobs(
    queue: QueueDep,
    catalog: CatalogDep,
    user: UploaderDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> JobList:
    """Recent jobs, newest first: the user's own, or everyone's for an admin."""
    recent = await run_in_threadpool(queue.jobs.recent, limit)
    allowed = await run_in_threadpool(visible_ids, catalog, user)
    return JobList(jobs=[job_view(j, allowed) for j in recent if may_see(user, j)])
