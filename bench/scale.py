"""Scale: search latency, freshness, start-up, memory and disk at archive sizes the CPU cannot
embed, for this tree's indexes beside the implementation before them (``--baseline-ref``), and
recall@10 of the approximate vector index against exact search.

Each size gets one catalog of synthetic passages: real sentences of the eval corpora recombined
into chunks of about 280 words, 50 chunks a document. Their vectors are real passage embeddings
(``--cache-dir``: bench/retrieval.py's embedding cache, else a few hundred embedded now) plus noise,
so they cluster as real archives do; every query is a real dev-set question embedded for real.
Each implementation runs in its own process (``--probe``), on its own copy of the catalog:

- build: the first full index of the catalog;
- start-up: opening a reader engine as the web server does, and its resident memory;
- engine p50/p95: ``engine.search`` over the queries; HTTP p50/p95: GET /api/search through the
  FastAPI app served by uvicorn in another process, query embedding included;
- new doc searchable: one 20-passage document committed, until a reader's search shows it;
- disk: the index folder.

``--kb`` measures the knowledge base instead, beside the whole rebuild before it (``--kb-baseline-ref``),
each on its own copy of the catalog: its first build, then ``KB_CHANGES`` times one new document
committed and indexed, and the time until the knowledge base holds it (before: until the first read,
which rebuilt everything), and the first search after (engine search plus the knowledge base's
partner, country and area facets over its hits, as GET /api/search computes them).

    python -m bench.scale                       # quick: 20k passages
    python -m bench.scale --sizes 100000,1000000 --cache-dir /work/exp/bench
    python -m bench.scale --kb --sizes 20000    # the knowledge base, beside its whole rebuild
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
#: The last commit before incremental indexes: its engine is the baseline.
BASELINE_REF = "ef0dcca"
CHUNKS_PER_DOCUMENT = 50
NEW_DOCUMENT_CHUNKS = 20
NOISE = 0.035
#: Lists probed before the probe count grew with the lists: recall's baseline.
OLD_NPROBE = 64
#: The last commit whose knowledge base rebuilt whole when a read found the catalog changed.
KB_BASELINE_REF = "b39d018"
KB_CHANGES = 3


# -- the catalog (run in this tree) -----------------------------------------------------------


def corpus(eval_dir: Path) -> tuple[list[str], list[str]]:
    """(sentences to recombine, real queries) from the dev sets."""
    paragraphs: list[str] = []
    for name in ("xquad-dev/corpus_vi", "xquad-dev/corpus_en", "alqac22/corpus_vi"):
        lines = (eval_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        paragraphs += [json.loads(line)["text"] for line in lines]
    queries: list[str] = []
    for name in ("xquad-dev/queries_vi", "xquad-dev/queries_en", "xquad-dev/queries_vi_stripped"):
        lines = (eval_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        queries += [json.loads(line)["text"] for line in lines]
    sentences = [s for p in paragraphs for s in p.replace("\n", " ").split(". ") if len(s) > 20]
    random.Random(3).shuffle(queries)
    return sentences, queries


def passage(rng: random.Random, sentences: list[str]) -> str:
    words: list[str] = []
    while len(words) < 260:
        words += rng.choice(sentences).split()
    return " ".join(words[:280])


def new_document(key: str, texts: list[str]) -> Any:
    """bench.common.text_document's twin, kept here: probes import the baseline tree's packages,
    which predate bench.common."""
    import dataclasses as dc

    from catalog import Chunk, DocumentMetadata, NewDocument, Page

    older = {"page_stripped_scores": [0.0] * len(texts)}  # a field the baseline still required
    return NewDocument(
        **{k: v for k, v in older.items() if k in {f.name for f in dc.fields(NewDocument)}},
        source_key=key,
        source_name=f"{key}.pdf",
        content_hash=key,
        kind="pdf",
        stored_file=key,
        size_bytes=1,
        metadata=DocumentMetadata(title=key, doc_type="Kế hoạch", languages=["vi", "en"]),
        pages=[Page(i + 1, t, "text") for i, t in enumerate(texts)],
        chunks=[
            Chunk(i, t, "", i + 1, i + 1, language="vi" if i % 2 else "en")
            for i, t in enumerate(texts)
        ],
    )


def fill_catalog(path: Path | str, size: int, sentences: list[str]) -> None:
    """``path``: the SQLite file, or a PostgreSQL URL."""
    from catalog import Catalog

    catalog = Catalog(path)
    rng = random.Random(size)
    for start in range(0, size, CHUNKS_PER_DOCUMENT):
        count = min(CHUNKS_PER_DOCUMENT, size - start)
        texts = [passage(rng, sentences) for _ in range(count)]
        catalog.store(new_document(f"doc-{start // CHUNKS_PER_DOCUMENT}", texts))
    catalog.close()


def fill_probe(args: dict[str, Any]) -> dict[str, Any]:
    """``fill_catalog`` run in the implementation's tree, by its own catalog store."""
    fill_catalog(Path(args["data"]) / "catalog.sqlite3", args["size"], args["all_sentences"])
    return {}


