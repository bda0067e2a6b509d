"""The number in the "Số:" line of a scanned header: kept where it reads clearly, never misread.

The two header images in tests/data are the top of page 1 of two real Prime Minister's decisions
(public documents, from ../shared/realdocs-dev), rendered at 300 dpi: 1360/QĐ-TTg has its number
typed; 1380/QĐ-TTg has it written by hand, which Tesseract reads as "480" or "4580"
and the handwritten-digit reader reads right.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

from catalog import Catalog
from hoptac.settings import Settings
from ingest.metadata import extract_metadata
from ingest.pipeline import ingest_paths
from ingest.readers import read
from ingest.readers.handwritten_digits import read_digits
from ingest.readers.number_line import find_number_line
from ingest.records import ExtractedDocument
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
def test_scans_with_a_typed_and_a_handwritten_number_are_both_catalogued_the_pen_flagged(
    tmp_path: Path, settings: Settings
) -> None:
    """A librarian ingests two scanned decisions. The typed number is catalogued from print. The
    number written by hand, which Tesseract misreads as 480 or 4580, is read digit by digit as
    handwriting instead; it is catalogued, and the report and the page say it was read from the
    pen, so that the librarian checks it against the page."""
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
    assert not any("handwriting" in warning for warning in by_name[typed.name].warnings)
    second = catalog.get_document(by_name[handwritten.name].document_id or 0)
    assert second.number == "1380/QĐ-TTg"
    assert (second.doc_type, second.issuer, second.issue_date) == (
        "Quyết định",
        "Thủ tướng Chính phủ",
        "2025-06-27",
    )
    warning = " ".join(by_name[handwritten.name].warnings)
    assert "number 1380 read as handwriting" in warning and "check it" in warning
    page = catalog.pages(second.id)[0]
    assert "read as handwriting" in (page.source_reason or "")
    # the page's text has the number the pen wrote, the misread digits gone
    assert re.search(r"^S\w?: 1380/Q[DĐ]-TTg", page.text, re.MULTILINE), page.text[:400]


def _read_rendered(header: str, path: Path, settings: Settings) -> ExtractedDocument:
    """``header`` printed as a 300 dpi page image and read as a scan."""
    samples.render_page(header).save(path, dpi=(300, 300))
    return read(path, settings)


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
    document = _read_rendered(header, tmp_path / "draft.png", settings)
    assert extract_metadata(document.pages[0].text).number is None
    assert not any("Số:" in warning for warning in document.warnings)


@pytest.mark.slow
def test_a_typed_number_with_its_year_is_kept(tmp_path: Path, settings: Settings) -> None:
    """Resolutions and laws carry the year between number and code: "33/2022/NQ-HĐND"."""
    header = (
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 33/2022/NQ-HĐND\n"
        "Cao Bằng, ngày 15 tháng 7 năm 2022\nNGHỊ QUYẾT\nQuy định mức thu lệ phí"
    )
    document = _read_rendered(header, tmp_path / "resolution.png", settings)
    assert extract_metadata(document.pages[0].text).number == "33/2022/NQ-HĐND"
    assert "number 33 read again" in (document.pages[0].source_reason or "")


@pytest.mark.slow
def test_a_party_documents_number_with_its_type_in_the_slot_is_kept(
    tmp_path: Path, settings: Settings
) -> None:
    """A Party committee numbers its resolution "Số: 20-NQ/TU": the type stands in the slot
    after the digits, and is read again with them."""
    header = (
        "THÀNH ỦY HÀ NỘI\nSố: 20-NQ/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Hà Nội, ngày 12 tháng 5 năm 2025\nNGHỊ QUYẾT\nVề hợp tác quốc tế trong lĩnh vực y tế"
    )
    document = _read_rendered(header, tmp_path / "resolution.png", settings)
    assert extract_metadata(document.pages[0].text).number == "20-NQ/TU"
    assert "number 20-NQ read again" in (document.pages[0].source_reason or "")


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


# Numbers written by hand: the digits are MNIST digits held out of the model's training
# (tests/data/mnist-heldout-digits.npz, six of each), written into a synthetic header's blank.

HELD_OUT = DATA / "mnist-heldout-digits.npz"


def _held_out(number: str) -> list[np.ndarray]:
    """Held-out handwritten digits spelling ``number``, a different hand for each position."""
    with np.load(HELD_OUT) as stored:
        images, labels = stored["images"], stored["labels"]
    return [images[np.flatnonzero(labels == int(d))[i]] for i, d in enumerate(number)]


@pytest.mark.slow
def test_a_number_written_by_hand_into_the_blank_is_read_and_flagged_for_checking(
    tmp_path: Path, settings: Settings
) -> None:
    """A clerk wrote 2705 over the dots of "Số: ........ /QĐ-UBND". Tesseract's readings of the
    pen scatter, so print alone would leave it blank; read digit by digit, it is catalogued, and
    the page says it was read as handwriting so that a librarian checks it."""
    path = tmp_path / "decision.png"
    samples.handwritten_header(_held_out("2705")).save(path, dpi=(300, 300))

    document = read(path, settings)

    assert extract_metadata(document.pages[0].text).number == "2705/QĐ-UBND"
    reason = document.pages[0].source_reason or ""
    assert "number 2705 read as handwriting" in reason and "check it" in reason
    assert any("read as handwriting" in warning for warning in document.warnings)


@pytest.mark.slow
def test_a_scribbled_slot_stays_blank(tmp_path: Path, settings: Settings) -> None:
    """Over the blank the clerk wrote something no one can read as digits: tangles of strokes.
    The number stays empty with the warning, rather than a guess."""
    rng = np.random.default_rng(4)
    tangles = []
    for _ in range(3):
        tangle = Image.new("L", (28, 28), 0)
        points = [tuple(rng.uniform(4, 24, 2)) for _ in range(12)]
        ImageDraw.Draw(tangle).line(points, fill=255, width=2, joint="curve")
        tangles.append(np.asarray(tangle))
    path = tmp_path / "scribble.png"
    samples.handwritten_header(tangles).save(path, dpi=(300, 300))

    document = read(path, settings)

    assert extract_metadata(document.pages[0].text).number is None
    warning = " ".join(document.warnings)
    assert "left blank" in warning and "read as handwriting" not in warning


def test_the_reader_keeps_clear_digits_and_refuses_what_is_not_a_digit() -> None:
    """The digit reader alone, on the slot's ink: held-out digits in a row are read; a slot whose
    edge cuts through a stroke, digits run into one another, or only the blank's dots give
    nothing."""
    digits = _held_out("3916")
    ink = [np.pad(np.asarray(Image.fromarray(d).resize((60, 60))) >= 128, 4) for d in digits]
    row = np.hstack([np.pad(part, ((0, 0), (6, 6))) for part in ink])
    slot = np.pad(
        np.where(row, 30, 245).astype(np.uint8), ((20, 20), (10, 10)), constant_values=245
    )
    assert read_digits(slot, line_height=52).digits == "3916"
    # the slot's right edge placed through the last digit
    assert read_digits(slot[:, : slot.shape[1] - 40], line_height=52).digits is None
    # two digits written into one another: not cut apart and guessed at, refused
    first, second = ink[0], ink[3]  # "3" and "6", the 6 begun where the 3 ends
    shift = int(np.flatnonzero(first.any(axis=0))[-1] - np.flatnonzero(second.any(axis=0))[0])
    touching = np.zeros((68, 68 + shift), dtype=bool)
    touching[:, :68] |= first
    touching[:, shift:] |= second
    run_in = np.pad(np.where(touching, 30, 245).astype(np.uint8), 20, constant_values=245)
    assert read_digits(run_in, line_height=52).digits is None
    dots = np.full((90, 300), 245, dtype=np.uint8)
    dots[70:75, ::17] = 30
    dots[70:75, 1::17] = 30
    assert read_digits(dots, line_height=52).digits is None
