"""Reader throughput: pages per second for text-layer PDF pages and for OCR pages.

Generates its own pages (an English text PDF and a 300-dpi image-only Vietnamese scan) in a
temporary folder, reads each file several times through ``ingest.readers.read`` and reports the
median.  Run:  .venv/bin/python bench/ingest.py [--runs 3] [--text-pages 40] [--ocr-pages 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# This script is named ingest.py, like the package it measures: drop its own folder from the
# import path so that ``import ingest`` finds the package, not this file.
HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]

from rich.console import Console
from rich.table import Table

from hoptac.settings import Settings
from ingest.readers import read

ROOT = HERE.parent


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


def _samples():
    spec = importlib.util.spec_from_file_location(
        "make_samples", ROOT / "scripts" / "make_samples.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_text_pdf(path: Path, pages: int) -> None:
    """A text-layer PDF of ``pages`` pages of the English sample paper (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = []
    for index in range(pages):
        heading, paragraphs = _samples().ENGLISH_PAGES[index % 2]
        story.append(Paragraph(heading, styles["Heading2"]))
        story.extend(Paragraph(text, styles["BodyText"]) for text in paragraphs * 2)
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story[:-1])


def make_scan_pdf(path: Path, pages: int) -> None:
    """An image-only PDF of ``pages`` A4 pages of Vietnamese text rendered at 300 dpi."""
    samples = _samples()
    images = [samples.render_page(samples.SCAN_PAGES[index % 2]) for index in range(pages)]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="reads per file; the median is reported"
    )
    parser.add_argument("--text-pages", type=int, default=40)
    parser.add_argument("--ocr-pages", type=int, default=3)
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
    Console().print(table)


if __name__ == "__main__":
    main()
