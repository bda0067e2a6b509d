"""Reading the files an archivist drops into hoptac: scans, photos, Word, web pages, old text files.

Real Tesseract, real PDFs and real images throughout; the slow OCR runs happen once per module.
"""

from __future__ import annotations

import struct
import unicodedata
import zlib
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfWriter
from rapidfuzz.distance import Levenshtein

from hoptac.errors import EmptyDocument, IngestError, UnsupportedFile
from hoptac.settings import Settings
from ingest.metadata import extract_metadata
from ingest.readers import read
from ingest.readers.garble import describe_signs, garble_score
from ingest.readers.ocr import OcrResult
from ingest.readers.pdf import choose_source, has_usable_text
from ingest.readers.quality import looks_like_word, text_quality
from ingest.readers.stamps import fill_blanks, has_blanks
from ingest.readers.text import decode, looks_like_cp1258
from scripts import make_samples as samples

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpus"

#: Measured CER on clean 300-dpi DejaVu renders of SCAN_TEXT: 0.4% and 0.0% (bound leaves room for
#: Tesseract version drift). The phone photo of the notice measured 0.0%.
CLEAN_RENDER_MAX_CER = 0.02
#: The committed 1-bit scan with dust specks measured 0.7% and 0.0% after despeckling (3.8% and
#: 2.4% without it).
DUSTY_SCAN_MAX_CER = 0.02
PHOTO_MAX_CER = 0.03

SCAN_TEXT = [
    (
        "SỞ Y TẾ HÀ NỘI\nQuyết định số 1052/QĐ-SYT về hợp tác quốc tế với Bệnh viện Đại học Quốc gia Seoul "
        "trong lĩnh vực chẩn đoán hình ảnh có hỗ trợ trí tuệ nhân tạo.\nĐiều 1. Phê duyệt kế hoạch đào tạo "
        "bác sĩ và kỹ thuật viên tại Bệnh viện Thanh Nhàn."
    ),
    (
        "Điều 2. Kinh phí từ nguồn viện trợ không hoàn lại của Hàn Quốc và ngân sách thành phố.\n"
        "Điều 3. Phòng Nghiệp vụ Y chủ trì, báo cáo kết quả trước ngày 15 tháng 12 hằng năm."
    ),
]


def cer(truth: str, found: str) -> float:
    """Character error rate after collapsing whitespace (line wrapping is not an OCR error)."""
    truth = " ".join(unicodedata.normalize("NFC", truth).split())
    found = " ".join(unicodedata.normalize("NFC", found).split())
    return Levenshtein.distance(truth, found) / len(truth)


def render(text: str, height_inches: float = 3.5) -> Image.Image:
    return samples.render_page(text, dpi=300, size_inches=(8.27, height_inches), margin_inches=0.6)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def scanned_decision(tmp_path_factory: pytest.TempPathFactory, settings: Settings):
    """A two-page decision scanned to an image-only PDF at 300 dpi, read once for several checks."""
    path = tmp_path_factory.mktemp("scan") / "quyet-dinh-1052.pdf"
    pages = [render(text) for text in SCAN_TEXT]
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=300.0)
    return read(path, settings)


# --- scans and photos --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_scanned_decision_is_read_by_ocr_with_few_character_errors(scanned_decision) -> None:
    assert scanned_decision.kind == "pdf"
    assert [page.number for page in scanned_decision.pages] == [1, 2]
    assert [page.method for page in scanned_decision.pages] == ["ocr", "ocr"]
    for page, truth in zip(scanned_decision.pages, SCAN_TEXT):
        assert cer(truth, page.text) <= CLEAN_RENDER_MAX_CER, page.text
        assert page.ocr_confidence is not None and 0.8 <= page.ocr_confidence <= 1.0
    assert "1052/QĐ-SYT" in scanned_decision.text


@pytest.mark.slow
def test_the_dusty_sample_scan_in_the_corpus_reads_cleanly_after_despeckling(
    settings: Settings,
) -> None:
    document = read(CORPUS / "qd-2417-syt-2025-scan.pdf", settings)
    truth = (DATA / "qd-2417-syt-2025-scan.truth.txt").read_text(encoding="utf-8").split("\f")
    assert [page.method for page in document.pages] == ["ocr", "ocr"]
    for page, page_truth in zip(document.pages, truth, strict=True):
        assert cer(page_truth, page.text) <= DUSTY_SCAN_MAX_CER, page.text
    assert document.title == "Quyết định 2417/QĐ-SYT (bản quét)" and document.date == "2025-06-12"


