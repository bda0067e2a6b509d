"""A librarian's ingest: a folder in, a report out; bad files named, nothing stored half."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import delete_document, ingest_file, ingest_paths

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
#: Someone else's OCR of a real letter (the dev page the diacritics benchmark reads).
GARBLED = Path(__file__).resolve().parents[2] / "bench" / "data" / "garbled"
#: The same kind of OCR made by Tesseract's English model on dev documents' pages.
ENGINE = GARBLED.with_name("garbled-eng")
SEED = "kh-137-ubnd-2025-ocr.txt"
NEWS = "news-hanoi-kh137-2025-05-17.txt"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def catalog(settings: Settings) -> Catalog:
    return Catalog(settings.catalog_location)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in (SEED, NEWS):
        shutil.copy(CORPUS / name, folder / name)
    return folder


def test_the_garbled_plan_is_catalogued_with_its_number_type_issuer_and_date(
    catalog: Catalog, settings: Settings, seeds: Path
) -> None:
    report = ingest_paths(catalog, settings, [seeds])
    assert [f.status for f in report.files] == ["ingested", "ingested"]
    plan = catalog.get_document(catalog.find_by_source(str((seeds / SEED).resolve())) or 0)
    assert plan.number == "137/KH-UBND"
    assert plan.doc_type == "Kế hoạch"
    assert plan.issuer == "UBND thành phố Hà Nội"
    assert plan.issue_date == "2025-05-15"
    assert plan.languages[0] == "vi"
    sections = " | ".join(c.section for c in catalog.chunks(plan.id))
    assert "1.1" in sections, sections
    stored = settings.data_dir / plan.stored_file
    assert stored.read_bytes() == (seeds / SEED).read_bytes()


def test_the_same_bytes_twice_are_reported_unchanged(
    catalog: Catalog, settings: Settings, seeds: Path
) -> None:
    ingest_paths(catalog, settings, [seeds])
    chunks_before = catalog.chunk_ids()
    again = ingest_paths(catalog, settings, [seeds])
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]
    assert catalog.chunk_ids() == chunks_before


def test_a_changed_file_at_the_same_path_is_a_new_version_and_keeps_corrections(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "thong-bao.txt"
    path.write_text("Thông báo về hội thảo hợp tác quốc tế với Pháp về y tế thông minh.\n")
    first = ingest_file(catalog, settings, path)
    catalog.correct(first.document_id or 0, {"title": "Thông báo hội thảo"})
    path.write_text("Thông báo về hội thảo hợp tác quốc tế với Hàn Quốc về y tế từ xa.\n")
    second = ingest_file(catalog, settings, path)
    assert (second.status, second.document_id) == ("updated", first.document_id)
    doc = catalog.get_document(first.document_id or 0)
    assert (doc.version, doc.title) == (2, "Thông báo hội thảo")
    assert "Hàn Quốc" in catalog.chunks(doc.id)[0].text


def test_bad_files_are_named_with_a_reason_and_the_rest_still_ingests(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<< broken")
    (folder / "empty.txt").write_bytes(b"")
    Image.new("RGB", (40, 20), "white").save(folder / "photo.png")
    (folder / "photo.png").rename(folder / "renamed.pdf")
    (folder / "zero.docx").write_bytes(b"")
    (folder / "good.txt").write_text(
        "Quyết định phê duyệt hợp tác với Nhật Bản về y học hạt nhân.\n"
    )
    report = ingest_paths(catalog, settings, [folder])
    status = {Path(f.path).name: (f.status, f.reason) for f in report.files}
    assert status["good.txt"][0] == "ingested"
    for name in ("corrupt.pdf", "empty.txt", "renamed.pdf", "zero.docx"):
        state, reason = status[name]
        assert state == "failed" and reason, name
    assert "PNG" in (status["renamed.pdf"][1] or "")
    assert [d.source_name for d in catalog.list_documents()] == ["good.txt"]
    assert {c.document_id for c in catalog.chunks_by_ids(sorted(catalog.chunk_ids()))} == {
        catalog.list_documents()[0].id
    }
    [run] = catalog.runs(1)
    assert sum(f.status == "failed" for f in run.files) == 4


def test_delete_removes_the_document_and_its_stored_original(
    catalog: Catalog, settings: Settings, seeds: Path
) -> None:
    report = ingest_paths(catalog, settings, [seeds])
    doc_id = report.files[0].document_id or 0
    stored = settings.data_dir / catalog.get_document(doc_id).stored_file
    delete_document(catalog, settings, doc_id)
    assert not stored.exists()
    assert doc_id not in {d.id for d in catalog.list_documents()}
    assert all(c.document_id != doc_id for c in catalog.chunks_by_ids(sorted(catalog.chunk_ids())))


def test_a_readers_warning_reaches_the_file_report_and_the_run(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "bien-ban.txt"
    path.write_bytes(
        "Biên bản họp về hợp tác quốc tế ".encode() + b"\x92" + " của Sở Y tế Hà Nội.".encode()
    )
    report = ingest_paths(catalog, settings, [path])
    [file] = report.files
    assert file.status == "ingested"
    assert file.warnings == ["1 byte not valid utf-8 replaced by U+FFFD; the rest decoded as utf-8"]
    assert catalog.runs(1)[0].files[0].warnings == file.warnings


def test_a_file_from_a_new_place_replaces_a_document_only_when_told(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    draft, final = tmp_path / "draft" / "qd.txt", tmp_path / "final" / "qd.txt"
    for path, words in ((draft, "bản nháp"), (final, "bản chính thức")):
        path.parent.mkdir()
        path.write_text(f"Quyết định số 12 về hội đồng khoa học, {words}.", encoding="utf-8")
    first = ingest_paths(catalog, settings, [draft]).files[0]
    elsewhere = ingest_file(catalog, settings, final)
    assert elsewhere.status == "ingested" and elsewhere.document_id != first.document_id
    final.write_text("Quyết định số 12 về hội đồng khoa học, bản ký.", encoding="utf-8")
    replaced = ingest_paths(catalog, settings, [final], replaces=first.document_id).files[0]
    assert (replaced.status, replaced.document_id) == ("updated", first.document_id)
    assert catalog.get_document(first.document_id or 0).version == 2


def test_a_file_that_fails_after_reading_still_reports_what_the_reader_noticed(
    tmp_path: Path,
) -> None:
    """Cut at the character limit, the file keeps only control characters: nothing to index, and
    the report says both why it failed and that the limit cut it short."""
    settings = Settings(data_dir=tmp_path / "data", max_chars_per_file=1000)
    path = tmp_path / "odd.txt"
    path.write_text("\x07\x01\u200b " * 400 + "Kế hoạch hợp tác quốc tế " * 100, encoding="utf-8")
    catalog = Catalog(settings.catalog_location)
    report = ingest_paths(catalog, settings, [path]).files[0]
    assert report.status == "failed" and "no text" in (report.reason or "")
    assert report.limits_hit == ["max_chars_per_file"]
    assert any("first 1,000 characters" in warning for warning in report.warnings)
    [run] = catalog.runs(1)
    assert run.files[0].warnings == report.warnings


def test_a_text_layer_with_holes_for_marked_vowels_is_filled_at_ingest(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    """A text layer drawn with a font that had no glyphs for most marked vowels, saved as text:
    each missing letter left two spaces. The holes are filled before spaces are collapsed, so
    the stored page and its passages read as the letter does."""
    letter = tmp_path / "bhxh-cong-van.txt"
    letter.write_text(
        "B  O HI  M XÃ H  I VI  T NAM\n"
        "V/v tri  n khai h   sơ b  nh án đi  n t   trong khám b  nh, ch  a b  nh\n"
        "Căn c   Lu  t B  o hi  m xã h  i, B  o hi  m xã h  i Vi  t Nam đ   ngh   các đơn v   "
        "th  c hi  n vi  c k  t n  i d   li  u đ  u ra v  i h   th  ng thông tin.\n",
        encoding="utf-8",
    )
    report = ingest_paths(catalog, settings, [letter])
    assert [f.status for f in report.files] == ["ingested"]
    text = " ".join(
        c.text for c in catalog.chunks(catalog.find_by_source(str(letter.resolve())) or 0)
    )
    for phrase in (
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "triển khai hồ sơ bệnh án điện tử trong khám bệnh, chữa bệnh",
        "Bảo hiểm xã hội Việt Nam đề nghị các đơn vị thực hiện",
        "thực hiện việc kết nối dữ liệu đầu ra với hệ thống thông tin",
    ):
        assert phrase in text, text


def test_a_text_layer_that_ran_accented_words_together_is_read_with_its_spaces_at_ingest(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    """A librarian ingests a plan whose text layer lost spaces between accented words
    ("phápluật", "thựchiện"). Every letter and mark is right, so the page is read with its spaces
    back, as the holes of a font without glyphs are filled: its passages, its header and lexical
    search see the words apart, and the file as it came is kept."""
    plan = tmp_path / "syt-hcm-kh.txt"
    plan.write_text(
        "SỞ Y TẾ\nSố: 852/KH-SYT\nThành phố Hồ Chí Minh, ngày 09 tháng 02 năm 2021\n"
        "KẾHOẠCH\nKiểm tra, rà soát văn bản quy phạm phápluật về y tế năm 2021\n"
        "I. NỘI DUNG THỰCHIỆN\n1. Các văn bản quy phạm phápluật do Bộtrưởng Bộ Y tế ban hành "
        "được kiểm tra, rà soát theo chuyên đề; các đơn vị thựchiện và báo cáo đúng thờigian "
        "quy định.\n",
        encoding="utf-8",
    )
    report = ingest_paths(catalog, settings, [plan])
    assert [f.status for f in report.files] == ["ingested"]
    document_id = catalog.find_by_source(str(plan.resolve())) or 0
    text = " ".join(c.text for c in catalog.chunks(document_id))
    for phrase in ("quy phạm pháp luật do Bộ trưởng Bộ Y tế", "các đơn vị thực hiện", "thời gian"):
        assert phrase in text, text
    document = catalog.get_document(document_id)
    assert document.doc_type == "Kế hoạch"
    assert document.title == "Kiểm tra, rà soát văn bản quy phạm pháp luật về y tế năm 2021"
    assert "phápluật" in (settings.data_dir / document.stored_file).read_text("utf-8")


def test_someone_elses_heavy_ocr_saved_as_text_is_restored_at_ingest(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    """A librarian ingests another office's OCR of a letter, saved as plain text: digits and
    capitals stand for its marked vowels ("Sd Tu ph6p", "viQc"). It is no English: its passages
    are restored, so a search typed with accents reads them, and the text as it came is kept."""
    letter = tmp_path / "stp-hcm-cv-2021.txt"
    shutil.copy(GARBLED / "stp-hcm-cv-2021-p1.layer.txt", letter)
    report = ingest_paths(catalog, settings, [letter])
    assert [f.status for f in report.files] == ["ingested"]
    chunks = catalog.chunks(catalog.find_by_source(str(letter.resolve())) or 0)
    assert all(c.stripped_score > 0.5 for c in chunks)
    restored = " ".join(c.text_restored or "" for c in chunks)
    for phrase in ("Thủ tướng Chính phủ phê duyệt", "Văn phòng Ủy ban nhân dân Thành phố"):
        assert phrase in restored, restored
    assert "Sd Tu ph6p" in " ".join(c.text for c in chunks)
    # The decision it cites as "8l/QD-TTg" is among its references, as the restorer reads it.
    document = catalog.get_document(catalog.find_by_source(str(letter.resolve())) or 0)
    assert "81/QĐ-TTg" in document.references


def test_someone_elses_ocr_of_a_decision_saved_as_text_is_catalogued_from_its_restored_header(
    catalog: Catalog, settings: Settings, tmp_path: Path
) -> None:
    """A librarian ingests a commune decision as another office's OCR saved as text, with no
    image to read again ("UYBANNHANDAN", "ngay 29 thdng 3 néim 2024"). Its first page is restored
    before the header is read, so the catalog names its issuer and date."""
    decision = tmp_path / "ngai-giao-qd.txt"
    shutil.copy(ENGINE / "vi_UBND-NgaiGiao_QD-phan-cong-cong-chuc-VP-TK-p1.layer.txt", decision)
    report = ingest_paths(catalog, settings, [decision])
    assert [f.status for f in report.files] == ["ingested"]
    document = catalog.get_document(catalog.find_by_source(str(decision.resolve())) or 0)
    assert (document.doc_type, document.issuer, document.issue_date) == (
        "Quyết định",
        "UBND thị trấn Ngãi Giao",
        "2024-03-29",
    )