# -- vectors ----------------------------------------------------------------------------------


def real_passage_vectors(cache_dir: Path | None, sentences: list[str], embedder: Any) -> np.ndarray:
    """Real passage embeddings: bench/retrieval.py's cache when given (the model's own vectors,
    mapped as the engine maps them), else 300 embedded now."""
    if cache_dir and (cache_dir / "embeddings.npz").exists():
        data = np.load(cache_dir / "embeddings.npz", allow_pickle=False)
        keys = data["keys"]
        rows = [i for i, k in enumerate(keys.tolist()) if str(k).startswith("passage: ")]
        vectors = np.asarray(data["vectors"][rows], dtype=np.float32)
        if embedder.neutralizer is not None:
            vectors = embedder.neutralizer.apply(vectors)
        return np.asarray(vectors, dtype=np.float32)
    rng = random.Random(1)
    return embedder.embed_passages([passage(rng, sentences) for _ in range(300)])


def synthetic_vector(text: str, centres: np.ndarray) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
    rng = np.random.default_rng(seed)
    vector = centres[seed % len(centres)] + NOISE * rng.standard_normal(centres.shape[1])
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def recall_table(
    centres: np.ndarray, query_vectors: np.ndarray, size: int, noise: bool = True
) -> dict[str, float]:
    """Exact vs the IVF index the engine builds past its threshold, on ``size`` synthetic
    passages (``noise=False``: on the real passage vectors themselves)."""
    from search.vectors import VectorIndex

    rng = random.Random(size)
    texts = (f"{rng.random()}" for _ in range(size))
    data = np.stack([synthetic_vector(t, centres) for t in texts]) if noise else centres
    dimension = data.shape[1]
    flat = VectorIndex.empty("m", dimension, "fp").changed(list(range(size)), data, set())
    flat = flat.compacted(ann_threshold=size)
    started = time.perf_counter()
    ivf = flat.compacted(ann_threshold=0)
    build = time.perf_counter() - started
    fixed = VectorIndex(dataclasses.replace(ivf.params, nprobe=OLD_NPROBE), ivf.base)
    found, found_fixed, times = [], [], {"exact": [], "ivf": []}
    for q in query_vectors:
        started = time.perf_counter()
        truth = set(flat.search(q, 10)[0].tolist())
        times["exact"].append(time.perf_counter() - started)
        started = time.perf_counter()
        got = set(ivf.search(q, 10)[0].tolist())
        times["ivf"].append(time.perf_counter() - started)
        found.append(len(truth & got) / 10)
        found_fixed.append(len(truth & set(fixed.search(q, 10)[0].tolist())) / 10)
    return {
        "factory": ivf.params.factory,  # type: ignore[dict-item]
        "nprobe": ivf.params.nprobe,
        "recall@10": round(float(np.mean(found)), 4),
        "recall@10_fixed": round(float(np.mean(found_fixed)), 4),
        "exact_ms_p50": round(float(np.median(times["exact"])) * 1000, 2),
        "ivf_ms_p50": round(float(np.median(times["ivf"])) * 1000, 2),
        "ivf_build_s": round(build, 1),
    }


# -- one implementation, in its own process -----------------------------------------------------