@pytest.mark.slow
def test_a_phone_photo_of_a_notice_is_straightened_and_read(settings: Settings) -> None:
    document = read(CORPUS / "thong-bao-kham-sang-loc-photo.jpg", settings)
    truth = (DATA / "thong-bao-kham-sang-loc-photo.truth.txt").read_text(encoding="utf-8")
    assert document.kind == "image"
    assert len(document.pages) == 1 and document.pages[0].method == "ocr"
    assert cer(truth, document.pages[0].text) <= PHOTO_MAX_CER, document.pages[0].text


@pytest.mark.slow
def test_a_page_scanned_sideways_is_turned_upright(tmp_path: Path, settings: Settings) -> None:
    text = (
        "Hợp tác quốc tế trong lĩnh vực y tế giữa Hà Nội và Hàn Quốc.\n"
        "Chuyển giao kỹ thuật chẩn đoán hình ảnh và đào tạo bác sĩ.\n"
        "Hội chẩn từ xa với chuyên gia nước ngoài mỗi tháng một lần."
    )
    path = tmp_path / "sideways.png"
    render(text, height_inches=1.6).rotate(90, expand=True).save(path)
    document = read(path, settings)
    assert cer(text, document.text) <= CLEAN_RENDER_MAX_CER, document.text
    assert any("turned" in warning for warning in document.warnings)


@pytest.mark.slow
def test_a_page_whose_text_layer_is_legacy_font_junk_is_ocred_and_its_neighbour_is_not(
    tmp_path: Path, settings: Settings
) -> None:
    """Old Vietnamese PDFs typed in TCVN3 fonts look right but extract as "Hîp t¸c quèc tÕ"."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    visible = "Hợp tác quốc tế về y tế giữa Hà Nội và Cộng hòa Pháp.\nĐào tạo bác sĩ ghép tạng."
    scan = tmp_path / "scan.png"
    render(visible, height_inches=1.2).save(scan)
    path = tmp_path / "mixed.pdf"
    canvas = Canvas(str(path), pagesize=(595, 200))
    canvas.drawString(40, 150, "Memorandum of understanding between Hanoi and Lyon hospitals.")
    canvas.showPage()
    canvas.drawImage(ImageReader(str(scan)), 0, 0, width=595, height=86)
    junk = canvas.beginText(40, 40)
    junk.setTextRenderMode(3)  # invisible, as OCR layers and some legacy exports are
    junk.textLine("Hîp t¸c quèc tÕ vÒ y tÕ gi÷a Hµ Néi vµ Céng hßa Ph¸p. §µo t¹o b¸c sÜ ghÐp t¹ng.")
    canvas.drawText(junk)
    canvas.showPage()
    canvas.save()

    document = read(path, settings)
    assert [page.method for page in document.pages] == ["text", "ocr"]
    assert "Memorandum of understanding" in document.pages[0].text
    assert cer(visible, document.pages[1].text) <= CLEAN_RENDER_MAX_CER, document.pages[1].text


@pytest.mark.slow
def test_a_garbled_ocr_layer_over_a_clean_scan_is_read_again_from_the_image(
    tmp_path: Path, settings: Settings
) -> None:
    """Someone else's OCR layer reads as words often enough to pass for text; the image is clean."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    visible = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBẢO HIỂM XÃ HỘI VIỆT NAM\n"
        "Định dạng dữ liệu đầu ra của hồ sơ bệnh án điện tử."
    )
    scan = tmp_path / "scan.png"
    render(visible, height_inches=1.4).save(scan)
    path = tmp_path / "garbled.pdf"
    canvas = Canvas(str(path), pagesize=(595, 200))
    canvas.drawImage(ImageReader(str(scan)), 0, 0, width=595, height=100)
    layer = canvas.beginText(40, 40)
    layer.setTextRenderMode(3)  # invisible, as OCR layers are
    for line in (
        "CQNG HOA xX HQI CHiTNGHiA VI:¢TNAM",
        "B  O HI  M XÃ H  I VI  T NAM",
        "djnh dang dfr li~u dAu ra cua ho so benh an dien tu.",
    ):
        layer.textLine(line)
    canvas.drawText(layer)
    canvas.showPage()
    canvas.save()

    document = read(path, settings)
    page = document.pages[0]
    assert page.method == "ocr"
    assert cer(visible, page.text) <= CLEAN_RENDER_MAX_CER, page.text
    assert any("looks garbled" in warning and "OCR" in warning for warning in document.warnings)
    # the page itself says which reading won and why, with both readings' scores
    assert page.text_layer_garbled is not None and page.text_layer_garbled >= 0.3
    assert page.ocr_garbled is not None and page.ocr_garbled < page.text_layer_garbled / 2
    assert page.source_reason is not None
    assert page.source_reason.startswith("text layer looks garbled (")
    assert "capitals or symbols inside words" in page.source_reason
    assert "OCR of the page image kept" in page.source_reason


