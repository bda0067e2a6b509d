"""A librarian finds a plan by its number, issuer and date, even when the scan garbled them."""

from __future__ import annotations

from pathlib import Path

from ingest.metadata import extract_metadata

SEED = Path(__file__).resolve().parents[2] / "corpus"  # the seed documents, copied from shared/


def test_garbled_ocr_plan_gives_its_own_number_type_issuer_and_date() -> None:
    meta = extract_metadata((SEED / "kh-137-ubnd-2025-ocr.txt").read_text(encoding="utf-8"))
    assert meta.number == "137/KH-UBND"  # not 5369/QD-UBND or 43/KH-UBND, which it cites
    assert meta.doc_type == "Kế hoạch"
    assert meta.issuer == "UBND thành phố Hà Nội"
    assert meta.issue_date == "2025-05-15"  # "ngay /5 thang 5 nam 2025": the OCR "/" is a 1
    assert meta.title is not None and meta.title.startswith("Kế hoạch Hop tac quéc té")


def test_news_article_is_an_article_dated_by_its_byline() -> None:
    meta = extract_metadata((SEED / "news-hanoi-kh137-2025-05-17.txt").read_text(encoding="utf-8"))
    assert meta.doc_type == "article"
    assert meta.issue_date == "2025-05-17"
    assert meta.title == "Hà Nội: Hợp tác với các quốc gia có nền y học tiên tiến trên thế giới"
    assert meta.technology_area == "AI"


def test_decision_type_comes_from_the_number_and_date_from_the_header() -> None:
    text = (
        "BỘ Y TẾ\nSố: 5369/QĐ-BYT\nHà Nội, ngày 14 tháng 10 năm 2024\n\nVề việc phê duyệt đề án\n"
    )
    meta = extract_metadata(text, title_hint="Đề án 5369")
    assert meta.number == "5369/QĐ-BYT"
    assert meta.doc_type == "Quyết định"
    assert meta.issuer == "Bộ Y tế"
    assert meta.issue_date == "2024-10-14"
    assert meta.title == "Đề án 5369"


def test_hints_fill_what_the_text_does_not_say() -> None:
    meta = extract_metadata(
        "A short note on telemedicine cooperation with Japan.", date_hint="2023-01-02"
    )
    assert meta.issue_date == "2023-01-02"
    assert meta.partner_country == "Japan"
    assert meta.technology_area == "telemedicine"


def test_an_ocr_decision_header_gives_its_own_number_issuer_and_type() -> None:
    """OCR splits "QĐ- SYT"; the header also cites the plan 137/KH-UBND and the city committee."""
    text = (
        "SỞ Y TẾ HÀ NỘI |\n\nCONG HOA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 2417/QĐ- SYT _~\nHà Nội, ngày 12 tháng 6 năm 2025\n. QUYẾT ĐỊNH:\n"
        "Về việc phê duyệt Đề án hợp tác quốc tế với Bệnh viện Đại học\n"
        "Quốc gia Seoul (Hàn Quốc) trong lĩnh vực chẩn đoán hình ảnh.\n\n"
        "- Căn cứ Kế hoạch số 137/KH-UBND ngày 15/5/2025 của Ủy ban nhận\n"
        "dân thành phố Hà Nội về hợp tác quốc tế\n"
    )
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type, meta.issuer, meta.issue_date) == (
        "2417/QĐ-SYT",
        "Quyết định",
        "Sở Y tế Hà Nội",
        "2025-06-12",
    )
    assert meta.title is not None and meta.title.startswith("Quyết định Về việc phê duyệt")


def test_a_docx_agreement_heading_gives_its_type_and_title() -> None:
    text = (
        "# THỎA THUẬN HỢP TÁC\n\nGiữa Bệnh viện Bạch Mai (Hà Nội, Việt Nam) và Hospices Civils de "
        "Lyon (Cộng hòa Pháp) về đào tạo.\n\n# Điều 1. Mục tiêu\n\nHai bên hợp tác.\n"
    )
    meta = extract_metadata(text)
    assert meta.doc_type == "Thỏa thuận"
    assert meta.title is not None and meta.title.startswith(
        "Thỏa thuận hợp tác Giữa Bệnh viện Bạch Mai"
    )


def test_a_title_stops_before_the_signers_heading() -> None:
    text = (
        "SỞ Y TẾ HÀ NỘI\nSố: 2417/QĐ-SYT\nQUYẾT ĐỊNH\nVề việc phê duyệt Dự án hợp tác với Bệnh viện\n"
        "Đại học Quốc gia Seoul (Hàn Quốc)\nGIÁM ĐỐC SỞ Y TẾ HÀ NỘI\nCăn cứ Luật Khám bệnh, chữa bệnh;\n"
    )
    assert extract_metadata(text).title == (
        "Quyết định Về việc phê duyệt Dự án hợp tác với Bệnh viện Đại học Quốc gia Seoul (Hàn Quốc)"
    )
