"""Search latency while the ingest worker works: p50/p95 idle, then while a batch is ingested.

`hoptac serve` runs on a loopback port over a catalog of the eval corpora's paragraphs plus
synthetic chunks (``--extra``, as in bench/search_latency.py, with cheap pseudo-random passage
vectors; every query is embedded for real). Its worker process is the one `serve` starts, at lower
CPU priority. One client searches one query at a time: first with nothing queued, then while the
sample corpus (OCR included) and ``--texts`` text files, uploaded at once, are read, OCR'd,
embedded and committed. Both phases use fresh queries (no cache hits), in the same run.

    python -m bench.ingest_search
    python -m bench.ingest_search --extra 2000 --texts 10 --queries 100
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from auth import UserStore
from bench.common import SyntheticPassages, percentiles, reshuffled, text_document
from catalog import Catalog
from hoptac.settings import Settings
from models import load_embedder
from search.engine import SearchEngine

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
#: p95 while ingesting may be at most this many times the idle p95 (issue 16).
TARGET_RATIO = 2.0


def read_jsonl(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


def prefill(catalog: Catalog, paragraphs: list[str], extra: int) -> None:
    """Eval paragraphs plus ``extra`` chunks of reshuffled sentences, 50 chunks per document."""
    texts = paragraphs + reshuffled(paragraphs, extra, random.Random(7))
    for start in range(0, len(texts), 50):
        catalog.store(text_document(f"doc-{start // 50}", texts[start : start + 50]))


def batch_files(folder: Path, paragraphs: list[str], texts: int, ocr: bool) -> list[Path]:
    """The sample corpus (with ``ocr``, its scan and photo too) and ``texts`` text files."""
    scans = (".jpg", "-scan.pdf")
    files = [
        p
        for p in sorted(CORPUS.iterdir())
        if p.name != "README.md" and (ocr or not p.name.endswith(scans))
    ]
    rng = random.Random(11)
    for i in range(texts):
        path = folder / f"bao-cao-{i:03d}.txt"
        path.write_text("\n\n".join(rng.sample(paragraphs, 12)), encoding="utf-8")
        files.append(path)
    return files


def fresh(queries: list[str]) -> Iterator[str]:
    """The queries, then again with a number added: never one the server has cached."""
    yield from queries
    for n in itertools.count(2):
        yield from (f"{query} {n}" for query in queries)


def timed_search(client: httpx.Client, query: str) -> float:
    started = time.perf_counter()
    client.get("/api/search", params={"q": query}).raise_for_status()
    return (time.perf_counter() - started) * 1000


def unfinished(client: httpx.Client, ids: set[int]) -> int:
    jobs = client.get("/api/jobs", params={"limit": 200}).json()["jobs"]
    return sum(1 for j in jobs if j["id"] in ids and j["status"] in ("queued", "running"))


def upload(client: httpx.Client, paths: list[Path]) -> set[int]:
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = client.post("/api/documents", files=files)
    response.raise_for_status()
    return {job["id"] for job in response.json()["jobs"]}


def wait_for(client: httpx.Client, ids: set[int], limit: float) -> None:
    deadline = time.monotonic() + limit
    while unfinished(client, ids) and time.monotonic() < deadline:
        time.sleep(0.5)


def start_server(data: Path, model: str) -> tuple[subprocess.Popen[bytes], str]:
    """`hoptac serve` (and so its worker) on a free loopback port; waits until it answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "HOPTAC_MODEL": model, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-c", "from api.cli import main; main()", "--data-dir", str(data)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start within 5 minutes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--extra", type=int, default=10_000, help="synthetic chunks prefilled")
    parser.add_argument("--texts", type=int, default=20, help="text files in the ingested batch")
    parser.add_argument("--queries", type=int, default=150, help="timed idle queries")
    parser.add_argument("--ocr", action="store_true", help="the batch has the scan and photo too")
    parser.add_argument(
        "--max-busy-seconds", type=float, default=600, help="stop timing after this long"
    )
    parser.add_argument("--model", default="", help="sentence-transformers folder")
    args = parser.parse_args(argv)

    paragraphs = read_jsonl(args.eval_dir / "xquad-dev/corpus_vi.jsonl")
    paragraphs += read_jsonl(args.eval_dir / "xquad-dev/corpus_en.jsonl")
    queries = read_jsonl(args.eval_dir / "xquad-dev/queries_vi.jsonl")
    queries += read_jsonl(args.eval_dir / "xquad-dev/queries_en.jsonl")
    random.Random(5).shuffle(queries)
    queries = list(dict.fromkeys(queries))

    with tempfile.TemporaryDirectory(prefix="hoptac-ingest-search-") as tmp:
        model_settings = Settings(model=args.model)  # the bundled model, converted once
        real = load_embedder(model_settings)
        model = args.model or str(_bundled(model_settings))
        settings = Settings(data_dir=Path(tmp) / "data", model=model)
        catalog = Catalog(settings.catalog_location)
        prefill(catalog, paragraphs, args.extra)
        SearchEngine(settings, catalog, embedder=SyntheticPassages(real)).sync()
        users = UserStore(catalog)
        users.add("bench", "admin", "confidential", password="bench-password-long")
        token = users.new_token("bench")
        catalog.close()
        print("catalog prefilled and indexed; starting hoptac serve", file=sys.stderr)
        files = batch_files(Path(tmp), paragraphs, args.texts, args.ocr)

        server, base = start_server(settings.data_dir, model)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
                warm = Path(tmp) / "warm-up.txt"
                warm.write_text("Kế hoạch hợp tác quốc tế về y tế năm 2026.", encoding="utf-8")
                wait_for(client, upload(client, [warm]), 300)  # the worker has started
                print("worker ready; timing idle searches", file=sys.stderr)
                pending = fresh(queries)
                for _ in range(5):
                    timed_search(client, next(pending))
                idle = [timed_search(client, next(pending)) for _ in range(args.queries)]

                print("uploading the batch; timing searches meanwhile", file=sys.stderr)
                started = time.perf_counter()
                ids = upload(client, files)
                busy: list[float] = []
                deadline = time.monotonic() + args.max_busy_seconds
                while time.monotonic() < deadline:
                    busy += [timed_search(client, next(pending)) for _ in range(10)]
                    if not unfinished(client, ids):
                        break
                ingest_s = time.perf_counter() - started
                jobs = client.get("/api/jobs", params={"limit": 200}).json()["jobs"]
                outcomes = [j["status"] for j in jobs if j["id"] in ids]
        finally:
            server.terminate()
            server.wait(timeout=60)

    quiet, loaded = percentiles(idle), percentiles(busy)
    ended = sum(1 for status in outcomes if status in ("done", "failed"))
    print(f"{args.extra} synthetic chunks prefilled; the worker ingested {ended} of {len(files)}")
    print(f"files ({outcomes.count('failed')} failed) in {ingest_s:.0f} s, searched meanwhile")
    print("| GET /api/search | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    for label, r in (("idle", quiet), ("while the worker ingests", loaded)):
        print(f"| {label} | {r['n']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |")
    ratio = loaded["p95_ms"] / quiet["p95_ms"]
    verdict = "met" if ratio <= TARGET_RATIO else "missed"
    print(f"p95 busy / idle: {ratio:.2f} (target <= {TARGET_RATIO:.0f}: {verdict})")
    return 0


def _bundled(settings: Settings) -> Path:
    from models.convert import ensure_bundled_model

    return ensure_bundled_model(settings.models_dir)


if __name__ == "__main__":
    raise SystemExit(main())
