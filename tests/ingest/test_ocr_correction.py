"""OCR reads a photographed letter with some accents wrong; hoptac stores what OCR read as the
original and corrects the accents for reading, indexing and search.

``tests/data/cong-van-syt-photo.jpg`` is an official letter typed for this test (its text is
``LETTER`` below), rendered with DejaVu Serif at 100 dpi, tilted 1.5°, blurred, unevenly lit and
noisy, then saved as a JPEG (``make_letter_photo``): Tesseract reads "chấn đoán" for "chẩn đoán",
"giảng day", "Tai chính", "cong nghệ", "tổng hop".
"""

from __future__ import annotations

import io
import shutil
import textwrap
from pathlib import Path

import pytest

from catalog import Catalog
from hoptac.settings import Settings
from hoptac.vietnamese import strip_marks
from ingest.diacritics.ocr_correct import confidence_table, correct_ocr, correct_ocr_many
from ingest.pipeline import ingest_paths
from models import Embedder

DATA = Path(__file__).resolve().parents[1] / "data"
PHOTO = DATA / "cong-van-syt-photo.jpg"
LETTER = """SỞ Y TẾ HÀ NỘI
Số: 215/SYT-HTQT
V/v phối hợp đào tạo chuyển giao kỹ thuật
Kính gửi: Bệnh viện Đa khoa Đức Giang
Thực hiện Kế hoạch số 137/KH-UBND ngày 15 tháng 5 năm 2025 của Ủy ban nhân dân Thành phố về hợp \
tác quốc tế trong chuyển giao công nghệ y tế, Sở Y tế đề nghị Bệnh viện cử cán bộ tham gia khóa \
đào tạo về chẩn đoán hình ảnh có hỗ trợ trí tuệ nhân tạo do chuyên gia Hàn Quốc giảng dạy.
Khóa học được tổ chức tại Thành phố Hồ Chí Minh từ ngày 10 tháng 7 năm 2025. Danh sách học viên \
gửi về Phòng Kế hoạch - Tài chính trước ngày 30 tháng 6 năm 2025 để tổng hợp.
Sở Y tế đề nghị Bệnh viện quan tâm, phối hợp thực hiện."""


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Phòng chống dich bệnh sốt xuất huyết trên địa bàn", "dịch"),
        ("Chương trình Đảo tạo bác sĩ nội trú tại Bệnh viện Bạch Mai", "Đào tạo"),
        ("Sở Y tế đề nghị tat cả các bệnh viện báo cáo", "tất cả"),
        ("THÀNH PHO HO CHÍ MINH", "THÀNH PHỐ HỒ CHÍ MINH"),
        ("đẩy mạnh chuyên đôi số toàn diện trên địa bàn Thành phó", "chuyển đổi số"),
        ("QUYET DINH", "QUYẾT ĐỊNH"),
    ],
)
def test_ocr_accent_slips_are_corrected_from_their_context(read: str, meant: str) -> None:
    corrected = correct_ocr(read, {})
    assert meant in corrected, corrected
    assert strip_marks(corrected) == strip_marks(read) and len(corrected) == len(read)


def test_words_that_are_not_vietnamese_syllables_are_copied_through() -> None:
    read = (
        "Bệnh viện hợp tác với Seoul National University Hospital, KOICA và Hospices Civils de "
        "Lyon theo Kế hoạch số 137/KH-UBND ngày 15/5/2025 về AI, robot và telemedicine."
    )
    assert correct_ocr(read, {}) == read


def test_a_word_tesseract_is_sure_of_stays_as_read_where_another_form_is_merely_likelier() -> None:
    read = "Bộ Y tế giao Bệnh viện Bạch Mai chủ trì"
    sure = {
        word: 0.96
        for word in ("bộ", "y", "tế", "giao", "bệnh", "viện", "bạch", "mai", "chủ", "trì")
    }
    assert correct_ocr(read, sure) == read


def test_confidence_is_looked_up_by_the_word_whatever_its_case_punctuation_or_tone_placement() -> (
    None
):
    table = confidence_table([("Hoà,", 0.9), ("hòa", 0.7), ("(2025)", 0.4), ("THỦ", 0.8)])
    assert table == {"hòa": 0.7, "thủ": 0.8}
    assert correct_ocr_many(["cong nghe", "y te"], [{}, {}]) == ["công nghệ", "y tế"]


