"""Heavily garbled OCR made by a real OCR engine: a third dev set for the restorer.

The two real garbled pages (``bench/data/garbled/``) come from one letter, and the synthetic set
(``bench.garble_synth``) garbles text by rules written from that letter. Neither shows how another
engine garbles other documents. This set does: pages of the realdocs-dev text PDFs, rendered at
the low resolution of an old office scan and read by Tesseract with its English model only, as
OCR set up for another language reads a Vietnamese page ("Cain ctr Ludt T6 chitc chinh quyén",
"Can ctr Nghi dinh 50 33/2023/ND-CP"). The truth is the PDF's own text layer. Both are committed
(``bench/data/garbled-eng/``), so the benchmark needs no Tesseract; ``--build`` makes them again.

Reading order differs a little between the layer and the OCR (a header's two columns), so no
reading reaches 100%; the identity row in the benchmark shows where the text starts.

Usage: ``python -m bench.garble_tesseract --build``
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import unicodedata
from pathlib import Path

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


def pairs() -> list[tuple[str, str, str]]:
    """(name, OCR text, true text) for each committed page."""
    out = []
    for layer in sorted(DATA.glob("*.layer.txt")):
        truth = layer.with_name(layer.name.replace(".layer.", ".truth."))
        name = layer.name.removesuffix(".layer.txt")
        out.append((name, layer.read_text("utf-8"), truth.read_text("utf-8")))
    return out


def build() -> None:
    import pypdfium2 as pdfium

    DATA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for file, page_index in PAGES:
            document = pdfium.PdfDocument(str(REALDOCS / file))
            page = document[page_index]
            truth = unicodedata.normalize("NFC", page.get_textpage().get_text_range())
            image = Path(work) / "page.png"
            page.render(scale=DPI / 72).to_pil().convert("L").save(image)
            ocr = subprocess.run(
                ["tesseract", str(image), "-", "-l", "eng"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            name = f"{file.removesuffix('.pdf')}-p{page_index + 1}"
            (DATA / f"{name}.layer.txt").write_text(ocr.replace("\x0c", ""), "utf-8")
            (DATA / f"{name}.truth.txt").write_text(truth.replace("\r", ""), "utf-8")
            print(name, len(ocr.split()), "words read")


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
