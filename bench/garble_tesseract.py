"""Heavily garbled OCR made by a real OCR engine: a third dev set for the restorer.

The two real garbled pages (``bench/data/garbled/``) come from one letter, and the synthetic set
(``bench.garble_synth``) garbles text by rules written from that letter. Neither shows how another
engine garbles other documents. This set does: pages of the realdocs-dev text PDFs, rendered at
the low resolution of an old office scan and read by Tesseract with its English model only, as
OCR set up for another language reads a Vietnamese page ("Cain ctr Ludt T6 chitc chinh quyén",
"Can ctr Nghi dinh 50 33/2023/ND-CP"). The truth is the PDF's own text layer. Four real scans
are read the same way, against the transcriptions typed from their images for the OCR benchmark
(``bench/data/ocr``); they were added after the restorer's rules were set from the other pages.
Readings and truths are committed (``bench/data/garbled-eng/``), so the benchmark needs no
Tesseract; ``--build`` makes them again.

Reading order differs a little between the layer and the OCR (a header's two columns), so no
reading reaches 100%; the identity row in the benchmark shows where the text starts.

Usage: ``python -m bench.garble_tesseract --build``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parents[1]
REALDOCS = REPO.parent / "shared" / "realdocs-dev" / "files"
DATA = REPO / "bench" / "data" / "garbled-eng"
#: (file, zero-based page): prose pages of the text PDFs (tables and the long annex left out).
PAGES = (
    ("vi_UBND-NgaiGiao_QD-phan-cong-cong-chuc-VP-TK.pdf", 0),
    ("vi_UBND-NgaiGiao_QD-phan-cong-cong-chuc-VP-TK.pdf", 1),
    ("vi_UBND-BimSon_KH-khac-phuc-bao-ve-bi-mat-nha-nuoc_2024.pdf", 0),
    ("vi_UBND-BimSon_KH-khac-phuc-bao-ve-bi-mat-nha-nuoc_2024.pdf", 2),
    ("vi_HDND-CaoBang_NQ-33-2022_le-phi-giay-phep-lao-dong-nguoi-nuoc-ngoai.pdf", 0),
    ("vi_UBND-HaNoi_QD-2858_quy-hoach-Co-Nhue_2025.pdf", 0),
    ("vi_UBND-HaNoi_QD-2858_quy-hoach-Co-Nhue_2025.pdf", 1),
    ("vi_BYT_QD-2093_TTHC-phong-benh_2025.pdf", 0),
)
#: An old office scan's resolution: low enough that the marks blur into the letters.
DPI = 110


#: Scanned pages with transcriptions typed from their images (``bench/data/ocr``): a real scan's
#: noise under the same OCR. Truth: the transcription.
SCANS = REPO / "bench" / "data" / "ocr"


def pairs() -> list[tuple[str, str, str]]:
    """(name, OCR text, true text) for each committed page."""
    out = []
    for layer in sorted(DATA.glob("*.layer.txt")):
        truth = layer.with_name(layer.name.replace(".layer.", ".truth."))
        name = layer.name.removesuffix(".layer.txt")
        out.append((name, layer.read_text("utf-8"), truth.read_text("utf-8")))
    return out


def build() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for file, page_index in PAGES:
            document = pdfium.PdfDocument(str(REALDOCS / file))
            page = document[page_index]
            truth = unicodedata.normalize("NFC", page.get_textpage().get_text_range())
            ocr = _read(page, Path(work) / "page.png")
            name = f"{file.removesuffix('.pdf')}-p{page_index + 1}"
            (DATA / f"{name}.layer.txt").write_text(ocr, "utf-8")
            (DATA / f"{name}.truth.txt").write_text(truth.replace("\r", ""), "utf-8")
            print(name, len(ocr.split()), "words read")
        for entry in json.loads((SCANS / "pages.json").read_text("utf-8")):
            document = pdfium.PdfDocument(str(REALDOCS / entry["file"]))
            page = document[entry["page"] - 1]
            truth = (SCANS / f"{entry['name']}.truth.txt").read_text("utf-8")
            ocr = _read(page, Path(work) / "page.png")
            name = f"scan-{entry['name']}"
            (DATA / f"{name}.layer.txt").write_text(ocr, "utf-8")
            (DATA / f"{name}.truth.txt").write_text(truth, "utf-8")
            print(name, len(ocr.split()), "words read")


def _read(page: pdfium.PdfPage, image: Path) -> str:
    """The page rendered at ``DPI`` and read by Tesseract's English model."""
    page.render(scale=DPI / 72).to_pil().convert("L").save(image)
    command = ["tesseract", str(image), "-", "-l", "eng"]
    ocr = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return ocr.replace("\x0c", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true", help="render, OCR and write the pages")
    if parser.parse_args().build:
        build()
    else:
        for name, layer, _ in pairs():
            print(f"== {name}\n{layer}")


if __name__ == "__main__":
    main()