def test_a_photographed_letter_is_stored_as_read_and_found_with_its_accents_corrected(
    tmp_path: Path, model_dir: Path, embedder: Embedder
) -> None:
    from search.engine import SearchEngine

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(PHOTO, inbox / PHOTO.name)
    news = Path(__file__).resolve().parents[2] / "corpus" / "news-hanoi-kh137-2025-05-17.txt"
    shutil.copy(news, inbox / news.name)
    settings = Settings(data_dir=tmp_path / "data", model=str(model_dir))
    catalog = Catalog(settings.catalog_location)
    report = ingest_paths(catalog, settings, [inbox])
    assert [f.status for f in report.files] == ["ingested", "ingested"], report.files
    letter = next(f.document_id for f in report.files if f.path.endswith(".jpg"))
    assert letter is not None

    # The page keeps what OCR read, accent slips and all: that is the original users can check.
    page = catalog.pages(letter)[0].text
    for slip in ("chấn đoán", "giảng day", "Tai chính", "tổng hop"):
        assert slip in page, page
    # The passage is stored with the accents corrected where the raw OCR had them wrong.
    chunks = catalog.chunks(letter)
    restored = " ".join(c.text_restored or c.text for c in chunks)
    for right in ("chẩn đoán hình ảnh", "giảng dạy", "Tài chính", "tổng hợp", "công nghệ"):
        assert right in restored, restored
    assert all(c.text_restored for c in chunks)
    assert "137/KH-UBND" in restored and "SYTHTQT" in restored  # codes stay as read
    # The title, read from the "V/v" line, is corrected too ("chuyến giao" as read).
    assert "chuyển giao kỹ thuật" in (catalog.get_document(letter).title or "")

    # An accented search finds the letter, shows the corrected text and keeps the original.
    engine = SearchEngine(settings, catalog, embedder=embedder)
    engine.sync()
    hit = engine.search("chẩn đoán hình ảnh giảng dạy", k=1).results[0]
    assert hit.document_id == letter
    assert hit.restored and hit.original_text and "chấn đoán" in hit.original_text
    assert "chẩn" in hit.snippet
    catalog.close()


def test_a_scanned_pdf_hands_the_words_ocr_read_and_their_confidence_to_the_corrector(
    tmp_path: Path,
) -> None:
    from ingest.readers import read

    scan = Path(__file__).resolve().parents[2] / "corpus" / "qd-2417-syt-2025-scan.pdf"
    document = read(scan, Settings(data_dir=tmp_path))
    assert sorted(document.ocr_words) == [p.number for p in document.pages if p.method == "ocr"]
    words = dict(document.ocr_words[1])
    assert "QUYẾT" in words and all(0.0 <= c <= 1.0 for c in words.values())


def make_letter_photo(path: Path = PHOTO) -> None:
    """Render ``LETTER`` as a phone photo of a printed page (how the test image was made)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    dpi, points = 100, 10
    pixels = int(points * dpi / 72)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", pixels)
    width, margin = int(6.5 * dpi), int(0.5 * dpi)
    lines = []
    for paragraph in LETTER.split("\n"):
        lines += textwrap.wrap(paragraph, width=int((width - 2 * margin) / (pixels * 0.5)))
    height = int(pixels * 1.45)
    image = Image.new("L", (width, margin * 2 + height * len(lines)), 250)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * height), line, font=font, fill=25)
    image = image.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=240)
    image = image.filter(ImageFilter.GaussianBlur(0.9))
    array = np.asarray(image, dtype=float) * np.linspace(1.0, 0.8, image.width)[None, :]
    array += np.random.default_rng(3).normal(0, 8, array.shape)
    buffer = io.BytesIO()
    Image.fromarray(array.clip(0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=70)
    path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    make_letter_photo()


def test_a_heading_ocr_read_without_marks_is_restored_from_its_letters() -> None:
    """Tesseract often drops every mark of a heading set in bold capitals, and is sure of each
    bare word; a whole line of them is no evidence, so it is read as stripped text is. Accented
    lines stay as written."""
    page = (
        "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQUYẾT ĐỊNH\n"
        "VE VIEC BAN HANH BIEU MAU BAO CAO THONG KE\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    )
    sure = confidence_table((word, 0.97) for word in page.split())  # Tesseract was sure of each
    corrected = correct_ocr(page, sure).split("\n")
    assert corrected[2] == "VỀ VIỆC BAN HÀNH BIỂU MẪU BÁO CÁO THỐNG KÊ"
    assert corrected[0] == "BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert corrected[3] == page.split("\n")[3]
