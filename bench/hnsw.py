"""HNSW recall: the database store's vector search (pgvector HNSW over half-precision vectors, the
settings of search/database.py) against exact search, for several ``hnsw.ef_search`` values,
unfiltered and with half the documents filtered out inside the query (iterative scan).

Two sets: the real dev passage vectors with real dev questions (bench/retrieval.py's embedding
cache), and ``--size`` synthetic passages around them (bench/scale.py's: a real vector plus noise),
50 to a document. Exact search is numpy over the same half-precision vectors.

    python -m bench.hnsw --cache-dir DIR [--size 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import Databases
from bench.scale import synthetic_vector
from search import database
from search.database import vector_text

EF_VALUES = (40, 100, 200, 400)


def load_cache(cache_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """(passage vectors, query vectors) of the cache, mapped as the engine maps them."""
    from hoptac.settings import Settings
    from models import load_embedder
    from models.convert import ensure_bundled_model

    data = np.load(cache_dir / "embeddings.npz", allow_pickle=False)
    keys = [str(k) for k in data["keys"].tolist()]
    vectors = np.asarray(data["vectors"], dtype=np.float32)
    passages = vectors[[i for i, k in enumerate(keys) if k.startswith("passage: ")]]
    queries = vectors[[i for i, k in enumerate(keys) if k.startswith("query: ")]]
    model = str(ensure_bundled_model(Settings().models_dir))
    embedder = load_embedder(Settings(model=model))
    if embedder.neutralizer is not None:
        passages = embedder.neutralizer.apply(passages)
        queries = embedder.neutralizer.apply(queries)
    return np.asarray(passages, np.float32), np.asarray(queries, np.float32)


def measure(url: str, vectors: np.ndarray, queries: np.ndarray) -> list[dict[str, Any]]:
    import psycopg

    documents = np.arange(len(vectors)) // 50
    allowed = documents % 2 == 0
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    conn.execute(
        f"CREATE TABLE v (id bigint PRIMARY KEY, document_id bigint, "
        f"embedding halfvec({vectors.shape[1]}))"
    )
    conn.execute("CREATE TABLE allowed (id bigint PRIMARY KEY)")
    with conn.cursor() as cursor, cursor.copy("COPY v FROM STDIN") as copy:
        for i, (vector, document) in enumerate(zip(vectors, documents, strict=True)):
            copy.write_row((i, int(document), vector_text(vector)))
    with conn.cursor() as cursor, cursor.copy("COPY allowed FROM STDIN") as copy:
        for document in sorted(set(documents[allowed].tolist())):
            copy.write_row((document,))
    conn.execute("ANALYZE v")
    conn.execute("ANALYZE allowed")
    started = time.perf_counter()
    conn.execute(f"SET maintenance_work_mem = '{database.INDEX_MEMORY}'")
    conn.execute(
        "CREATE INDEX ON v USING hnsw (embedding halfvec_ip_ops) "
        f"WITH (m = {database.HNSW_M}, ef_construction = {database.HNSW_EF_CONSTRUCTION})"
    )
    build = time.perf_counter() - started
    stored = vectors.astype(np.float16).astype(np.float32)
    truth_all = [set(np.argsort(-(stored @ q))[:10].tolist()) for q in queries]
    masked = np.where(allowed, 0.0, -np.inf)
    truth_half = [set(np.argsort(-(stored @ q + masked))[:10].tolist()) for q in queries]
    conn.execute("SET hnsw.iterative_scan = relaxed_order")
    rows = []
    for ef in EF_VALUES:
        conn.execute(f"SET hnsw.ef_search = {ef}")
        row: dict[str, Any] = {"ef_search": ef, "build_s": round(build, 1)}
        for name, where, truth in (
            ("", "", truth_all),
            ("filtered ", "WHERE document_id IN (SELECT id FROM allowed)", truth_half),
        ):
            found, times = [], []
            for q, exact in zip(queries, truth, strict=True):
                began = time.perf_counter()
                got = conn.execute(
                    f"SELECT id FROM v {where} ORDER BY embedding <#> %s::halfvec LIMIT 10",
                    (vector_text(q),),
                ).fetchall()
                times.append((time.perf_counter() - began) * 1000)
                found.append(len(exact & {int(r[0]) for r in got}) / 10)
            row[f"{name}recall@10"] = round(float(np.mean(found)), 4)
            row[f"{name}p50 ms"] = round(float(np.median(times)), 2)
        rows.append(row)
    conn.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--m", type=int, default=database.HNSW_M, help="try another graph degree")
    parser.add_argument(
        "--ef-construction", type=int, default=database.HNSW_EF_CONSTRUCTION, help="and build list"
    )
    parser.add_argument("--real-only", action="store_true", help="skip the synthetic set")
    args = parser.parse_args(argv)
    database.HNSW_M, database.HNSW_EF_CONSTRUCTION = args.m, args.ef_construction
    passages, queries = load_cache(args.cache_dir)
    queries = queries[np.random.default_rng(0).permutation(len(queries))[: args.queries]]
    size = 0 if args.real_only else args.size
    synthetic = np.stack([synthetic_vector(f"{i}", passages) for i in range(max(size, 1))])
    print(
        f"# m={database.HNSW_M} ef_construction={database.HNSW_EF_CONSTRUCTION}, half-precision, "
        f"inner product; {len(queries)} real dev questions; the engine's setting: ef_search "
        f"{database.EF_SEARCH}"
    )
    with Databases(args.database_url) as databases:
        for label, vectors in (
            (f"{len(passages):,} real dev passages", passages),
            (f"{args.size:,} synthetic passages", synthetic),
        )[: 1 if args.real_only else 2]:
            rows = measure(databases.new(), vectors, queries)
            print(f"\n## {label} (HNSW built in {rows[0]['build_s']} s)\n")
            keys = [k for k in rows[0] if k != "build_s"]
            print("| " + " | ".join(keys) + " |")
            print("|---" * len(keys) + "|")
            for row in rows:
                print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
