"""The job table: one row per uploaded file, from queued to done or failed, with its report.

It is the source of truth for what is waiting: huey's queue only wakes the worker, and is rebuilt
from this table when a worker starts. Jobs live in ``queue.sqlite3`` beside the catalog, so status
polls and claims never contend with catalog writes; on PostgreSQL, in the shared database, so any
server answers a job's status. Each job names its ``queue`` (the host and inbox its upload landed
in): a worker takes only its own queue's jobs, whose files it has.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from catalog import db
from catalog.db import Connection, Location
from catalog.store import PROCESS_OWNER, owner_alive

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    inbox TEXT NOT NULL,
    actor TEXT NOT NULL,
    classification TEXT NOT NULL,
    replaces INTEGER,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    report TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    queue TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE INDEX IF NOT EXISTS jobs_run ON jobs(run_id);
"""
#: Columns added since the first release, added to older queue files when they are opened.
ADDED_COLUMNS = (("queue", "TEXT NOT NULL DEFAULT ''"),)

#: Job states; a job ends "done" (whatever its file's outcome, in ``report``) or "failed" (the
#: worker could not finish it: killed twice on it, or its upload never fully arrived).
STATUSES = ("queued", "running", "done", "failed")
#: Starts of a job before a worker that keeps dying on it gives up on the file.
MAX_ATTEMPTS = 2


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    """One uploaded file on its way into the catalog; ``report`` is the pipeline's FileReport."""

    id: int
    run_id: int
    name: str
    inbox: str
    actor: str
    classification: str
    replaces: int | None
    status: str
    attempts: int
    created_at: str
    started_at: str | None
    finished_at: str | None
    report: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class JobStore:
    """Thread-safe access to the job table: one connection per thread, WAL, short transactions.

    ``location`` is the queue's SQLite file or the shared PostgreSQL URL; ``queue`` names the
    inbox this process's jobs are in."""

    def __init__(self, location: Location, queue: str = "") -> None:
        self.location = location
        self.queue = queue
        self._local = threading.local()
        conn = self._conn
        db.begin(conn, location)
        try:
            for statement in db.ddl(SCHEMA, location):
                conn.execute(statement)
            for column, declaration in ADDED_COLUMNS:
                if column not in db.columns(conn, "jobs", location):
                    declaration = db.column_type(declaration, location)
                    conn.execute(f"ALTER TABLE jobs ADD COLUMN {column} {declaration}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def _conn(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = db.connect(self.location)
            self._local.conn = conn
        return conn

    def add(
        self,
        run_id: int,
        name: str,
        inbox: str,
        actor: str,
        classification: str,
        replaces: int | None = None,
    ) -> Job:
        row = self._conn.execute(
            "INSERT INTO jobs (run_id, name, inbox, actor, classification, replaces, created_at, "
            "queue) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (run_id, name, inbox, actor, classification, replaces, _now(), self.queue),
        ).fetchone()
        return self.get(int(row[0]))

    def get(self, job_id: int) -> Job:
        """The job; KeyError when there is none (the route turns it into 404)."""
        row = self._conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(job_id)
        return _job(row)

    def recent(self, limit: int = 50) -> list[Job]:
        rows = self._conn.execute("SELECT * FROM jobs ORDER BY id DESC LIMIT ?", (limit,))
        return [_job(r) for r in rows]

    def of_run(self, run_id: int) -> list[Job]:
        rows = self._conn.execute("SELECT * FROM jobs WHERE run_id = ? ORDER BY id", (run_id,))
        return [_job(r) for r in rows]

    def waiting(self) -> list[Job]:
        """This queue's queued jobs, oldest first."""
        rows = self._conn.execute(
            "SELECT * FROM jobs WHERE status = 'queued' AND queue = ? ORDER BY id", (self.queue,)
        )
        return [_job(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Jobs queued and running (what /health reports as the queue)."""
        rows = self._conn.execute(
            "SELECT status, COUNT(*) FROM jobs WHERE status IN ('queued', 'running') "
            "GROUP BY status"
        ).fetchall()
        found = {r[0]: int(r[1]) for r in rows}
        return {"queued": found.get("queued", 0), "running": found.get("running", 0)}

    def inbox_in_use(self) -> set[str]:
        rows = self._conn.execute(
            "SELECT inbox FROM jobs WHERE status IN ('queued', 'running') AND queue = ?",
            (self.queue,),
        )
        return {r[0] for r in rows}

    def claim(self, job_id: int) -> Job | None:
        """Mark a queued job running for this process; None when another worker has it or it ended.

        The claim is one conditional UPDATE, so a job enqueued twice still runs once.
        """
        cursor = self._conn.execute(
            "UPDATE jobs SET status = 'running', owner = ?, attempts = attempts + 1, "
            "started_at = ? WHERE id = ? AND status = 'queued'",
            (PROCESS_OWNER, _now(), job_id),
        )
        return self.get(job_id) if cursor.rowcount == 1 else None

    def finish(self, job_id: int, status: str, report: dict[str, Any]) -> None:
        self._conn.execute(
            "UPDATE jobs SET status = ?, report = ?, finished_at = ? WHERE id = ?",
            (status, json.dumps(report, ensure_ascii=False), _now(), job_id),
        )

    def requeue(self, job_id: int) -> None:
        self._conn.execute(
            "UPDATE jobs SET status = 'queued', owner = NULL WHERE id = ?", (job_id,)
        )

    def orphaned(self) -> list[Job]:
        """This queue's running jobs whose worker process is gone (killed mid-way)."""
        rows = self._conn.execute(
            "SELECT * FROM jobs WHERE status = 'running' AND queue = ?", (self.queue,)
        ).fetchall()
        return [_job(r) for r in rows if not owner_alive(r["owner"])]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _job(row: Any) -> Job:
    data = dict(row)
    data.pop("owner")
    data.pop("queue")
    report = data.pop("report")
    return Job(**data, report=json.loads(report) if report else None)
