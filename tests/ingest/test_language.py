"""Each passage is tagged with its language, even a scan whose Vietnamese lost its accents."""

from __future__ import annotations

from pathlib import Path

from unidecode import unidecode

from ingest.language import (
    detect_language,
    detect_languages,
    may_be_vietnamese,
    vietnamese_syllable_share,
)

SEED = Path(__file__).resolve().parents[2] / "corpus"  # the seed documents, copied from shared/
OCR_PLAN = (SEED / "kh-137-ubnd-2025-ocr.txt").read_text(encoding="utf-8")
NEWS = (SEED / "news-hanoi-kh137-2025-05-17.txt").read_text(encoding="utf-8")
ENGLISH = (
    "The plan promotes the transfer of medical technology to Hanoi's hospitals through partnerships "
    "with countries that have advanced medicine, such as France, Japan and Korea."
)
FRENCH = (
    "Le plan favorise le transfert de technologies médicales vers les hôpitaux de Hanoï grâce à des "
    "partenariats avec des pays dont la médecine est avancée."
)


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if len(p.split()) >= 8]


def test_both_seed_documents_are_vietnamese() -> None:
    assert detect_language(OCR_PLAN) == "vi"
    assert detect_language(NEWS) == "vi"


def test_garbled_ocr_paragraphs_are_vietnamese() -> None:
    paragraphs = _paragraphs(OCR_PLAN)
    vietnamese = [p for p in paragraphs if detect_language(p) == "vi"]
    assert len(vietnamese) >= 0.95 * len(paragraphs)


def test_accent_stripped_vietnamese_is_vietnamese() -> None:
    for paragraph in _paragraphs(NEWS):
        assert detect_language(unidecode(paragraph)) == "vi", paragraph
    assert detect_language("Hop tac quoc te ve chuyen giao cong nghe y te") == "vi"


def test_english_and_french_are_told_apart() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(FRENCH) == "fr"
    assert vietnamese_syllable_share(ENGLISH) < 0.1
    assert vietnamese_syllable_share(FRENCH) < 0.1


def test_a_line_of_heavy_ocr_may_be_vietnamese_where_english_prose_may_not() -> None:
    line = "Chitieu chitiStdichvuky thuat vav~ttu y ts"
    assert detect_language(line) != "vi"
    assert may_be_vietnamese(line)
    assert not may_be_vietnamese("The partner hospital in Lyon has trained two of our surgeons.")
    assert not may_be_vietnamese("L'hôpital partenaire de Lyon a formé deux de nos chirurgiens.")


def test_too_little_text_is_undetermined() -> None:
    assert detect_language("y tế") == "und"
    assert detect_language("  12/05 ") == "und"


def test_document_languages_are_ranked_by_share_of_words() -> None:
    chunks = _paragraphs(NEWS) + [ENGLISH]
    assert detect_languages(chunks) == ["vi"]  # one English paragraph is under 10% of the words
    assert detect_languages([ENGLISH, _paragraphs(NEWS)[0], _paragraphs(NEWS)[1]]) == ["vi", "en"]
    assert detect_languages([FRENCH, ENGLISH, ENGLISH]) == ["en", "fr"]
    assert detect_languages(["", "ok"]) == []
