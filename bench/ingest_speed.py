"""Ingest throughput: reading pages, OCR one page at a time vs in parallel, embedding precisions.

Generates its own pages (an English text PDF and a 300-dpi image-only Vietnamese scan) in a
temporary folder, reads each file several times through ``ingest.readers.read`` and reports the
median. Then, in the same run and interleaved round by round (the machine is shared, so only
same-run ratios mean anything): the sample scan ``corpus/qd-2417-syt-2025-scan.pdf`` OCR'd one
page at a time with Tesseract's default threads (as before) and with ``OCR_WORKERS`` pages at once,
with the character error of each against ``tests/data``; and the sample corpus's chunks embedded
by plain sentence-transformers fp32 (batch 32), by the product's default on a CPU with bfloat16
instructions (the same model with bfloat16 matrix products, ``models/precision.py``) and by the
int8 ONNX runtime, with each one's cosine to the fp32 vector of every chunk and the latency of one
query.

Run:  .venv/bin/python -m bench.ingest_speed [--runs 3] [--text-pages 40] [--ocr-pages 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytesseract
from rich.console import Console
from rich.table import Table

import ingest.readers.pdf as pdf_reader
from catalog import Page
from hoptac.settings import Settings
from ingest.chunking import chunk
from ingest.normalize import normalize
from ingest.readers import read
from models import load_raw_embedder
from scripts import make_samples

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SCAN = CORPUS / "qd-2417-syt-2025-scan.pdf"
SCAN_TRUTH = ROOT / "tests" / "data" / "qd-2417-syt-2025-scan.truth.txt"


@dataclass(frozen=True)
class Measurement:
    """One benchmark row: what was read, how many pages, and the median seconds over the runs."""

    label: str
    pages: int
    runs: int
    median_seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.median_seconds


def make_text_pdf(path: Path, pages: int) -> None:
    """A text-layer PDF of ``pages`` pages of the English sample paper (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = []
    for index in range(pages):
        heading, paragraphs = make_samples.ENGLISH_PAGES[index % 2]
        story.append(Paragraph(heading, styles["Heading2"]))
        story.extend(Paragraph(text, styles["BodyText"]) for text in paragraphs * 2)
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story[:-1])


def make_scan_pdf(path: Path, pages: int) -> None:
    """An image-only PDF of ``pages`` A4 pages of Vietnamese text rendered at 300 dpi."""
    images = [
        make_samples.render_page(make_samples.SCAN_PAGES[index % 2]) for index in range(pages)
    ]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=300.0)


def measure(label: str, path: Path, runs: int, settings: Settings, method: str) -> Measurement:
    """Median wall time of ``runs`` full reads; checks every page went the expected way."""
    times = []
    pages = 0
    for _ in range(runs):
        start = time.perf_counter()
        document = read(path, settings)
        times.append(time.perf_counter() - start)
        pages = len(document.pages)
        assert all(page.method == method for page in document.pages), f"{label}: unexpected method"
    return Measurement(label, pages, runs, statistics.median(times))


def interleaved(
    candidates: dict[str, Callable[[], object]],
    runs: int,
    cpu: dict[str, list[float]] | None = None,
) -> dict[str, list[float]]:
    """Seconds per run of each candidate, alternating candidates within every round.

    ``cpu`` receives the CPU seconds of each run (this process and its finished children, e.g.
    Tesseract): unlike wall time, it hardly depends on what else the machine is running.
    """
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(runs):
        for name, run in candidates.items():
            used = _cpu_seconds()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
            if cpu is not None:
                cpu.setdefault(name, []).append(_cpu_seconds() - used)
    return times


def _cpu_seconds() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cer(truth: str, found: str) -> float:
    """Character error rate after collapsing whitespace, as tests/ingest/test_readers.py has it."""
    from rapidfuzz.distance import Levenshtein

    truth = " ".join(unicodedata.normalize("NFC", truth).split())
    found = " ".join(unicodedata.normalize("NFC", found).split())
    return Levenshtein.distance(truth, found) / len(truth)


def ocr_rows(settings: Settings, runs: int) -> list[tuple[str, ...]]:
    """The sample scan read page by page (Tesseract's own threads) and pages in parallel."""
    truth = SCAN_TRUTH.read_text(encoding="utf-8").split("\f")
    workers = pdf_reader.OCR_WORKERS
    texts: dict[str, list[str]] = {}

    def sequential() -> None:
        pdf_reader.OCR_WORKERS, pytesseract.pytesseract.environ = 1, os.environ
        try:
            texts["sequential"] = [page.text for page in read(SCAN, settings).pages]
        finally:
            pdf_reader.OCR_WORKERS = workers
            pytesseract.pytesseract.environ = environment

    def parallel() -> None:
        texts["parallel"] = [page.text for page in read(SCAN, settings).pages]

    environment = pytesseract.pytesseract.environ
    cpu: dict[str, list[float]] = {}
    times = interleaved({"sequential": sequential, "parallel": parallel}, runs, cpu)
    base = statistics.median(times["sequential"])
    rows = []
    cores = os.cpu_count() or 1
    for name, label in (("sequential", "1 page at a time"), ("parallel", f"{workers} workers")):
        median = statistics.median(times[name])
        errors = statistics.mean(cer(t, f) for t, f in zip(truth, texts[name], strict=True))
        per_page = statistics.median(cpu[name]) / len(truth)
        idle = f"; {per_page:.1f} CPU s/page"
        if name == "parallel":
            idle += f" (≤ {cores / per_page:.2f} pages/s on {cores} idle cores)"
        rows.append(
            (
                f"OCR sample scan, {label}",
                f"{len(truth) / median:.2f} pages/s",
                f"{median:.1f}",
                f"x{base / median:.2f}",
                f"CER {errors:.2%}{idle}",
            )
        )
    return rows


