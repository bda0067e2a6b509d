"""The ingest worker: runs queued jobs through the pipeline, audits them, and saves the vectors.

It is the one process that reads, OCRs and embeds uploads, so the web server only embeds queries.
A job is marked done after the snapshot of the indexes holding its chunks is published and the
knowledge base has derived its facts: when a job is done, the server's next search finds its
document, and its partners, areas and agreements are listed.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import asdict
from typing import TYPE_CHECKING

from auth import AuditLog
from catalog import Catalog
from hoptac.errors import HoptacError
from hoptac.settings import Settings
from ingest.pipeline import FileReport, IngestRun
from jobs.queue import IngestQueue
from kb.build import UPDATE_FAILURES

if TYPE_CHECKING:
    from kb import KnowledgeBase
    from models import Embedder
    from search.engine import SearchEngine

logger = logging.getLogger("hoptac")


class IngestWorker:
    """Runs the jobs of one data directory's queue, in a thread or as the main loop of a process."""

    def __init__(
        self, settings: Settings, queue: IngestQueue | None = None, embedder: Embedder | None = None
    ) -> None:
        from kb import KnowledgeBase
        from search.engine import SearchEngine

        self.settings = settings
        self.queue = queue or IngestQueue(settings)
        self.catalog = Catalog(settings.catalog_location)
        self.engine: SearchEngine = SearchEngine(settings, self.catalog, embedder=embedder)
        self.knowledge: KnowledgeBase = KnowledgeBase(
            self.catalog, settings.index_dir, self.engine.embedder, self.engine.vector_index
        )
        self.queue.handler = self.run_job

    def start(self) -> None:
        """Resume or fail what a killed worker left, then bring the vector index up to date."""
        self.queue.recover()
        self._index()
        self._prepare_snippets()

    def run_job(self, job_id: int) -> None:
        """Ingest one job's file; a job another worker took or that already ended is skipped."""
        job = self.queue.jobs.claim(job_id)
        if job is None:
            return
        path = self.queue.inbox / job.inbox
        run = IngestRun(self.catalog, self.settings, job.run_id)
        if not path.is_file():
            self._close_run(run, job.id)
            self.queue.fail(job, f"the upload of {job.name} never finished arriving; send it again")
            return

        def stored(report: FileReport) -> None:
            detail = f"{job.name} ({job.classification})"
            AuditLog(self.catalog).record(job.actor, "upload", report.document_id, detail)
            warning = self._index()
            if warning:
                report.warnings.append(warning)

        report = run.ingest(
            path, f"upload:{job.inbox}", job.name, job.replaces, job.classification, stored
        )
        self._close_run(run, job.id)
        status = "failed" if report.status == "failed" else "done"
        self.queue.jobs.finish(job.id, status, asdict(report))
        path.unlink(missing_ok=True)
        self._prepare_snippets()

    def _prepare_snippets(self) -> None:
        """Embed the new passages' snippet sentences once the job reads as done (they are
        searchable already); a failure only leaves searches to embed them themselves."""
        try:
            self.engine.prepare_snippets()
        except UPDATE_FAILURES as error:  # the same as the knowledge base's: database or ours
            logger.warning("snippet sentences not prepared: %s", error)

    def _index(self) -> str | None:
        """Index what changed in the catalog and publish it, then bring the knowledge base up to
        it; a warning when either cannot."""
        try:
            if self.catalog.counts()[1] or self.settings.index_dir.exists():
                self.engine.sync()
        except HoptacError as error:  # e.g. the index needs `hoptac reindex`
            logger.warning("%s", error)
            return f"not yet searchable: {error}"
        try:
            self.knowledge.update()
        except UPDATE_FAILURES as error:  # the next update, or `kb rebuild`, heals
            logger.warning("knowledge base not updated: %s", error)
            return f"not yet in the knowledge base: {error}"
        return None

    def _close_run(self, run: IngestRun, ending: int) -> None:
        """Finish the run when job ``ending`` is its last one, before that job reads as ended."""
        if all(job.finished or job.id == ending for job in self.queue.jobs.of_run(run.run_id)):
            run.finish()

    def run_forever(self, niceness: int = 0) -> None:
        """Serve the queue until SIGINT or SIGTERM (huey's consumer), at lower CPU priority."""
        if niceness:
            os.nice(niceness)
        self.start()
        consumer = self.queue.huey.create_consumer(workers=1, periodic=False, max_delay=1.0)
        consumer.run()

    def run_in_thread(self) -> threading.Event:
        """Serve the queue on a daemon thread of this process (tests, a simple embedding of the
        app); set the returned event to stop it."""
        from huey.consumer import Worker

        stop = threading.Event()
        loop = Worker(self.queue.huey, stop, default_delay=0.05, max_delay=0.5, backoff=1.5)

        def serve() -> None:
            self.start()
            while not stop.is_set():
                loop.loop()

        threading.Thread(target=serve, name="hoptac-ingest-worker", daemon=True).start()
        return stop