def _synthetic_writer(args: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    """(settings, the real embedder, the catalog, a writer engine whose passages get synthetic
    vectors around the real ones), from the implementation's tree."""
    from models import Embedder, load_embedder
    from search.engine import SearchEngine

    centres = np.load(args["centres"])

    class Synthetic(Embedder):
        def __init__(self, inner: Embedder) -> None:
            self.__dict__.update(inner.__dict__)

        def embed_passages(self, texts: list[str]) -> np.ndarray:
            return np.stack([synthetic_vector(t, centres) for t in texts])

    settings = _settings(args)
    real = load_embedder(settings)
    catalog = _catalog_at(settings)
    return settings, real, catalog, SearchEngine(settings, catalog, embedder=Synthetic(real))


def _settings(args: dict[str, Any]) -> Any:
    """The implementation's settings; its catalog (and indexes) in PostgreSQL when the run gave
    a database (only this tree's settings know the field)."""
    from hoptac.settings import Settings

    extra = {"database_url": args["database_url"]} if args.get("database_url") else {}
    return Settings(data_dir=Path(args["data"]), model=args["model"], **extra)


def _catalog_at(settings: Any) -> Any:
    """The implementation's catalog: where its settings put it (the baseline only has a path)."""
    from catalog import Catalog

    return Catalog(getattr(settings, "catalog_location", None) or settings.catalog_path)


def probe(args: dict[str, Any]) -> dict[str, Any]:
    """Run in the implementation's tree (PYTHONPATH): build, start, search, add one document."""
    from search.engine import SearchEngine

    settings, real, catalog, writer = _synthetic_writer(args)
    out: dict[str, Any] = {}
    started = time.perf_counter()
    writer.sync()
    out["build_s"] = round(time.perf_counter() - started, 1)
    prepare = getattr(writer, "prepare_snippets", None)
    if prepare is not None:  # what this tree's ingest worker does after a sync
        started = time.perf_counter()
        prepare()
        out["snippets_s"] = round(time.perf_counter() - started, 1)
    rss_before = _rss()
    started = time.perf_counter()
    reader = SearchEngine(settings, _catalog_at(settings), embedder=real, writes_index=False)
    reader.sync()  # what the web server does at start-up
    out["startup_s"] = round(time.perf_counter() - started, 2)
    queries = args["queries"]
    reader.search(queries[0])
    samples = []
    for query in queries:
        started = time.perf_counter()
        reader.search(query, k=10)
        samples.append((time.perf_counter() - started) * 1000)
    out["engine_p50_ms"], out["engine_p95_ms"] = _percentiles(samples)
    samples = []
    for query in queries:  # the indexes' share: the query vector is cached by now
        started = time.perf_counter()
        reader.rank(query)
        samples.append((time.perf_counter() - started) * 1000)
    out["rank_p50_ms"], out["rank_p95_ms"] = _percentiles(samples)
    out["reader_rss_mb"] = round((_rss() - rss_before) / 2**20)
    rng = random.Random(99)
    sentences = args["sentences"]
    marker = "zyxwvutsrq"
    texts = [passage(rng, sentences) for _ in range(NEW_DOCUMENT_CHUNKS)]
    texts[0] = f"{marker} {texts[0]}"
    document_id, _ = catalog.store(new_document("fresh-doc", texts))
    fresh = {c.id for c in catalog.chunks(document_id)}
    started = time.perf_counter()
    writer.sync()
    # Found among the ranked candidates (its synthetic vector is far from any query, so fusion
    # may rank it below the first page).
    while not fresh & set(reader.rank(marker)[0]):
        if time.perf_counter() - started > 1200:
            break
        time.sleep(0.01)
    out["new_doc_searchable_s"] = round(time.perf_counter() - started, 2)
    out["index_disk_mb"] = (
        round(_du(settings.index_dir) / 2**20) if settings.index_dir.exists() else 0
    )
    if not args.get("database_url"):
        out["catalog_disk_mb"] = round(_du(Path(args["data"])) / 2**20) - out["index_disk_mb"]
    if args.get("database_url"):
        out.update(database_figures(reader, real.embed_queries(queries), queries))
    return out


def database_figures(reader: Any, query_vectors: np.ndarray, queries: list[str]) -> dict[str, Any]:
    """The database store's size, and recall@10 of its HNSW searches against exact ones (the
    same query with index scans off), unfiltered and filtered to every other document, for a few
    candidate-list sizes (``hnsw.ef_search``)."""
    from catalog import DocumentFilter
    from search import database

    catalog = reader.catalog
    size = catalog.query(
        "SELECT pg_total_relation_size('chunk_vectors') + pg_relation_size('chunks_terms') "
        "+ pg_total_relation_size('lexicon_terms')"
    )[0][0]
    out: dict[str, Any] = {"index_disk_mb": round(int(size) / 2**20)}
    vectors = reader.vector_index()
    ids = sorted(catalog.document_ids(DocumentFilter()))
    half = catalog.document_where(DocumentFilter(document_ids=tuple(ids[::2])))
    chosen = database.EF_SEARCH
    for name, (where, params) in (("", ("", [])), ("_filtered", half)):
        catalog.query("SELECT set_config('enable_indexscan', 'off', false)")
        catalog.query("SELECT set_config('enable_bitmapscan', 'off', false)")
        truth = [set(vectors.nearest(q, 10, where, params)[0].tolist()) for q in query_vectors]
        catalog.query("SELECT set_config('enable_indexscan', 'on', false)")
        catalog.query("SELECT set_config('enable_bitmapscan', 'on', false)")
        for ef in (100, 200, 400):
            database.EF_SEARCH = ef
            found, times = [], []
            for q, exact in zip(query_vectors, truth, strict=True):
                started = time.perf_counter()
                got = set(vectors.nearest(q, 10, where, params)[0].tolist())
                times.append((time.perf_counter() - started) * 1000)
                found.append(len(exact & got) / 10)
            out[f"recall@10{name}_ef{ef}"] = round(float(np.mean(found)), 4)
            out[f"hnsw{name}_ef{ef}_ms_p50"] = round(float(np.median(times)), 2)
    database.EF_SEARCH = chosen
    out.update(lexical_agreement(reader, queries[:LEXICAL_QUERIES]))
    return out


#: Queries whose bounded lexical candidates are compared with exact ones (each exact one scores
#: every row holding a query word: slow on purpose).
LEXICAL_QUERIES = 30


def lexical_agreement(reader: Any, queries: list[str]) -> dict[str, Any]:
    """How many of the exact top-100 by BM25 (every row holding a query word scored) the bounded
    search returns, and the time of each, at the engine's bound and at others."""
    from search import database

    store = reader.store
    chosen = database.LEXICAL_BUDGET
    budgets = sorted({chosen, 5_000, 20_000})
    terms = [t for t in (store._terms(q) for q in queries) if t is not None]
    database.LEXICAL_BUDGET = 10**12
    truths, exact = [], []
    for t in terms:
        started = time.perf_counter()
        truths.append(set(t.best(reader.catalog, 100, "", [])))
        exact.append((time.perf_counter() - started) * 1000)
    out: dict[str, Any] = {"lexical_exact_ms_p50": round(float(np.median(exact)), 1)}
    for budget in budgets:
        database.LEXICAL_BUDGET = budget
        shares, times = [], []
        for t, truth in zip(terms, truths, strict=True):
            started = time.perf_counter()
            got = set(t.best(reader.catalog, 100, "", []))
            times.append((time.perf_counter() - started) * 1000)
            if truth:
                shares.append(len(got & truth) / len(truth))
        suffix = "" if budget == chosen else f"_{budget}"
        out[f"lexical_top100_agreement{suffix}"] = round(float(np.mean(shares)), 3)
        out[f"lexical_bounded_ms_p50{suffix}"] = round(float(np.median(times)), 1)
    database.LEXICAL_BUDGET = chosen
    return out


def kb_probe(args: dict[str, Any]) -> dict[str, Any]:
    """Run in the implementation's tree: index, build the knowledge base, then add documents one
    at a time, timing until the knowledge base holds each and the first search after it."""
    from catalog import Catalog
    from kb import KnowledgeBase, prepare_area_vectors
    from search.engine import SearchEngine

    settings, real, catalog, writer = _synthetic_writer(args)
    writer.sync()
    prepare_area_vectors(catalog, real)  # the server does it at start-up
    reader = SearchEngine(
        settings, Catalog(settings.catalog_path), embedder=real, writes_index=False
    )
    reader.sync()
    incremental = hasattr(KnowledgeBase, "update")
    if incremental:  # the writer updates it after its sync; the server only reads
        written = KnowledgeBase(catalog, settings.index_dir, real, writer.vector_index)
        read = KnowledgeBase(reader.catalog, settings.index_dir, real, reader.vector_index)
    else:  # reads rebuild it when the catalog moved on
        written = read = KnowledgeBase(reader.catalog, settings.index_dir, real)

    def search(query: str) -> float:
        started = time.perf_counter()
        response = reader.search(query, k=10)
        read.facets({hit.document_id for hit in response.results})
        return (time.perf_counter() - started) * 1000

    out: dict[str, Any] = {}
    started = time.perf_counter()
    written.update() if incremental else written.refresh()  # type: ignore[attr-defined]
    out["kb_build_s"] = round(time.perf_counter() - started, 1)
    queries, rng, current, first, warm = args["queries"], random.Random(7), [], [], []
    for change in range(KB_CHANGES):
        texts = [passage(rng, args["sentences"]) for _ in range(NEW_DOCUMENT_CHUNKS)]
        catalog.store(new_document(f"kb-fresh-{change}", texts))
        writer.sync()
        started = time.perf_counter()
        if incremental:
            written.update()
            current.append(time.perf_counter() - started)
        first.append(search(queries[change % len(queries)]))
        if not incremental:  # it became current inside that first search
            current.append(first[-1] / 1000)
        warm += [search(q) for q in queries[1:4]]
    out["kb_current_s"] = round(float(np.median(current)), 3)
    out["kb_first_search_ms"] = round(float(np.median(first)), 1)
    out["kb_warm_search_ms"] = round(float(np.median(warm)), 1)
    return out


KB_ROWS = [
    ("kb_build_s", "knowledge base: first build from the catalog, s"),
    (
        "kb_current_s",
        f"one new {NEW_DOCUMENT_CHUNKS}-passage document → knowledge base current, s (median; "
        + "before: at the first read, which rebuilds)",
    ),
    ("kb_first_search_ms", "first search after the change, search + KB facets, ms (median)"),
    ("kb_warm_search_ms", "later searches, search + KB facets, ms (median)"),
]


def server_probe(args: dict[str, Any]) -> dict[str, Any]:
    """Start-up time and memory of the web app's process, then GET /api/search over HTTP."""
    import httpx

    from auth.users import UserStore

    data = Path(args["data"])
    settings = _settings(args)
    catalog = _catalog_at(settings)
    users = UserStore(catalog)
    if users.find("bench") is None:
        users.add("bench", "reader", "confidential")
    token = users.new_token("bench")
    # Searches are timed on a server that has been running: its knowledge base is current, as
    # both implementations keep it (the older one on the first read, this one after each write).
    from kb.build import ensure_current
    from models import load_embedder

    ensure_current(catalog, settings.index_dir, load_embedder(settings))
    catalog.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "HOPTAC_DATA_DIR": str(data), "HOPTAC_MODEL": args["model"]}
    if args.get("database_url"):
        env["HOPTAC_DATABASE_URL"] = args["database_url"]
    code = (
        "import uvicorn; from api.app import create_app; "
        f"uvicorn.run(create_app(worker=False), host='127.0.0.1', port={port}, log_level='warning')"
    )
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-c", code], env=env)
    out: dict[str, Any] = {}
    try:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300, headers=headers) as c:
            while True:
                try:
                    if c.get("/api/search", params={"q": "y tế"}).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
                if time.perf_counter() - started > 1800:
                    raise TimeoutError("the server did not start")
            out["server_ready_s"] = round(time.perf_counter() - started, 1)
            samples = []
            for query in args["queries"]:
                began = time.perf_counter()
                c.get("/api/search", params={"q": query}).raise_for_status()
                samples.append((time.perf_counter() - began) * 1000)
        out["http_p50_ms"], out["http_p95_ms"] = _percentiles(samples)
        out["server_rss_mb"] = round(_rss(server.pid) / 2**20)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    return round(float(np.percentile(samples, 50)), 1), round(float(np.percentile(samples, 95)), 1)


