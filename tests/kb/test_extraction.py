"""Reading terms, funding, partners and citations from the phrasings documents use (no model)."""

from __future__ import annotations

from datetime import date

from ingest.metadata import extract_metadata
from kb.agreements import is_agreement, read_funding, read_term, status
from kb.partners import find_mentions
from kb.relations import find_citations


def test_five_years_from_signing_written_out_in_vietnamese() -> None:
    term = read_term("Thỏa thuận có hiệu lực năm năm kể từ ngày ký.", signed="2025-03-18")
    assert (term.effective, term.duration_months, term.expires) == ("2025-03-18", 60, "2030-03-18")


def test_an_english_agreement_for_a_period_of_three_years() -> None:
    term = read_term(
        "This Memorandum shall remain in force for a period of three years.", "2024-02-29"
    )
    assert term.duration_months == 36 and term.expires == "2027-02-28"


def test_a_french_cooperation_agreement_for_five_years_from_its_signature() -> None:
    """Partner agreements also come in French: "Accord de coopération", "pour une durée de cinq
    ans", "entre en vigueur à la date de sa signature", signed "Lyon, le 5 juin 2023"."""
    text = (
        "Accord de coopération entre les Hospices Civils de Lyon et l'Hôpital Bach Mai\n"
        "Lyon, le 5 juin 2023\nLes parties coopèrent en chirurgie robotique pour une durée de cinq "
        "ans. Le présent accord entre en vigueur à la date de sa signature."
    )
    assert is_agreement("article", None, text)
    signed = extract_metadata(text).issue_date
    assert signed == "2023-06-05"
    term = read_term(text, signed)
    assert (term.effective, term.duration_months, term.expires) == ("2023-06-05", 60, "2028-06-05")
    assert read_term("Convention valable pour une durée d'un an.", None).duration_months == 12


def test_a_project_from_july_2025_to_june_2027_in_ocr_text_without_accents() -> None:
    term = read_term("thoi gian thuc hien tu thang 7 nam 2025 den thang 6 nam 2027.", "2025-06-12")
    assert term.expires == "2027-06-30" and term.duration_months == 24


def test_status_of_an_agreement_by_its_expiry() -> None:
    today = date(2026, 11, 30)
    assert status("2026-01-01", today, 12) == "expired"
    assert status("2027-06-30", today, 12) == "expiring"
    assert status("2030-03-18", today, 12) == "active"
    assert status(None, today, 12) == "unknown"


def test_funding_of_one_point_two_million_dollars() -> None:
    [funding] = read_funding(
        "Phía Hàn Quốc tài trợ 1,2 triệu USD cho dự án. Hai bên cử chuyên gia."
    )
    assert (funding.amount, funding.currency) == (1_200_000, "USD")
    [euros] = read_funding("The programme is funded with EUR-denominated grants of 450.000 EUR.")
    assert (euros.amount, euros.currency) == (450_000, "EUR")


def test_an_mou_is_an_agreement_and_a_news_article_about_one_is_not() -> None:
    assert is_agreement(None, None, "BIÊN BẢN GHI NHỚ hợp tác giữa Sở Y tế Hà Nội và JICA")
    assert not is_agreement(
        "article", "Hà Nội và Pháp hợp tác", "Hai bên đã ký thỏa thuận hợp tác."
    )


def test_a_partner_in_english_vietnamese_and_french_is_one_key() -> None:
    keys = {
        m.key
        for text in (
            "Funded by the Korea International Cooperation Agency.",
            "Cơ quan Hợp tác Quốc tế Hàn Quốc (KOICA) tài trợ.",
            "L'Organisation mondiale de la Santé et le WHO office.",
        )
        for m in find_mentions(1, text)
    }
    assert keys == {"koica", "who"}


def test_the_word_who_in_lower_case_is_not_the_who() -> None:
    assert find_mentions(1, "Nurses who trained in Seoul use WHONET.") == []


def test_an_unknown_hospital_with_its_country_in_parentheses_is_found() -> None:
    [mention] = find_mentions(
        1, "Hợp tác với Bệnh viện Charité (Cộng hòa Liên bang Đức) về ghép tạng."
    )
    assert (mention.name, mention.country) == ("Bệnh viện Charité", "Germany")


def test_citations_in_ocr_text_without_accents() -> None:
    cites = find_citations(
        1, "Can cu Quyét dinh sé 5369/QD-UBND ngay 14/10/2024; Thuc hien Ké hoach s6 43/KH-UBND"
    )
    assert [(c.number, c.relation) for c in cites] == [
        ("5369/QD-UBND", "basis"),
        ("43/KH-UBND", "implements"),
    ]
    assert find_citations(1, "Kế hoạch số 137/KH-UBND", own_number="137/KH-UBND") == []
