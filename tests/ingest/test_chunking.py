"""A passage found by search must make sense alone and say where it stands in its document."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from catalog import Page
from hoptac.errors import InvalidInput
from ingest.chunking import chunk, heading_rank, roman_heading

SEED = Path(__file__).resolve().parents[2] / "corpus"  # the seed documents, copied from shared/
OCR_LINES = (SEED / "kh-137-ubnd-2025-ocr.txt").read_text(encoding="utf-8").split("\n")
OCR_PAGES = [Page(1, "\n".join(OCR_LINES[:90]), "ocr"), Page(2, "\n".join(OCR_LINES[90:]), "ocr")]

LEGAL = """QUYẾT ĐỊNH
Ban hành Quy chế hợp tác quốc tế

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Quy chế này quy định về hoạt động hợp tác quốc tế trong lĩnh vực y tế của thành phố.

Điều 2. Đối tượng áp dụng
1. Các bệnh viện trực thuộc Sở Y tế.
2. Các cơ sở y tế ngoài công lập có hợp tác với đối tác nước ngoài.

Chương II
NỘI DUNG HỢP TÁC

Mục 1. HỢP TÁC CHUYÊN MÔN

Dieu 3. Chuyen giao cong nghe
Mục đích của chuyển giao là nâng cao năng lực khám chữa bệnh, theo Điều 2 của Quy chế này.
"""

MARKDOWN = """# Annual report 2024

Intro text about the partnership.

## Telemedicine

Remote consultations between Hanoi and Lyon hospitals started in 2024.

## Training