def _scan_with_layer(path: Path, layer_lines: list[str]) -> None:
    """A one-page PDF: a 300-dpi scan of the sample decision's first page, and over it an
    invisible text layer holding ``layer_lines``."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("DejaVu", samples.FONT))
    scan = path.with_suffix(".png")
    samples.render_page(samples.SCAN_PAGES[0]).save(scan)
    canvas = Canvas(str(path), pagesize=samples.A4_POINTS)
    canvas.drawImage(ImageReader(str(scan)), 0, 0, *samples.A4_POINTS)
    layer = canvas.beginText(65, 780)
    layer.setFont("DejaVu", 12)
    layer.setTextRenderMode(3)  # invisible, as OCR layers are
    for line in layer_lines:
        layer.textLine(line)
    canvas.drawText(layer)
    canvas.showPage()
    canvas.save()


@pytest.mark.slow
def test_a_text_layer_of_one_line_over_a_page_full_of_print_is_read_again_from_the_image(
    tmp_path: Path, settings: Settings
) -> None:
    """Another program put only the header's first line into the layer; the scan shows a whole
    decision. The layer reads as clean words, so only the page's ink gives it away."""
    path = tmp_path / "short-layer.pdf"
    _scan_with_layer(path, ["SỞ Y TẾ HÀ NỘI"])

    document = read(path, settings)
    page = document.pages[0]
    assert page.method == "ocr"
    assert "Bệnh viện Thanh Nhàn" in page.text and "KOICA" in page.text
    assert page.source_reason is not None
    assert page.source_reason.startswith(
        "text layer far shorter than the page's ink (10 characters"
    )
    assert "OCR of the page image kept" in page.source_reason
    assert any("far shorter than the page's ink" in warning for warning in document.warnings)


@pytest.mark.slow
def test_a_photograph_with_its_caption_keeps_the_caption_from_the_layer(
    tmp_path: Path, settings: Settings
) -> None:
    """A report page: a photograph, much ink and no print, over one caption line. The ink sends the
    page to OCR, which finds no more words than the layer, so the layer is kept."""
    import numpy as np
    from PIL import ImageDraw, ImageFilter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    rng = np.random.default_rng(1)
    noise = Image.fromarray((rng.random((600, 800)) * 255).astype(np.uint8))
    photo = Image.eval(noise.filter(ImageFilter.GaussianBlur(6)), lambda v: (v - 128) * 6 + 128)
    draw = ImageDraw.Draw(photo)
    for _ in range(15):
        x, y, w, h = (int(n) for n in rng.integers((0, 0, 20, 20), (700, 500, 120, 120)))
        draw.ellipse((x, y, x + w, y + h), fill=int(rng.integers(0, 255)))
    photo.save(tmp_path / "photo.png")
    caption = "Ảnh: Đoàn chuyên gia Bệnh viện Đại học Quốc gia Seoul tại Bệnh viện Thanh Nhàn."
    pdfmetrics.registerFont(TTFont("DejaVu", samples.FONT))
    path = tmp_path / "report-photo.pdf"
    canvas = Canvas(str(path), pagesize=samples.A4_POINTS)
    canvas.drawImage(ImageReader(str(tmp_path / "photo.png")), 60, 250, 475, 500)
    canvas.setFont("DejaVu", 11)
    canvas.drawString(60, 220, caption)
    canvas.showPage()
    canvas.save()

    page = read(path, settings).pages[0]
    assert page.method == "text" and page.text.strip() == caption
    assert (page.source_reason or "").startswith("text layer far shorter than the page's ink")
    assert "the layer kept" in (page.source_reason or "")


def test_a_full_ocr_layer_over_a_scan_is_trusted_without_reading_the_image(
    tmp_path: Path, settings: Settings
) -> None:
    """The same scan with all its lines in the layer: as many characters as the ink shows."""
    path = tmp_path / "full-layer.pdf"
    lines = [
        line[start : start + 90]
        for line in samples.SCAN_PAGES[0].splitlines()
        for start in range(0, len(line), 90)
    ]
    _scan_with_layer(path, lines)

    page = read(path, settings).pages[0]
    assert page.method == "text"
    assert (page.source_reason or "").startswith("text layer reads as words")