def _rss(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- driving both implementations -------------------------------------------------------------


def run_probe(tree: Path, kind: str, args: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """``kind`` (probe or server) in a fresh process importing ``tree``'s packages."""
    request = workdir / f"{kind}-request.json"
    answer = workdir / f"{kind}-answer.json"
    request.write_text(json.dumps(args), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        f"--{kind}",
        str(request),
        str(answer),
    ]
    result = subprocess.run(command, env=env, cwd=tree, check=False)
    if result.returncode != 0 or not answer.exists():
        return {"error": f"exit status {result.returncode}"}
    return dict(json.loads(answer.read_text(encoding="utf-8")))


def baseline_tree(ref: str, workdir: Path) -> Path | None:
    tree = workdir / "baseline"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


ROWS = [
    ("build_s", "first full index, s"),
    ("snippets_s", "then every passage's snippet sentences embedded and stored, s"),
    ("startup_s", "reader start-up (engine open + first sync), s"),
    ("server_ready_s", "web app: process start to first answer, s"),
    ("engine_p50_ms", "engine.search p50, ms"),
    ("engine_p95_ms", "engine.search p95, ms"),
    ("rank_p50_ms", "candidates + fusion p50 (query vector cached: the indexes' share), ms"),
    ("rank_p95_ms", "candidates + fusion p95 (query vector cached), ms"),
    ("http_p50_ms", "GET /api/search p50 (query embedded), ms"),
    ("http_p95_ms", "GET /api/search p95 (query embedded), ms"),
    ("new_doc_searchable_s", f"one new {NEW_DOCUMENT_CHUNKS}-passage document searchable, s"),
    ("reader_rss_mb", "reader engine resident memory added, MB"),
    ("server_rss_mb", "web app process resident memory, MB"),
    ("index_disk_mb", "index folder on disk (database store: its tables and indexes), MB"),
    ("catalog_disk_mb", "catalog (and the rest of the data directory) on disk, MB"),
    ("recall@10_ef100", "HNSW recall@10 vs exact, ef_search 100"),
    ("recall@10_ef200", "HNSW recall@10 vs exact, ef_search 200"),
    ("recall@10_ef400", "HNSW recall@10 vs exact, ef_search 400"),
    ("recall@10_filtered_ef100", "same, half the documents filtered out, ef_search 100"),
    ("recall@10_filtered_ef200", "same, half the documents filtered out, ef_search 200"),
    ("recall@10_filtered_ef400", "same, half the documents filtered out, ef_search 400"),
    ("hnsw_ef200_ms_p50", "HNSW top-10 query p50, ef_search 200, ms"),
    ("hnsw_filtered_ef200_ms_p50", "same, filtered, ms"),
    ("lexical_top100_agreement", "BM25 top-100: share of the exact one the bounded search finds"),
    ("lexical_bounded_ms_p50", "BM25 top-100 p50, bounded, ms"),
    ("lexical_exact_ms_p50", "BM25 top-100 p50, exact (every row holding a query word), ms"),
]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("--probe", "--server", "--kb-probe", "--fill"):
        here = str(Path(__file__).resolve().parent)  # run as a script: bench/kb.py is not ``kb``
        sys.path[:] = [p for p in sys.path if p != here]
        args = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        probes = {
            "--probe": probe,
            "--server": server_probe,
            "--kb-probe": kb_probe,
            "--fill": fill_probe,
        }
        result = probes[argv[0]](args)
        Path(argv[2]).write_text(json.dumps(result), encoding="utf-8")
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="20000", help="comma-separated passage counts")
    parser.add_argument("--queries", type=int, default=100, help="timed queries")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--cache-dir", type=Path, default=None, help="bench/retrieval.py's cache")
    parser.add_argument(
        "--model", default="", help="sentence-transformers folder (default: bundled)"
    )
    parser.add_argument("--baseline-ref", default=BASELINE_REF, help="git ref of the baseline")
    parser.add_argument(
        "--baseline-max", type=int, default=1_000_000, help="largest size to run the baseline at"
    )
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--kb", action="store_true", help="the knowledge base's updates instead")
    parser.add_argument("--kb-baseline-ref", default=KB_BASELINE_REF, help="its baseline's ref")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the data here")
    parser.add_argument(
        "--stores",
        default="files",
        help="this tree's index stores, comma-separated: files (SQLite catalog), database "
        "(the catalog and the indexes in PostgreSQL)",
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL server for the database")
    parser.add_argument("--no-baseline", action="store_true", help="this tree only")
    args = parser.parse_args(argv)
    stores = args.stores.split(",")

    from hoptac.settings import Settings
    from models import load_embedder
    from models.convert import ensure_bundled_model

    model = args.model or str(ensure_bundled_model(Settings().models_dir))
    sentences, queries = corpus(args.eval_dir)
    queries = queries[: args.queries]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hoptac-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    embedder = load_embedder(Settings(model=model))
    centres = real_passage_vectors(args.cache_dir, sentences, embedder)
    np.save(workdir / "centres.npy", centres)
    query_vectors = embedder.embed_queries(queries)
    if args.kb:
        args.baseline_ref = args.kb_baseline_ref
    from bench.common import Databases  # here: probes run in trees without bench.common

    baseline = None if args.no_baseline else baseline_tree(args.baseline_ref, workdir)
    databases = Databases(args.database_url if "database" in stores else None).__enter__()
    print(
        f"# {len(centres)} real passage vectors + noise {NOISE}/dimension; {len(queries)} real "
        f"queries; baseline {args.baseline_ref}; {os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        common = {"model": model, "centres": str(workdir / "centres.npy"), "queries": queries}
        common["sentences"] = sentences[:5000]
        results: dict[str, dict[str, Any]] = {}
        plan: list[tuple[str, Path, Path, str]] = []
        data = workdir / f"new-{size}"
        for store in stores:
            started = time.perf_counter()
            url = databases.new() if store == "database" else ""
            folder = data if store == "files" else workdir / f"db-{size}"
            fill_catalog(url or folder / "catalog.sqlite3", size, sentences)
            print(
                f"# {size}: {store} catalog filled in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            plan.append((f"this tree, {store} store", ROOT, folder, url))
        if baseline is not None and size <= args.baseline_max:
            old = workdir / f"old-{size}"
            old.mkdir()
            # The same passages, written by the baseline's own store: a catalog is only readable
            # by the schema that wrote it, not by an older one.
            fill = {"data": str(old), "size": size, "all_sentences": sentences}
            run_probe(baseline, "fill", fill, workdir)
            plan.append((f"before ({args.baseline_ref})", baseline, old, ""))
        if args.kb:
            kb_table(size, [p[:3] for p in plan], common, workdir)
            shutil.rmtree(data, ignore_errors=True)
            shutil.rmtree(workdir / f"old-{size}", ignore_errors=True)
            continue
        for label, tree, folder, url in plan:
            where = {**common, "data": str(folder), "database_url": url}
            result = run_probe(tree, "probe", where, workdir)
            if not args.no_http and "error" not in result:
                result.update(run_probe(tree, "server", where, workdir))
            results[label] = result
            print(f"# {size}: {label} done: {result}", flush=True)
        print(f"\n## {size:,} passages\n")
        labels = list(results)
        print("| measure | " + " | ".join(labels) + " |")
        print("|---" * (len(labels) + 1) + "|")
        for key, name in ROWS:
            cells = [str(results[label].get(key, "-")) for label in labels]
            if all(cell == "-" for cell in cells):
                continue  # a figure of a store this run did not measure
            print(f"| {name} | " + " | ".join(cells) + " |")
        if len(labels) == 1:
            print(f"\n(baseline not run at this size: --baseline-max {args.baseline_max})")
        if size == sizes[0]:
            dev = recall_table(centres, query_vectors, len(centres), noise=False)
            print(
                f"\nvectors of the {len(centres)} dev passages: {dev['factory']} nprobe "
                f"{dev['nprobe']}: recall@10 vs exact {dev['recall@10']} (nprobe {OLD_NPROBE}, "
                f"before: {dev['recall@10_fixed']})",
                flush=True,
            )
        recall = recall_table(centres, query_vectors, size)
        print(
            f"\nvectors at {size:,}: {recall['factory']} nprobe {recall['nprobe']}: recall@10 vs "
            f"exact {recall['recall@10']} (nprobe {OLD_NPROBE}, before: "
            f"{recall['recall@10_fixed']}), {recall['ivf_ms_p50']} ms vs exact "
            f"{recall['exact_ms_p50']} ms a query (p50), built in {recall['ivf_build_s']} s",
            flush=True,
        )
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(workdir / f"old-{size}", ignore_errors=True)
    databases.__exit__()
    return 0


def kb_table(
    size: int, plan: list[tuple[str, Path, Path]], common: dict[str, Any], workdir: Path
) -> None:
    results = {}
    for label, tree, folder in plan:
        results[label] = run_probe(tree, "kb-probe", {**common, "data": str(folder)}, workdir)
        print(f"# {size}: {label} done: {results[label]}", flush=True)
    print(f"\n## knowledge base at {size:,} passages\n")
    labels = list(results)
    print("| measure | " + " | ".join(labels) + " |")
    print("|---" * (len(labels) + 1) + "|")
    for key, name in KB_ROWS:
        print(f"| {name} | " + " | ".join(str(results[k].get(key, "-")) for k in labels) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