Twenty doctors were trained in France.
"""


def _words(text: str) -> list[str]:
    return text.split()


def test_seed_plan_sections_follow_its_parts_and_numbering() -> None:
    chunks = chunk(OCR_PAGES)
    ai = [c for c in chunks if "1.1. Tri tué nhan tao (Al) trong y té" in c.section]
    assert ai, [c.section for c in chunks]
    assert ai[0].section.startswith("II. NOI DUNG > ")  # the OCR's "Il." reads as II in the path
    assert "Robot phau thuat" in ai[0].text
    assert any(c.section == "I. MUC PICH, YEU CAU > 1. Muc dich" for c in chunks)
    assert any(c.section.startswith("III. KINH PHI THUC HIEN") for c in chunks)
    assert any(
        c.section.startswith("IV. TO CHUC THUC HIEN > 3. S6 Khoa hoc va Cong nghé") for c in chunks
    )
    assert all(c.language == "vi" for c in chunks)


def test_every_chunk_starts_with_its_heading() -> None:
    for c in chunk(OCR_PAGES):
        if c.section:
            last = c.section.split(" > ")[-1].split(" – ")[0].rstrip("…")
            first_line = roman_heading(c.text.split("\n")[0])
            assert last.split()[0] in first_line or first_line.startswith(c.section.split(" > ")[0])


def test_no_text_is_lost_and_chunks_stay_in_size() -> None:
    chunks = chunk(OCR_PAGES, max_words=120, overlap_words=20)
    assert all(len(_words(c.text)) <= 120 for c in chunks)
    seen = set(" ".join(c.text for c in chunks).split())
    assert set(" ".join(p.text for p in OCR_PAGES).split()) <= seen | {"", "\f"}


def test_page_ranges_follow_the_text_across_pages() -> None:
    chunks = chunk(OCR_PAGES)
    assert chunks[0].page_start == 1
    assert chunks[-1].page_end == 2
    assert any(c.page_start == 1 and c.page_end == 2 for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_legal_text_follows_chapters_sections_and_articles() -> None:
    chunks = chunk([Page(1, LEGAL, "docx")], max_words=60, overlap_words=10)
    sections = [c.section for c in chunks]
    assert "Chương I QUY ĐỊNH CHUNG > Điều 1. Phạm vi điều chỉnh" in sections
    assert (
        "Chương II NỘI DUNG HỢP TÁC > Mục 1. HỢP TÁC CHUYÊN MÔN > Dieu 3. Chuyen giao cong nghe"
        in sections
    )
    article_2 = next(c for c in chunks if c.section.endswith("Điều 2. Đối tượng áp dụng"))
    assert "1. Các bệnh viện trực thuộc Sở Y tế.\n2. Các cơ sở" in article_2.text


def test_markdown_headings_from_docx_and_html_readers() -> None:
    chunks = chunk([Page(1, MARKDOWN, "html")], max_words=60, overlap_words=10)
    by_section = {c.section: c.text for c in chunks}
    # The two short sister sections under one parent are read together; markers are dropped.
    merged = by_section["Annual report 2024 > Telemedicine – Training"]
    assert merged.startswith("Telemedicine\nRemote consultations")
    assert "\nTraining\nTwenty doctors" in merged
    assert (
        by_section["Annual report 2024"] == "Annual report 2024\nIntro text about the partnership."
    )
    assert all(c.language == "en" for c in chunks)


def test_numbers_in_running_text_are_not_headings() -> None:
    assert heading_rank("1.1. Trí tuệ nhân tạo (AI) trong y tế") is not None
    assert heading_rank("Điều 5. Hiệu lực thi hành") is not None
    assert heading_rank("Điều 2 của Quy chế này quy định rõ trách nhiệm") is None
    assert heading_rank("Mục đích của kế hoạch là nâng cao chất lượng") is None
    assert heading_rank("1. Các bệnh viện trực thuộc Sở Y tế thành phố.") is None
    assert heading_rank("2025 là năm bản lề") is None
    assert heading_rank("|. MUC PICH, YEU CAU") == heading_rank("II. NỘI DUNG")


def test_long_section_splits_with_overlap_on_sentence_boundaries() -> None:
    sentences = [f"Câu số {i} nói về hợp tác quốc tế trong lĩnh vực y tế." for i in range(60)]
    text = "II. NỘI DUNG\n\n1. Chuyển giao công nghệ\n\n" + " ".join(sentences)
    chunks = chunk([Page(3, text, "text")], max_words=80, overlap_words=20)
    assert len(chunks) > 5
    for before, after in itertools.pairwise(chunks):
        assert len(_words(before.text)) <= 80
        assert after.text.startswith("II. NỘI DUNG\n1. Chuyển giao công nghệ")
        last_sentence = before.text.rsplit("Câu số", 1)[1]
        assert last_sentence in after.text  # the overlap repeats the previous chunk's last sentence
    assert all(c.section == "II. NỘI DUNG > 1. Chuyển giao công nghệ" for c in chunks)
    assert all(c.page_start == c.page_end == 3 for c in chunks)


def test_small_sections_never_merge_across_parts() -> None:
    text = "I. MỤC ĐÍCH\n\n1. Mục đích\n\nNgắn.\n\n2. Yêu cầu\n\nNgắn.\n\nII. NỘI DUNG\n\n1. Hợp tác\n\nNgắn."
    chunks = chunk([Page(1, text, "text")])
    assert [c.section for c in chunks] == [
        "I. MỤC ĐÍCH > 1. Mục đích – 2. Yêu cầu",
        "II. NỘI DUNG > 1. Hợp tác",
    ]


def test_unusable_sizes_are_refused() -> None:
    with pytest.raises(InvalidInput):
        chunk(OCR_PAGES, max_words=100, overlap_words=80)


def test_a_dated_image_file_name_is_not_a_numbered_heading() -> None:
    from ingest.chunking import heading_rank

    assert heading_rank("12.02.2023.-y-te-thong-minh.jpg") is None
    assert heading_rank("1.3.Y hoc tai tao va cong nghe in 3D:") is not None


def test_a_short_numbered_section_is_its_own_passage() -> None:
    """The plan's section 1.1 (AI in health) must not drown in its neighbours."""
    text = (SEED / "kh-137-ubnd-2025-ocr.txt").read_text(encoding="utf-8")
    chunks = chunk([Page(1, text, "plain")])
    ai = [c for c in chunks if "1.1." in c.section]
    assert len(ai) == 1 and "1.2." not in ai[0].section


def test_garbled_part_numbers_read_as_roman_numerals_in_the_section_path() -> None:
    text = (SEED / "kh-137-ubnd-2025-ocr.txt").read_text(encoding="utf-8")
    parts = {
        c.section.split(" > ")[0].split(".")[0]
        for c in chunk([Page(1, text, "plain")])
        if c.section
    }
    assert {"I", "II", "III", "IV"} <= parts, parts
