"""Uploads in the inbox, their jobs, and huey's SQLite queue that hands them to the worker.

An upload is written to ``inbox/.partial-*`` while it arrives, becomes ``inbox/<id><suffix>`` once
its job is recorded, and is deleted when the job ends. So a server killed mid-upload leaves only a
partial file, removed on the next start, and a worker killed mid-job leaves a running job whose
file is still there to resume from.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from pathlib import Path

from huey import SqliteHuey

from hoptac.settings import Settings
from jobs.store import MAX_ATTEMPTS, Job, JobStore

logger = logging.getLogger("hoptac")

PARTIAL = ".partial-"
#: Longest file suffix kept on an inbox file (the stored original keeps it too).
MAX_SUFFIX = 16


class IngestQueue:
    """The data directory's ingest queue, shared by the web process and the worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.inbox = settings.data_dir / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        path = settings.data_dir / "queue.sqlite3"
        self.jobs = JobStore(settings.jobs_location, f"{socket.gethostname()}:{self.inbox}")
        self.huey = SqliteHuey(name="hoptac-ingest", filename=str(path), results=False)
        #: What runs a job in this process; only a worker sets it.
        self.handler: Callable[[int], None] | None = None
        self._task = self.huey.task(name="ingest_job")(self._run)

    def _run(self, job_id: int) -> None:
        if self.handler is None:
            raise RuntimeError("this process has no ingest worker to run jobs")
        self.handler(job_id)

    # -- the web process's side ------------------------------------------------------------

    def partial_path(self, name: str) -> Path:
        """Where an upload is written while it arrives."""
        suffix = Path(name).suffix.lower()
        suffix = suffix if len(suffix) <= MAX_SUFFIX else ""
        return self.inbox / f"{PARTIAL}{uuid.uuid4().hex}{suffix}"

    def submit(
        self,
        partial: Path,
        name: str,
        run_id: int,
        actor: str,
        classification: str,
        replaces: int | None = None,
    ) -> Job:
        """Queue a fully written upload: record its job, move it into place, wake the worker."""
        final = partial.with_name(partial.name.removeprefix(PARTIAL))
        job = self.jobs.add(run_id, name, final.name, actor, classification, replaces)
        os.replace(partial, final)
        self._task(job.id)
        return job

    def remove_partials(self) -> int:
        """Delete uploads a killed server left half written; how many."""
        removed = 0
        for path in self.inbox.glob(f"{PARTIAL}*"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def counts(self) -> dict[str, int]:
        return self.jobs.counts()

    # -- the worker's side -----------------------------------------------------------------

    def recover(self) -> list[Job]:
        """Settle what a killed worker left: resume its jobs, or fail those it died on twice.

        huey's queue is rebuilt from the job table (the truth), and inbox files no job needs are
        deleted. Returns the jobs that were running when their worker died.
        """
        orphans = self.jobs.orphaned()
        for job in orphans:
            if job.attempts < MAX_ATTEMPTS and (self.inbox / job.inbox).is_file():
                logger.warning("resuming job %s (%s): its worker stopped mid-way", job.id, job.name)
                self.jobs.requeue(job.id)
            else:
                reason = (
                    f"the worker stopped while ingesting {job.name} {job.attempts} times; the "
                    "file may be too costly to read: check it, then upload it again"
                )
                self.fail(job, reason)
        self.huey.flush()
        for job in self.jobs.waiting():
            self._task(job.id)
        in_use = self.jobs.inbox_in_use()
        for path in self.inbox.iterdir():
            if not path.name.startswith(PARTIAL) and path.name not in in_use:
                path.unlink(missing_ok=True)
        return orphans

    def fail(self, job: Job, reason: str) -> None:
        """End a job the worker could not run, with a report saying why."""
        report = {"path": job.name, "status": "failed", "document_id": None, "reason": reason}
        self.jobs.finish(job.id, "failed", report)
        (self.inbox / job.inbox).unlink(missing_ok=True)

    def run_pending(self) -> int:
        """Run every queued job in this thread, oldest first; how many ran (tests, benchmarks)."""
        ran = 0
        while (task := self.huey.dequeue()) is not None:
            self.huey.execute(task)
            ran += 1
        return ran