def test_garbled_ocr_scores_high_and_real_text_low() -> None:
    real = "Hợp tác quốc tế về chuyển giao công nghệ trong lĩnh vực y tế, giai đoạn 2025-2030 (AI)."
    assert garble_score(real) == 0.0
    assert garble_score("CQNG HOA xX HQI CHiTNGHiA VI:¢TNAM") > 0.25  # capitals, symbols in words
    assert garble_score("B  O HI  M XÃ H  I VI  T NAM") > 0.25  # words with holes
    assert garble_score("djnh dang dfr li~u dẢu ra") > 0.25  # no Vietnamese syllable is "dẢu"
    assert garble_score("a) Tham mưu; b) Thực hiện; c) Báo cáo.") == 0.0  # list markers are fine


def test_the_closing_page_of_a_decision_keeps_its_text_layer(
    tmp_path: Path, settings: Settings
) -> None:
    """The last page of most documents is the "Nơi nhận" list: a few words, a dash before each
    line. The dashes are typesetting, not garbled OCR: the page is neither OCR'd nor warned about."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    closing = ["Nơi nhận:", "– Như Điều 3;", "– Trung tâm thông tin;", "– Lưu: VT.", "........"]
    pdfmetrics.registerFont(TTFont("DejaVu", samples.FONT))
    path = tmp_path / "closing-page.pdf"
    canvas = Canvas(str(path), pagesize=samples.A4_POINTS)
    text = canvas.beginText(65, 780)
    text.setFont("DejaVu", 12)
    for line in closing:
        text.textLine(line)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()

    document = read(path, settings)
    page = document.pages[0]
    assert page.method == "text"
    assert (page.source_reason or "").startswith("text layer reads as words (0% garbled")
    assert not document.warnings
    assert garble_score("- Như trên;\n- UBND TP (để b/c);\n- Lưu: VT.") == 0.0


def test_the_signs_of_garbling_are_named_with_their_shares() -> None:
    """What the document page shows of a garbled layer: which signs, how much of the page."""
    assert describe_signs("kà lập dữ liệu ngé CHiTNGHiA") == (
        "impossible syllables 33%, capitals or symbols inside words 17%"
    )
    assert describe_signs("B  O HI  M") == "words with holes 50%"
    assert describe_signs("Hợp tác quốc tế") == "no sign of garbling"


def test_a_page_without_a_text_layer_says_ocr_read_it_and_a_clean_layer_says_it_was_trusted() -> (
    None
):
    scanned = choose_source(1, "", OcrResult("Kế hoạch hợp tác quốc tế", 0.9), unusable=True)
    assert (scanned.method, scanned.text_layer_garbled, scanned.ocr_garbled) == ("ocr", None, 0.0)
    assert scanned.source_reason == "no text layer; OCR of the page image (0% garbled)"
    born_digital = choose_source(2, "Kế hoạch hợp tác quốc tế", None, unusable=False)
    assert (born_digital.method, born_digital.ocr_garbled) == ("text", None)
    assert born_digital.source_reason == "text layer reads as words (0% garbled)"
    blank = choose_source(3, "", OcrResult("", None), unusable=True)
    assert blank.source_reason == "blank: no text layer and no text in the page image"


def test_a_garbled_layer_is_kept_when_the_ocr_reads_no_better() -> None:
    layer = "djnh dang dfr li~u dAu ra cua ho so"
    kept = choose_source(1, layer, OcrResult("djnh d~ng dfr li~u dAu r@ c|a", 0.3), unusable=False)
    assert kept.method == "text" and kept.text == layer
    assert kept.source_reason is not None and "the layer kept" in kept.source_reason
    assert kept.ocr_garbled is not None and kept.text_layer_garbled is not None
    assert kept.ocr_garbled >= kept.text_layer_garbled


@pytest.mark.slow
def test_a_number_and_date_stamped_by_signing_software_are_read_from_the_page(
    tmp_path: Path, settings: Settings
) -> None:
    """Signing software stamps "2093" and "24 tháng 6" as widgets over blanks in the text layer."""
    from reportlab.lib.colors import black, transparent
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("DejaVu", samples.FONT))
    path = tmp_path / "signed.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setFont("DejaVu", 12)
    lines = [
        (60, 790, "BỘ Y TẾ"),
        (60, 765, "Số:            /QĐ-BYT"),
        (300, 790, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (320, 772, "Độc lập - Tự do - Hạnh phúc"),
        (300, 745, "Hà Nội, ngày          tháng         năm 2025"),
        (250, 700, "QUYẾT ĐỊNH"),
        (60, 650, "Căn cứ Nghị định số 148/2025/NĐ-CP ngày 12/6/2025 của Chính phủ;"),
    ]
    for x, y, text in lines:
        canvas.drawString(x, y, text)

    def width(text: str) -> float:
        return pdfmetrics.stringWidth(text, "DejaVu", 12)

    for name, value, x, y in (
        ("number", "2093", 60 + width("Số:  "), 762),
        ("day", "24", 300 + width("Hà Nội, ngày  "), 742),
        ("month", "6", 300 + width("Hà Nội, ngày          tháng  "), 742),
    ):
        canvas.acroForm.textfield(
            name=name, value=value, x=x, y=y, width=width(" " * 8), height=15, borderWidth=0,
            fillColor=transparent, borderColor=transparent, textColor=black, fontSize=12,
        )  # fmt: skip
    canvas.showPage()
    canvas.save()

    document = read(path, settings)
    text = document.pages[0].text
    assert "Số:            2093/QĐ-BYT" in text
    assert "Hà Nội, ngày 24 tháng 6 năm 2025" in text
    assert "148/2025/NĐ-CP ngày 12/6/2025" in text  # the body is left as it was
    assert document.pages[0].method == "text"
    assert any("signing software" in warning for warning in document.warnings)
    reason = document.pages[0].source_reason or ""
    assert reason.startswith("text layer reads as words")
    assert reason.endswith(
        "number and date stamped by the signing software, read from the page image"
    )


def test_a_stamp_that_ocr_cannot_read_leaves_the_blank_as_it_was() -> None:
    layer = "Số:     /QĐ-UBND\nHà Nội, ngày      tháng     năm 2025\n"
    assert has_blanks(layer)
    filled, fields = fill_blanks(layer, "Số: M' /QĐ-UBND Hà Nội, ngày 70 tháng 6 năm 2025")
    assert (filled, fields) == (layer, [])
    filled, fields = fill_blanks(layer, "Số: 2858 /QD-UBND Ha Nội, ngày /0 tháng 6 năm 2025")
    assert fields == ["number", "date"]  # "/0" is how OCR reads a stamped "10"
    assert filled == "Số:     2858/QĐ-UBND\nHà Nội, ngày 10 tháng 6 năm 2025\n"


@pytest.mark.slow
def test_each_frame_of_a_multipage_tiff_is_a_page(tmp_path: Path, settings: Settings) -> None:
    frames = [
        render("Trang một: Bệnh viện Bạch Mai", 0.8),
        render("Trang hai: Bệnh viện Việt Đức", 0.8),
    ]
    path = tmp_path / "fax.tiff"
    frames[0].save(
        path, save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(300, 300)
    )
    document = read(path, settings)
    assert [page.number for page in document.pages] == [1, 2]
    assert "Bạch Mai" in document.pages[0].text and "Việt Đức" in document.pages[1].text


@pytest.mark.slow
def test_a_fax_is_read_up_to_the_page_limit_and_its_blank_frames_cost_no_ocr(
    tmp_path: Path,
) -> None:
    blank = Image.new("L", render("x", 0.8).size, 255)
    frames = [render("Trang một: Bệnh viện Bạch Mai", 0.8), blank, blank, render("Trang bốn", 0.8)]
    path = tmp_path / "fax.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    settings = Settings(data_dir=tmp_path / "data", max_pages_per_file=3)
    document = read(path, settings)
    assert [(page.number, bool(page.text)) for page in document.pages] == [
        (1, True),
        (2, False),
        (3, False),
    ]
    assert document.limits_hit == ["max_pages_per_file"]


@pytest.mark.slow
def test_ocr_stops_at_the_files_time_budget_and_says_which_pages_it_left(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pages = [render(text) for text in SCAN_TEXT]
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=300.0)
    settings = Settings(data_dir=tmp_path / "data", max_ocr_seconds_per_file=0.001)
    document = read(path, settings)
    assert "Quyết định" in document.pages[0].text and document.pages[1].text == ""
    assert document.limits_hit == ["max_ocr_seconds_per_file"]
    assert any("page 2 not OCR'd" in warning for warning in document.warnings)


@pytest.mark.slow
def test_a_blank_scan_is_refused_as_empty(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (600, 400), 255).save(path)
    with pytest.raises(EmptyDocument, match="blank.png"):
        read(path, settings)


# --- documents with a text layer ---------------------------------------------------------------


def test_a_partner_paper_with_a_text_layer_is_read_without_ocr(settings: Settings) -> None:
    document = read(CORPUS / "paper-amr-surveillance-hanoi.pdf", settings)
    assert [page.method for page in document.pages] == ["text", "text"]
    assert all(page.ocr_confidence is None for page in document.pages)
    assert "Klebsiella pneumoniae" in document.pages[0].text
    assert "antimicrobial stewardship" in document.pages[1].text
    assert document.title and document.title.startswith(
        "Antimicrobial resistance in bloodstream infections"
    )
    assert document.date == "2025-09-10"


def test_a_cooperation_agreement_in_word_keeps_its_headings_tables_and_page_breaks(
    tmp_path: Path, settings: Settings
) -> None:
    agreement = docx.Document()
    agreement.core_properties.title = "Thỏa thuận hợp tác Bạch Mai - Lyon"
    agreement.add_heading("THỎA THUẬN HỢP TÁC", level=0)
    agreement.add_heading("Điều 1. Mục tiêu", level=1)
    agreement.add_paragraph("Nâng cao năng lực ghép gan tại Hà Nội.")
    agreement.add_heading("Chi tiết", level=2)
    table = agreement.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Năm", "Bác sĩ"
    table.cell(1, 0).text, table.cell(1, 1).text = "2025", "6"
    agreement.add_page_break()
    agreement.add_heading("Điều 2. Hiệu lực", level=1)
    path = tmp_path / "thoa-thuan.docx"
    agreement.save(str(path))

    document = read(path, settings)
    assert document.kind == "docx" and document.title == "Thỏa thuận hợp tác Bạch Mai - Lyon"
    assert [page.number for page in document.pages] == [1, 2]
    first = document.pages[0].text.splitlines()
    assert (
        "# THỎA THUẬN HỢP TÁC" in first and "# Điều 1. Mục tiêu" in first and "## Chi tiết" in first
    )
    assert first.index("# Điều 1. Mục tiêu") < first.index("Nâng cao năng lực ghép gan tại Hà Nội.")
    assert "Năm | Bác sĩ" in first and "2025 | 6" in first
    assert document.pages[1].text.strip() == "# Điều 2. Hiệu lực"


def test_a_saved_news_page_loses_its_menus_and_footer(settings: Settings) -> None:
    document = read(CORPUS / "news-hanoi-phap-sot-xuat-huyet-2025-04-08.html", settings)
    text = document.text
    assert document.kind == "html" and document.date == "2025-04-08"
    assert "Hà Nội và Pháp hợp tác" in (document.title or "")
    assert "Viện Pasteur Paris" in text and "sốt xuất huyết" in text
    assert "## Giám sát véc tơ và xét nghiệm" in text.splitlines()
    for boilerplate in ("Đăng nhập", "Giá vàng", "Giấy phép số", "Chia sẻ"):
        assert boilerplate not in text


#: A decision as a legal-database page publishes it: the official header is a two-cell table in
#: bold and italics, the type and summary centred paragraphs under it.
DECISION_PAGE = """<html><head><title>Quyết định 99/QĐ-UBND 2024 hợp tác y tế</title></head><body>
<div class="menu"><a href="/">Trang chủ</a> | <a href="/vb">Văn bản</a> | Đăng nhập</div>
<div class="content"><table><tbody><tr>
<td><p align="center"><b>ỦY BAN NHÂN DÂN<br/>THÀNH PHỐ HÀ NỘI</b><br/><b>-------</b></p>
<p align="center">Số: 99/QĐ-UBND</p></td>
<td><p align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br/>Độc lập - Tự do - Hạnh phúc</b></p>
<p align="right"><i>Hà Nội, ngày 13 tháng 12 năm 2024</i></p></td>
</tr></tbody></table>
<p align="center"><b>QUYẾT ĐỊNH</b></p>
<p align="center"><b>PHÊ DUYỆT KẾ HOẠCH HỢP TÁC QUỐC TẾ TRONG LĨNH VỰC Y TẾ NĂM 2025</b></p>
<p>Căn cứ Kế hoạch số 137/KH-UBND ngày 15/5/2025 của UBND Thành phố về hợp tác quốc tế trong
chuyển giao công nghệ y tế, xét đề nghị của Giám đốc Sở Y tế, Ủy ban nhân dân Thành phố quyết
định phê duyệt kế hoạch hợp tác với các đối tác nước ngoài về ghép tạng và y học hạt nhân.</p>
</div></body></html>"""


def test_a_decision_saved_from_a_legal_database_page_is_filed_by_its_header(
    tmp_path: Path, settings: Settings
) -> None:
    """The page's bold and italic marks do not stick to the words: the issuer, the place and the
    title read as printed, with the header's cells on one table row."""
    path = tmp_path / "qd-99.html"
    path.write_text(DECISION_PAGE, encoding="utf-8")
    document = read(path, settings)
    assert "**" not in document.text and "Đăng nhập" not in document.text
    meta = extract_metadata(document.text)
    assert (meta.number, meta.doc_type, meta.issuer, meta.place, meta.issue_date) == (
        "99/QĐ-UBND",
        "Quyết định",
        "UBND thành phố Hà Nội",
        "Hà Nội",
        "2024-12-13",
    )
    assert meta.title == "PHÊ DUYỆT KẾ HOẠCH HỢP TÁC QUỐC TẾ TRONG LĨNH VỰC Y TẾ NĂM 2025"


