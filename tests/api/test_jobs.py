"""Uploads are queued and ingested by a worker outside the web server: the upload answers at once,
each file's job shows its progress, /health shows what waits, and a killed worker's job resumes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog import Catalog, db
from hoptac.settings import Settings
from ingest.pipeline import ingest_file
from jobs import IngestQueue
from jobs.worker import IngestWorker
from models import Embedder

pytestmark = pytest.mark.slow

KYOTO = (
    "Biên bản ghi nhớ hợp tác giữa Bệnh viện Thanh Nhàn và Đại học Osaka về ghép giác mạc, "
    "ký ngày 5 tháng 10 năm 2025."
)
#: A process id no process has: the owner of a job whose worker was killed.
DEAD_OWNER = "999999999:killed"


@pytest.fixture(scope="module")
def server(app_settings: Settings, make_token: Callable[[str, str], str]) -> Iterator[TestClient]:
    """The web server alone, as `hoptac serve` runs it: its worker is another process."""
    headers = {"Authorization": f"Bearer {make_token('admin', 'confidential')}"}
    app = create_app(app_settings, worker=False)
    with TestClient(app, headers=headers) as client:
        yield client


@pytest.fixture(scope="module")
def worker(app_settings: Settings, embedder: Embedder) -> IngestWorker:
    """A worker over the same data directory, run step by step in the test's thread."""
    return IngestWorker(app_settings, embedder=embedder)


def upload(client: TestClient, name: str, text: str) -> dict:
    files = [("files", (name, text.encode(), "text/plain"))]
    response = client.post("/api/documents", files=files)
    assert response.status_code == 202, response.text
    return response.json()


def test_an_upload_answers_at_once_and_becomes_searchable_once_the_worker_ran(
    server: TestClient, worker: IngestWorker, app_settings: Settings
) -> None:
    body = upload(server, "bien-ban-osaka.txt", KYOTO)
    [job] = body["jobs"]
    assert (job["status"], job["report"]) == ("queued", None)
    assert server.get(job["url"]).json()["status"] == "queued"
    health = server.get("/health").json()
    assert health["status"] == "indexing" and health["queue"]["queued"] >= 1

    worker.start()
    assert worker.queue.run_pending() >= 1

    done = server.get(job["url"]).json()
    assert done["status"] == "done"
    assert done["report"]["status"] == "ingested" and done["report"]["chunks"] >= 1
    hits = server.get("/api/search", params={"q": "ghép giác mạc Osaka", "k": 3}).json()
    assert hits["results"][0]["document_id"] == done["report"]["document_id"]
    [run] = server.get("/api/runs", params={"limit": 1}).json()["runs"]
    assert run["id"] == body["run_id"] and run["status"] == "finished"
    assert not list(worker.queue.inbox.iterdir()), "the inbox is emptied"
    # The worker went on to embed the passages' snippet sentences, so searches embed only queries.
    catalog = Catalog(app_settings.catalog_location)
    chunk_ids = [c.id for c in catalog.chunks(done["report"]["document_id"])]
    fingerprint = worker.engine.embedder.fingerprint
    assert set(catalog.snippet_vectors(chunk_ids, fingerprint)) == set(chunk_ids)


def test_a_broken_file_ends_its_job_failed_with_the_reason(
    server: TestClient, worker: IngestWorker
) -> None:
    [job] = upload(server, "empty.txt", "")["jobs"]
    worker.queue.run_pending()
    failed = server.get(job["url"]).json()
    assert failed["status"] == "failed" and "empty" in failed["report"]["reason"]


def test_health_shows_passages_not_yet_indexed_and_what_is_queued(
    server: TestClient, worker: IngestWorker, app_settings: Settings, tmp_path: Path
) -> None:
    assert server.get("/health").json()["index_lag"] == 0
    path = tmp_path / "cong-van.txt"
    path.write_text("Công văn về hợp tác đào tạo kỹ thuật viên xạ trị với Hàn Quốc.", "utf-8")
    report = ingest_file(Catalog(app_settings.catalog_location), app_settings, path)
    assert report.status == "ingested"  # in the catalog, not yet embedded

    lagging = server.get("/health").json()
    assert lagging["index_lag"] == report.chunks and lagging["status"] == "indexing"
    worker.start()  # a worker starting brings the index up to date
    healthy = server.get("/health").json()
    assert healthy["index_lag"] == 0 and healthy["queue"] == {"queued": 0, "running": 0}
    assert healthy["status"] == "ok"


