"""One odd file must not hold an ingest for minutes: every stage is linear, every file is bounded."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from catalog import Catalog
from hoptac.errors import EmptyDocument
from hoptac.settings import Settings
from ingest.diacritics import restore, space_accented
from ingest.normalize import normalize
from ingest.pipeline import ingest_file, ingest_paths
from ingest.readers import read
from ingest.readers.ocr import is_blank

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def seconds(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def test_a_million_letter_word_is_normalised_in_seconds() -> None:
    assert seconds(lambda: normalize("a" * 1_000_000)) < 10
    assert seconds(lambda: normalize("hợp" * 300_000)) < 10


def test_a_five_megabyte_text_without_spaces_is_normalised_in_seconds() -> None:
    no_spaces = "Sở-Y-tế,Hà.Nội/" * 330_000  # about 5 MB of UTF-8
    assert len(no_spaces.encode()) > 5_000_000
    assert seconds(lambda: normalize(no_spaces)) < 30


def test_a_line_of_a_hundred_thousand_tabs_is_normalised_in_seconds() -> None:
    assert seconds(lambda: normalize("x" + " \t" * 100_000 + "y")) < 10


def test_a_hundred_thousand_letter_junk_word_in_someone_elses_ocr_is_restored_in_seconds() -> None:
    # A run of letters in such OCR may be words that lost their spaces; this one is junk.
    ocr = "Quyet dinh s6 8l/QD-TTg cia "
    for junk in ("l" * 100_000, "Q" * 100_000, "a1" * 50_000):
        assert seconds(lambda junk=junk: restore(ocr + junk + " viQc")) < 10, junk[:4]


def test_accented_runs_with_many_ways_to_cut_and_junk_at_their_end_are_spaced_in_seconds() -> None:
    # "ànhanh" cuts two ways every three letters; the q at the end makes every cut a dead end.
    runs = " ".join(["ànhanh" * 50 + "q"] * 200)
    assert seconds(lambda: space_accented(runs)) < 10
    assert seconds(lambda: space_accented("C Ộ N G " * 20_000)) < 10


def test_a_file_past_the_character_limit_is_indexed_up_to_it_and_the_report_says_so(
    tmp_path: Path,
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", restore_diacritics=False, max_chars_per_file=50_000
    )
    path = tmp_path / "no-spaces.txt"
    path.write_text("Kế hoạch 137/KH-UBND.\n" + "a" * 5_000_000, encoding="utf-8")
    catalog = Catalog(settings.catalog_location)
    report = ingest_file(catalog, settings, path)
    assert report.status == "ingested", report.reason
    assert report.limits_hit == ["max_chars_per_file"]
    assert any("max_chars_per_file" in w and "50,000" in w for w in report.warnings)
    assert report.seconds < 30
    assert sum(len(p.text) for p in catalog.pages(report.document_id or 0)) <= 50_000


def test_the_run_keeps_each_files_warnings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", restore_diacritics=False, max_chars_per_file=100
    )
    path = tmp_path / "long.txt"
    path.write_text("Hợp tác quốc tế về chuyển giao công nghệ y tế. " * 20, encoding="utf-8")
    catalog = Catalog(settings.catalog_location)
    ingest_paths(catalog, settings, [path])
    [run] = catalog.runs(1)
    assert run.status == "finished"
    assert any("max_chars_per_file" in w for w in run.files[0].warnings)


def test_a_docx_of_200000_empty_paragraphs_is_read_in_seconds(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Biên bản ghi nhớ", level=1)
    document.add_paragraph("Hợp tác chuyển giao công nghệ y tế.")
    empty = document.add_paragraph("")._p
    body = document.element.body
    for _ in range(200_000):
        body.append(copy.deepcopy(empty))
    path = tmp_path / "empty-paragraphs.docx"
    document.save(str(path))
    started = time.perf_counter()
    extracted = read(path, Settings(data_dir=tmp_path / "data"))
    assert time.perf_counter() - started < 30
    assert extracted.pages[0].text.startswith("# Biên bản ghi nhớ")


def blank_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_a_pdf_past_the_page_limit_is_read_up_to_it_and_says_so(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", max_pages_per_file=3)
    writer = PdfWriter()
    writer.append(str(CORPUS / "paper-amr-surveillance-hanoi.pdf"))
    for _ in range(5):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "long.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    extracted = read(path, settings)
    assert len(extracted.pages) == 3
    assert extracted.limits_hit == ["max_pages_per_file"]


def test_blank_pages_of_a_pdf_are_not_sent_to_ocr(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    path = blank_pdf(tmp_path / "blank-30.pdf", 30)
    started = time.perf_counter()
    with pytest.raises(EmptyDocument, match="no text"):
        read(path, settings)
    assert time.perf_counter() - started < 15


def test_a_page_with_a_heading_faint_or_inverted_is_not_blank_but_one_with_specks_is() -> None:
    page = Image.new("L", (2480, 3508), 255)
    specks = page.copy()
    for x in range(0, 2400, 300):
        specks.putpixel((x, 100), 0)
    assert is_blank(page) and is_blank(specks)
    ImageDraw.Draw(page).rectangle((200, 200, 700, 260), fill=0)  # the ink of a short heading
    assert not is_blank(page)
    pencil = Image.new("L", (2480, 3508), 250)
    ImageDraw.Draw(pencil).rectangle((200, 200, 700, 260), fill=170)
    slide = Image.new("L", (2480, 3508), 20)
    ImageDraw.Draw(slide).rectangle((200, 200, 700, 260), fill=255)
    assert not is_blank(pencil) and not is_blank(slide)
    assert is_blank(Image.new("L", (2480, 3508), 20))


def test_only_the_head_of_a_huge_text_file_is_read_and_the_report_says_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nhat-ky.log"
    with path.open("wb") as handle:
        handle.write("Nhật ký máy chủ của Sở Y tế.\n".encode())
        handle.truncate(3_000_000_000)  # 3 GB, sparse: reading it whole would take minutes
    settings = Settings(data_dir=tmp_path / "data", max_chars_per_file=1_000)
    started = time.perf_counter()
    extracted = read(path, settings)
    assert time.perf_counter() - started < 5
    assert extracted.limits_hit == ["max_chars_per_file"]
    assert extracted.warnings[-1].startswith("only the first 1,000 characters of a longer file")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_cut_through_a_character_is_not_reported_as_damage(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(("Hợp tác quốc tế về y tế. " * 200).encode(encoding))
    extracted = read(path, Settings(data_dir=tmp_path / "data", max_chars_per_file=10))
    assert "\ufffd" not in extracted.text
    assert not any("replaced" in warning for warning in extracted.warnings)
    assert extracted.text.startswith("Hợp tác")
