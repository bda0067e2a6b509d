"""Search latency: p50/p95 of engine.search and of GET /api/search over HTTP, on a big catalog.

The catalog holds the eval corpora's paragraphs as documents plus synthetic chunks (sentences of
those paragraphs reshuffled) up to ``--extra`` chunks, 10k by default. Latency depends on how many
vectors and postings there are, not on what the vectors mean, so the extra chunks get cheap
pseudo-random unit vectors instead of hours of CPU embedding; every query is embedded for real.

    python -m bench.search_latency                  # engine and, if the API exists, HTTP
    python -m bench.search_latency --extra 100000 --queries 100
    python -m bench.search_latency --ann            # exact vs HNSW search time by index size
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import SyntheticPassages, percentiles, reshuffled, text_document
from catalog import Catalog
from hoptac.settings import Settings
from models import Embedder, load_embedder
from search.engine import SearchEngine
from search.lexical import LexicalIndex


def fill_catalog(catalog: Catalog, eval_dir: Path, extra: int) -> list[str]:
    """Store eval paragraphs and ``extra`` synthetic chunks (50 per document); return queries."""
    paragraphs: list[str] = []
    queries: list[str] = []
    for name in ("xquad-dev/corpus_vi", "xquad-dev/corpus_en", "alqac22/corpus_vi"):
        path = eval_dir / f"{name}.jsonl"
        paragraphs += [json.loads(line)["text"] for line in path.read_text().splitlines()]
    for name in ("xquad-dev/queries_vi", "xquad-dev/queries_en", "xquad-dev/queries_vi_stripped"):
        path = eval_dir / f"{name}.jsonl"
        queries += [json.loads(line)["text"] for line in path.read_text().splitlines()]
    rng = random.Random(7)
    texts = paragraphs + reshuffled(paragraphs, extra, rng)
    for start in range(0, len(texts), 50):
        doc_type = rng.choice(["Kế hoạch", "paper"])
        catalog.store(
            text_document(f"doc-{start // 50}", texts[start : start + 50], doc_type, bilingual=True)
        )
    rng.shuffle(queries)
    return queries


def time_engine(engine: SearchEngine, queries: list[str], k: int) -> dict[str, float]:
    samples = []
    for query in queries:
        started = time.perf_counter()
        engine.search(query, k=k)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def time_http(settings: Settings, queries: list[str]) -> dict[str, float] | None:
    """GET /api/search against uvicorn in its own process on a loopback port, one at a time.

    A separate process, so the client's Python does not share the server's interpreter lock.
    """
    try:
        import httpx

        import api.app  # noqa: F401 - only checks that the app exists
    except ImportError:
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "HOPTAC_DATA_DIR": str(settings.data_dir),
        "HOPTAC_MODEL": settings.model,
        "HF_HUB_OFFLINE": "1",
    }
    from auth.users import UserStore

    catalog = Catalog(settings.catalog_location)
    users = UserStore(catalog)
    if users.find("bench") is None:
        users.add("bench", "reader", "confidential")
    token = users.new_token("bench")
    catalog.close()
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parents[1])
    samples = []
    try:
        headers = {"Authorization": f"Bearer {token}"}
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=120, headers=headers) as client:
            deadline = time.time() + 300
            while time.time() < deadline:
                try:
                    if client.get("/api/search", params={"q": "y tế"}).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            for query in queries:
                started = time.perf_counter()
                response = client.get("/api/search", params={"q": query})
                samples.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return percentiles(samples)


def ann_table(
    dimension: int = 384, sizes: tuple[int, ...] = (10_000, 50_000, 100_000, 200_000)
) -> str:
    """Exact vs HNSW32 search time (ms/query) and HNSW recall@10, on random unit vectors."""
    import faiss

    rng = np.random.default_rng(0)
    lines = [
        "| vectors | flat ms | hnsw ms | hnsw recall@10 | hnsw build s |",
        "|---|---|---|---|---|",
    ]
    for n in sizes:
        data = rng.standard_normal((n, dimension)).astype(np.float32)
        data /= np.linalg.norm(data, axis=1, keepdims=True)
        queries = data[rng.choice(n, 50, replace=False)] + 0.3 * rng.standard_normal(
            (50, dimension)
        ).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        flat = faiss.IndexFlatIP(dimension)
        flat.add(data)
        started = time.perf_counter()
        truth = [flat.search(q[None], 10)[1][0] for q in queries]
        flat_ms = (time.perf_counter() - started) * 1000 / len(queries)
        hnsw = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        started = time.perf_counter()
        hnsw.add(data)
        build = time.perf_counter() - started
        hnsw.hnsw.efSearch = 128
        started = time.perf_counter()
        found = [hnsw.search(q[None], 10)[1][0] for q in queries]
        hnsw_ms = (time.perf_counter() - started) * 1000 / len(queries)
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found, strict=True)])
        lines.append(f"| {n} | {flat_ms:.2f} | {hnsw_ms:.2f} | {recall:.3f} | {build:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--extra", type=int, default=10_000, help="synthetic chunks to add")
    parser.add_argument("--queries", type=int, default=200, help="timed queries")
    parser.add_argument(
        "--model", default="", help="sentence-transformers folder (default: bundled)"
    )
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--ann", action="store_true", help="only print the exact vs HNSW table")
    args = parser.parse_args(argv)
    if args.ann:
        print(ann_table())
        return 0
    with tempfile.TemporaryDirectory(prefix="hoptac-latency-") as tmp:
        model_settings = Settings(model=args.model)
        real = load_embedder(model_settings)
        settings = Settings(data_dir=Path(tmp), model=args.model or str(_bundled(model_settings)))
        catalog = Catalog(settings.catalog_location)
        queries = fill_catalog(catalog, args.eval_dir, args.extra)[: args.queries]
        engine = SearchEngine(settings, catalog, embedder=SyntheticPassages(real))
        started = time.perf_counter()
        report = engine.sync()
        print(
            f"indexed {report.total} chunks in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        chunks = [c for batch in catalog.iter_chunks() for c in batch]
        started = time.perf_counter()
        LexicalIndex.build([c.id for c in chunks], [c.text for c in chunks])
        lexical_s = time.perf_counter() - started
        print(f"lexical index rebuild over {len(chunks)} chunks: {lexical_s:.2f} s")
        engine.search("warm up", k=10)
        # Same catalog, same run: the model's own query vectors (no language-neutral map), the
        # configuration before it, as the baseline.
        plain = SearchEngine(
            Settings(data_dir=Path(tmp) / "baseline", model=settings.model),
            catalog,
            embedder=SyntheticPassages(real).with_neutralizer(None),
        )
        plain.search("warm up", k=10)
        print("| path | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
        for label, k, timed in (
            ("engine.search k=10", 10, engine),
            ("engine.search k=10, no language-neutral map (baseline)", 10, plain),
            ("engine.search k=50", 50, engine),
        ):
            r = time_engine(timed, queries, k)
            print(f"| {label} | {r['n']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |")
        r = time_snippets_by_meaning(engine, real, queries)
        print(
            f"| snippets by meaning, a page of 10 foreign hits (real sentence vectors, "
            f"uncached, query embedding included) | {r['n']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['max_ms']} |"
        )
        if not args.no_http:
            catalog.close()
            http = time_http(settings, queries)
            if http is None:
                print("| GET /api/search | - | (api.app not available) | | |")
            else:
                print(
                    f"| GET /api/search | {http['n']} | {http['p50_ms']} | {http['p95_ms']} "
                    f"| {http['max_ms']} |"
                )
    return 0


def time_snippets_by_meaning(
    engine: SearchEngine, real: Embedder, queries: list[str], pages: int = 20
) -> dict[str, float]:
    """What a cross-lingual page of results adds: its hits' sentences embedded for real.

    The timed engine's passages are synthetic, so this times the snippet step alone: the first
    ten hits of real queries, shown for a Korean question that shares no word with them (every
    hit then takes the by-meaning path), the sentence cache emptied before each page.
    """
    foreign = "이 문서는 무엇에 관한 것입니까"
    samples = []
    for query in queries[:pages]:
        ids, _ = engine.rank(query)
        chunks = engine.catalog.chunks_by_ids(ids[:10])
        probe = SearchEngine(engine.settings, engine.catalog, embedder=real)
        started = time.perf_counter()
        probe._snippets(foreign, chunks)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def _bundled(settings: Settings) -> Path:
    from models.convert import ensure_bundled_model

    return ensure_bundled_model(settings.models_dir)


if __name__ == "__main__":
    raise SystemExit(main())