# --- plain text in old encodings ---------------------------------------------------------------

VIETNAMESE = (
    "Kế hoạch hợp tác quốc tế về chuyển giao kỹ thuật y tế của thành phố Hà Nội đến năm 2030."
)
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed (ê, ơ), tone marks as separate codes."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in parts if mark in TONE_MARKS)
        base = unicodedata.normalize(
            "NFC", "".join(mark for mark in parts if mark not in TONE_MARKS)
        )
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "encoded",
    [
        VIETNAMESE.encode("utf-8"),
        VIETNAMESE.encode("utf-8-sig"),
        VIETNAMESE.encode("utf-16"),  # with BOM, as Windows Notepad saves "Unicode"
        VIETNAMESE.encode("utf-16-le"),  # no BOM, as some exporters write it
        to_cp1258(VIETNAMESE),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-no-bom", "cp1258"],
)
def test_old_vietnamese_text_files_decode_to_the_same_words(
    encoded: bytes, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(encoded)
    document = read(path, settings)
    assert unicodedata.normalize("NFC", document.text) == VIETNAMESE


def test_cp1258_is_not_mistaken_for_western_european_text() -> None:
    raw = to_cp1258(VIETNAMESE)
    assert looks_like_cp1258(raw)
    assert decode(raw).encoding == "cp1258"
    assert not looks_like_cp1258("Coopération médicale avec l'hôpital Saint-Paul".encode("cp1252"))


def test_one_stray_windows_byte_in_vietnamese_utf8_is_a_warning_not_a_new_encoding(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "bien-ban.txt"
    path.write_bytes("Sở Y tế Hà Nội".encode() + b" \x92 " + VIETNAMESE.encode())
    document = read(path, settings)
    assert document.text == f"Sở Y tế Hà Nội \ufffd {VIETNAMESE}"
    assert document.warnings == [
        "1 byte not valid utf-8 replaced by U+FFFD; the rest decoded as utf-8"
    ]


def test_a_cp1258_file_with_one_accidental_utf8_letter_stays_cp1258() -> None:
    raw = to_cp1258(VIETNAMESE) + " é".encode()
    assert decode(raw).encoding == "cp1258"


def test_form_feeds_separate_pages_of_a_text_file(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "pdftotext.txt"
    path.write_text("Trang một\fTrang hai\fTrang ba\f", encoding="utf-8")
    document = read(path, settings)
    assert [(page.number, page.text) for page in document.pages] == [
        (1, "Trang một"),
        (2, "Trang hai"),
        (3, "Trang ba"),
    ]


def test_a_markdown_note_is_titled_by_its_heading_however_short(
    tmp_path: Path, settings: Settings
) -> None:
    """A librarian's Markdown note opens with "# Biên bản làm việc" and then a list: the list's
    first item is no title."""
    path = tmp_path / "bien-ban.md"
    path.write_text(
        "# Biên bản làm việc\n\n- Đoàn Bệnh viện Đại học Quốc gia Seoul làm việc với Sở Y tế Hà Nội "
        "về chuyển giao kỹ thuật chẩn đoán hình ảnh.\n",
        encoding="utf-8",
    )
    document = read(path, settings)
    assert document.title == "Biên bản làm việc"
    meta = extract_metadata(document.pages[0].text, title_hint=document.title)
    assert meta.title == "Biên bản làm việc"
    plain = tmp_path / "ghi-chu.txt"
    plain.write_text("Ghi chú\nHợp tác với Seoul.\n", encoding="utf-8")
    assert read(plain, settings).title is None  # only a Markdown heading says "title"


# --- deciding whether a text layer is worth keeping --------------------------------------------


def test_a_real_text_layer_scores_high_and_legacy_font_junk_scores_low() -> None:
    assert text_quality("Hợp tác quốc tế trong lĩnh vực y tế, Quyết định số 137/QĐ-SYT") == 1.0
    assert text_quality("AI-assisted diagnostic imaging; l'hôpital coopère") == 1.0
    assert text_quality("Hîp t¸c quèc tÕ vÒ y tÕ") < 0.6  # TCVN3 font read as Unicode
    assert text_quality("(cid:12)(cid:13) (cid:14) \ufffd\ufffd") == 0.0
    assert text_quality("") == 0.0
    assert (
        not looks_like_word("tHiS") and not looks_like_word("xkcdqrtz") and looks_like_word("UBND")
    )
    assert has_usable_text("Bệnh viện Thanh Nhàn thông báo hội chẩn")
    assert not has_usable_text("3") and not has_usable_text("Hîp t¸c quèc tÕ vÒ y tÕ ¸ ¸")


# --- files that must be refused, with the file named and the reason given ----------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes that declare a gigantic grayscale image: the classic decompression bomb."""
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return (
        b"\x89PNG\r\n\x1a\n"
        + header
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + _png_chunk(b"IEND", b"")
    )


def test_a_corrupt_pdf_is_refused_clearly(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage")
    with pytest.raises(IngestError, match=r"hong\.pdf: .*damaged"):
        read(path, settings)


def test_an_empty_file_is_refused_as_empty(tmp_path: Path, settings: Settings) -> None:
    for name in ("rong.txt", "rong.docx", "rong.pdf"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(EmptyDocument, match=rf"{name}: .*empty"):
            read(tmp_path / name, settings)


def test_a_whitespace_only_text_file_is_refused_as_empty(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "spaces.txt"
    path.write_text("  \n\t\n", encoding="utf-8")
    with pytest.raises(EmptyDocument, match="spaces.txt"):
        read(path, settings)


def test_a_png_renamed_pdf_is_reported_as_a_png(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "scan.pdf"
    Image.new("L", (50, 50), 255).save(path, format="PNG")
    with pytest.raises(
        UnsupportedFile, match=r"scan\.pdf: the name ends in \.pdf but the content is PNG image"
    ):
        read(path, settings)


def test_a_damaged_docx_is_refused_clearly(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "hong.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(IngestError, match=r"hong\.docx: .*damaged"):
        read(path, settings)


def test_a_legacy_word_file_is_refused_with_advice(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    with pytest.raises(UnsupportedFile, match=r"cu\.doc: .*legacy Microsoft Office.*\.docx"):
        read(path, settings)


def test_a_decompression_bomb_is_refused_before_decoding(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(tiny_png_claiming(100_000, 100_000))  # 10 gigapixels
    with pytest.raises(IngestError, match=r"bomb\.png: .*decompression bomb.*10000000000 pixels"):
        read(path, settings)


def test_the_image_size_limit_follows_settings(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "poster.png"
    Image.new("L", (2000, 1000), 255).save(path)
    strict = settings.model_copy(update={"max_image_pixels": 1_000_000})
    with pytest.raises(IngestError, match=r"poster\.png: .*over the limit of 1,000,000"):
        read(path, strict)


def test_a_password_protected_pdf_is_refused_but_an_empty_password_is_tried(
    tmp_path: Path, settings: Settings
) -> None:
    source = CORPUS / "paper-amr-surveillance-hanoi.pdf"
    locked, open_lock = tmp_path / "locked.pdf", tmp_path / "owner-only.pdf"
    for path, user_password in ((locked, "secret"), (open_lock, "")):
        writer = PdfWriter(clone_from=source)
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        writer.write(path)
    with pytest.raises(IngestError, match=r"locked\.pdf: .*password"):
        read(locked, settings)
    assert "Klebsiella" in read(open_lock, settings).text


def test_a_missing_file_is_named(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(IngestError, match=r"khong-co\.pdf: no such file"):
        read(tmp_path / "khong-co.pdf", settings)


@pytest.mark.slow
def test_scan_pages_read_side_by_side_come_out_as_read_one_by_one(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.readers.pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "OCR_WORKERS", 2)
    parallel = read(CORPUS / "qd-2417-syt-2025-scan.pdf", settings)
    monkeypatch.setattr(pdf_reader, "OCR_WORKERS", 1)
    sequential = read(CORPUS / "qd-2417-syt-2025-scan.pdf", settings)
    assert [p.text for p in parallel.pages] == [p.text for p in sequential.pages]
    assert [p.number for p in parallel.pages] == [1, 2]


def test_tesseract_runs_on_one_thread_without_capping_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    import pytesseract

    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    assert pytesseract.pytesseract.environ["OMP_THREAD_LIMIT"] == "1"
    assert "OMP_THREAD_LIMIT" not in os.environ
    monkeypatch.setenv("OMP_THREAD_LIMIT", "3")  # a user's own choice wins
    assert pytesseract.pytesseract.environ["OMP_THREAD_LIMIT"] == "3"