def sample_chunks(settings: Settings) -> list[str]:
    """The sample corpus's chunks (the scan left out: its OCR is measured above)."""
    texts = []
    for path in sorted(CORPUS.iterdir()):
        if path.name == "README.md" or path == SCAN:
            continue
        pages = [Page(p.number, normalize(p.text), p.method) for p in read(path, settings).pages]
        texts.extend(c.text for c in chunk(pages, settings.chunk_words))
    return texts


def embedding_rows(settings: Settings, runs: int) -> list[tuple[str, ...]]:
    """Plain sentence-transformers fp32 against the int8 ONNX runtime, on the same chunks."""
    fp32 = load_raw_embedder(settings, runtime="torch")
    bf16 = load_raw_embedder(settings.model_copy(update={"embed_precision": "bf16"}), "torch")
    int8 = load_raw_embedder(settings, runtime="onnx-int8")
    chunks = sample_chunks(settings)
    vectors: dict[str, np.ndarray] = {}
    plain = [fp32.prompts.passage + text for text in chunks]
    candidates = {
        "fp32": lambda: vectors.__setitem__(
            "fp32",
            fp32._model.encode(plain, batch_size=32, normalize_embeddings=True),  # type: ignore[attr-defined]
        ),
        "bf16": lambda: vectors.__setitem__("bf16", bf16.embed_passages(chunks)),
        "int8": lambda: vectors.__setitem__("int8", int8.embed_passages(chunks)),
    }
    cpu: dict[str, list[float]] = {}
    times = interleaved(candidates, runs, cpu)
    query = ["hợp tác quốc tế về đào tạo bác sĩ"]
    latency = interleaved(
        {
            "fp32": lambda: fp32.embed_queries(query),
            "bf16": lambda: bf16.embed_queries(query),
            "int8": lambda: int8.embed_queries(query),
        },
        max(runs, 10),
    )
    cosines = {name: np.sum(vectors["fp32"] * vectors[name], axis=1) for name in ("bf16", "int8")}
    base, base_query = statistics.median(times["fp32"]), statistics.median(latency["fp32"])
    rows = []
    for name, label in (
        ("fp32", "sentence-transformers fp32, batch 32"),
        ("bf16", "sentence-transformers, bfloat16 products, batch 16"),
        ("int8", "ONNX Runtime int8"),
    ):
        median, query_median = statistics.median(times[name]), statistics.median(latency[name])
        rows.append(
            (
                f"Embed {len(chunks)} chunks, {label}",
                f"{len(chunks) / median:.2f} chunks/s",
                f"{median:.1f}",
                f"x{base / median:.2f}",
                f"{len(chunks) / statistics.median(cpu[name]):.1f} chunks per CPU s; "
                f"query {query_median * 1000:.0f} ms (x{base_query / query_median:.1f})"
                + (
                    f"; cosine to fp32 min {cosines[name].min():.5f} mean {cosines[name].mean():.5f}"
                    if name in cosines
                    else ""
                ),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="reads per file; the median is reported"
    )
    parser.add_argument("--text-pages", type=int, default=40)
    parser.add_argument("--ocr-pages", type=int, default=3)
    parser.add_argument("--skip-embedding", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder) / "data")
        text_pdf, scan_pdf = Path(folder) / "text.pdf", Path(folder) / "scan.pdf"
        make_text_pdf(text_pdf, args.text_pages)
        make_scan_pdf(scan_pdf, args.ocr_pages)
        rows = [
            measure("PDF text layer (pypdf)", text_pdf, max(args.runs, 5), settings, "text"),
            measure(
                f"PDF scan, OCR {settings.ocr_languages} @ {settings.ocr_dpi} dpi",
                scan_pdf,
                args.runs,
                settings,
                "ocr",
            ),
        ]
    table = Table(title="hoptac reader throughput (median of runs)")
    for column in ("pages of", "pages", "runs", "median s", "pages/s", "s/page"):
        table.add_column(column, justify="left" if column == "pages of" else "right")
    for row in rows:
        table.add_row(
            row.label,
            str(row.pages),
            str(row.runs),
            f"{row.median_seconds:.2f}",
            f"{row.pages_per_second:.2f}",
            f"{1 / row.pages_per_second:.3f}",
        )
    Console(width=200).print(table)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder) / "data")
        print_rows("OCR: one page at a time vs pages in parallel", ocr_rows(settings, args.runs))
        if not args.skip_embedding:
            print_rows(
                "Embedding: fp32 sentence-transformers vs bfloat16 vs int8 ONNX Runtime",
                embedding_rows(settings, args.runs),
            )


def print_rows(title: str, rows: list[tuple[str, ...]]) -> None:
    table = Table(title=f"hoptac ingest, {title} (same run, median of runs)")
    for column in ("what", "rate", "median s", "vs baseline", "quality"):
        table.add_column(column, justify="left" if column in ("what", "quality") else "right")
    for row in rows:
        table.add_row(*row)
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
