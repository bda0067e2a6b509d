"""The number in the "Số:" line of a scanned header: kept where it reads clearly, never misread.

The two header images in tests/data are the top of page 1 of two real Prime Minister's decisions
(public documents, from ../shared/realdocs-dev), rendered at 300 dpi: 1360/QĐ-TTg has its number
typed; 1380/QĐ-TTg has it written by hand, which Tesseract reads as "480" or "4580".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from catalog import Catalog
from hoptac.settings import Settings
from ingest.metadata import extract_metadata
from ingest.pipeline import ingest_paths
from ingest.readers import read
from ingest.readers.number_line import find_number_line
from scripts import make_samples as samples

DATA = Path(__file__).resolve().parents[1] / "data"
TYPED = DATA / "qd-1360-ttg-2025-header-scan.png"
HANDWRITTEN = DATA / "qd-1380-ttg-2025-header-scan.png"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _scanned_pdf(image: Path, path: Path) -> Path:
    """The header image as an image-only PDF page, as a scanner saves it."""
    Image.open(image).save(path, resolution=300.0)
    return path


@pytest.mark.slow
def test_scans_with_a_typed_and_a_handwritten_number_are_catalogued_without_a_wrong_number(
    tmp_path: Path, settings: Settings
) -> None:
    """A librarian ingests two scanned decisions. The typed number is catalogued; the number
    written by hand, which OCR misreads, is left empty and the report says why, so that the
    librarian enters it, rather than the catalog naming decision 480 or 4580."""
    inbox = tmp_path / "scans"
    inbox.mkdir()
    typed = _scanned_pdf(TYPED, inbox / "qd-1360.pdf")
    handwritten = _scanned_pdf(HANDWRITTEN, inbox / "qd-1380.pdf")
    catalog = Catalog(settings.catalog_location)

    report = ingest_paths(catalog, settings, [inbox])

    by_name = {Path(file.path).name: file for file in report.files}
    assert {file.status for file in report.files} == {"ingested"}
    first = catalog.get_document(by_name[typed.name].document_id or 0)
    assert first.number == "1360/QĐ-TTg"
    second = catalog.get_document(by_name[handwritten.name].document_id or 0)
    assert second.number is None
    # the rest of the header still reads: the number's blank costs nothing else
    assert (second.doc_type, second.issuer, second.issue_date) == (
        "Quyết định",
        "Thủ tướng Chính phủ",
        "2025-06-27",
    )
    warning = " ".join(by_name[handwritten.name].warnings)
    assert "number in the 'Số:' line unclear" in warning and "left blank" in warning
    page = catalog.pages(second.id)[0]
    assert "number in the 'Số:' line unclear" in (page.source_reason or "")
    # the page's text keeps the label and the code, the misread digits gone
    assert re.search(r"^S\w?: /Q[DĐ]-TTg", page.text, re.MULTILINE), page.text[:400]


@pytest.mark.slow
def test_a_typed_number_is_read_again_from_its_line_and_kept(settings: Settings) -> None:
    document = read(TYPED, settings)
    assert extract_metadata(document.pages[0].text).number == "1360/QĐ-TTg"
    assert "number 1360 read again from the 'Số:' line" in (document.pages[0].source_reason or "")


@pytest.mark.slow
def test_a_number_line_left_blank_by_the_clerk_stays_blank_without_a_warning(
    tmp_path: Path, settings: Settings
) -> None:
    header = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố:            /QĐ-UBND\n"
        "Hà Nội, ngày 12 tháng 5 năm 2025\nQUYẾT ĐỊNH\nVề việc hợp tác quốc tế về y tế"
    )
    path = tmp_path / "draft.png"
    samples.render_page(header).save(path, dpi=(300, 300))

    document = read(path, settings)
    assert extract_metadata(document.pages[0].text).number is None
    assert not any("Số:" in warning for warning in document.warnings)


@pytest.mark.slow
def test_a_typed_number_with_its_year_is_kept(tmp_path: Path, settings: Settings) -> None:
    """Resolutions and laws carry the year between number and code: "33/2022/NQ-HĐND"."""
    header = (
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 33/2022/NQ-HĐND\n"
        "Cao Bằng, ngày 15 tháng 7 năm 2022\nNGHỊ QUYẾT\nQuy định mức thu lệ phí"
    )
    path = tmp_path / "resolution.png"
    samples.render_page(header).save(path, dpi=(300, 300))

    document = read(path, settings)
    assert extract_metadata(document.pages[0].text).number == "33/2022/NQ-HĐND"
    assert "number 33 read again" in (document.pages[0].source_reason or "")


def _table(*lines: list[tuple[str, int]], spacing: int = 100) -> dict[str, list[Any]]:
    """An OCR word table (``image_to_data``) of ``lines`` of (word, left), 50 px tall, one line
    every ``spacing`` px."""
    table: dict[str, list[Any]] = {
        key: [] for key in ("text", "left", "top", "width", "height", "block_num", "par_num")
    }
    table["line_num"] = []
    for number, line in enumerate(lines, start=1):
        for word, left in line:
            table["text"].append(word)
            table["left"].append(left)
            table["top"].append(spacing * number)
            table["width"].append(20 * len(word))
            table["height"].append(50)
            table["block_num"].append(number)
            table["par_num"].append(1)
            table["line_num"].append(1)
    return table


def test_the_number_line_is_found_where_the_header_puts_it_and_not_in_the_body() -> None:
    table = _table(
        [("Căn", 100), ("cứ", 200), ("Quyết", 300), ("định", 400), ("số:", 500), ("5/QĐ-TTg", 600)],
        [("Só:480", 449), ("/QĐ-TTg", 643), ("Hà", 1218), ("Nội,", 1297)],
    )
    line = find_number_line(table, height=3500)
    assert line is not None
    assert (line.label, line.code) == (6, 7)
    right = 643 + 20 * len("/QĐ-TTg")
    assert line.box == (449, 200, right, 250)
    # read again with a margin of about half a line all round
    assert line.cut == (449 - 11, 200 - 22, right + 11, 250 + 22)
    # typed numbers often come out as one word with their code
    joined = _table([("Số:", 514), ("1360/QĐ-TTg", 604), ("Hà", 1276)])
    found = find_number_line(joined, height=3500)
    assert found is not None and (found.label, found.code) == (0, 1)
    # a "Số:" line low on the page is in the body or an annex, not the header
    assert find_number_line(joined, height=150) is None


def test_the_cut_out_stops_short_of_the_printed_lines_above_and_below() -> None:
    """Lines set close: the margin would take in the issuer's name above and the summary below."""
    table = _table(
        [("SỞ", 60), ("Y", 130), ("TẾ", 160)],
        [("Số:", 57), ("215/SYT-HTQT", 120)],
        [("V/v", 57), ("phối", 140), ("hợp", 240)],
        spacing=40,
    )
    line = find_number_line(table, height=1000)
    assert line is not None and line.box == (57, 80, 360, 130)
    # the lines above and below reach into the line's own box: it is cut out no taller than that
    assert line.cut == (57 - 11, 80, 360 + 11, 130)