def killed_mid_way(queue: IngestQueue, job_id: int, attempts: int) -> None:
    """Leave the job as a worker killed while running it leaves it."""
    conn = db.connect(queue.jobs.location)
    conn.execute(
        "UPDATE jobs SET status = 'running', owner = ?, attempts = ? WHERE id = ?",
        (DEAD_OWNER, attempts, job_id),
    )
    conn.close()
    queue.huey.flush()  # huey had handed the job over already


def test_a_job_whose_worker_was_killed_resumes_when_a_worker_starts(
    server: TestClient, worker: IngestWorker
) -> None:
    [job] = upload(server, "hoi-thao.txt", "Thông báo hội thảo về y học cổ truyền ở Nam Định.")[
        "jobs"
    ]
    killed_mid_way(worker.queue, job["id"], attempts=1)
    assert server.get(job["url"]).json()["status"] == "running"

    worker.start()
    worker.queue.run_pending()
    resumed = server.get(job["url"]).json()
    assert resumed["status"] == "done" and resumed["report"]["status"] == "ingested"


def test_a_file_that_killed_the_worker_twice_is_marked_failed(
    server: TestClient, worker: IngestWorker
) -> None:
    [job] = upload(server, "nang.txt", "Kế hoạch hợp tác về vật lý trị liệu với Thụy Điển.")["jobs"]
    killed_mid_way(worker.queue, job["id"], attempts=2)
    worker.start()
    failed = server.get(job["url"]).json()
    assert failed["status"] == "failed"
    assert "stopped while ingesting nang.txt 2 times" in failed["report"]["reason"]
    assert not list(worker.queue.inbox.iterdir())


def test_a_half_written_upload_is_removed_when_the_server_starts(
    app_settings: Settings, make_token: Callable[[str, str], str]
) -> None:
    partial = IngestQueue(app_settings).partial_path("lon.pdf")
    partial.write_bytes(b"%PDF-1.4 cut short")
    with TestClient(create_app(app_settings, worker=False)):
        assert not partial.exists()


def test_jobs_are_shown_only_to_their_uploader_and_admins(
    server: TestClient, make_token: Callable[[str, str], str]
) -> None:
    [job] = upload(server, "rieng.txt", "Công văn về hợp tác dược lâm sàng với Pháp.")["jobs"]
    other = {"Authorization": f"Bearer {make_token('librarian', 'confidential')}"}
    assert server.get(job["url"], headers=other).status_code == 404
    listed = server.get("/api/jobs", headers=other).json()["jobs"]
    assert job["id"] not in {j["id"] for j in listed}
    assert job["id"] in {j["id"] for j in server.get("/api/jobs").json()["jobs"]}
    assert server.get("/api/jobs/999999").status_code == 404


def test_hoptac_worker_ingests_queued_uploads_in_its_own_process(
    server: TestClient, app_settings: Settings, database_env: Callable[[Path], dict[str, str]]
) -> None:
    [job] = upload(server, "ha-giang.txt", "Kế hoạch khám sàng lọc tim bẩm sinh ở Hà Giang.")[
        "jobs"
    ]
    command = [sys.executable, "-c", "from api.cli import main; main()"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "HOPTAC_MODEL": app_settings.model,
        **database_env(app_settings.data_dir),
    }
    worker = subprocess.Popen(
        [*command, "--data-dir", str(app_settings.data_dir), "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while server.get(job["url"]).json()["status"] != "done":
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            assert time.monotonic() < deadline, "the worker did not ingest the upload in 2 min"
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    hits = server.get("/api/search", params={"q": "sàng lọc tim bẩm sinh Hà Giang", "k": 1})
    assert hits.json()["results"][0]["source"] == "ha-giang.txt"
