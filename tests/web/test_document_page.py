"""A staff member reads a document: its details, sections, each page's text, the original and
similar documents; a librarian corrects its details and the correction stays."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_result_opens_the_plan_with_its_sections_text_and_original(
    page, document_id, folded, screenshots
):
    plan = document_id("kh-137-ubnd-2025-ocr.txt")
    page.goto("/#/?q=tri+tue+nhan+tao+trong+y+te")
    page.locator(f'.result-card[data-document-id="{plan}"] .card-title a').first.click()

    expect(page).to_have_url(re.compile(rf"#/documents/{plan}\b"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kế hoạch")
    found = page.get_by_role("region", name="Đoạn văn tìm thấy")
    expect(found.locator(".found-text")).not_to_be_empty()
    expect(page.locator('dd[data-field="number"]')).to_have_text("137/KH-UBND")
    expect(page.locator('dd[data-field="place"]')).to_have_text("Hà Nội")  # OCR read "Ha Ngi"
    expect(page.locator('dd[data-field="references"]')).to_contain_text("5369/QĐ-UBND, 43/KH-UBND")
    sections = page.get_by_role("navigation", name="Mục lục").get_by_role("link")
    expect(sections.first).to_be_visible()
    assert any("tri tue nhan tao" in folded(text) for text in sections.all_inner_texts())
    assert "ke hoach" in folded(page.locator("#page-1 .page-text").inner_text())
    expect(page.locator(".doc-similar .result-card").first).to_be_visible()

    original = page.get_by_role("link", name=re.compile("Mở bản gốc"))
    response = page.request.get(original.get_attribute("href"))
    assert response.ok
    assert "137" in response.text()
    page.screenshot(path=str(screenshots / "document-page.png"))

    page.get_by_role("link", name="← Quay lại tìm kiếm").click()
    expect(page.get_by_role("searchbox")).to_have_value("tri tue nhan tao trong y te")


def test_scanned_document_shows_its_ocr_text_and_confidence(page, scanned_document_id, screenshots):
    page.goto(f"/#/documents/{scanned_document_id}")
    first_page = page.locator("#page-1")
    expect(first_page).to_have_attribute("data-method", "ocr")
    expect(first_page.locator("h3")).to_contain_text(re.compile(r"độ tin cậy \d+%"))
    expect(first_page.locator(".page-text")).not_to_be_empty()
    source = first_page.locator(".page-source")
    expect(source).to_contain_text("Nguồn được chọn: Nhận dạng ký tự (OCR)")
    expect(source).to_contain_text("no text layer")
    page.screenshot(path=str(screenshots / "document-page-scan.png"), full_page=True)


def garbled_scan(folder: Path) -> Path:
    """A scan whose PDF carries someone else's bad OCR as its invisible text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "make_samples", root / "scripts" / "make_samples.py"
    )
    assert spec and spec.loader
    samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(samples)
    image = folder / "scan.png"
    samples.render_page(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBẢO HIỂM XÃ HỘI VIỆT NAM\n"
        "Định dạng dữ liệu đầu ra của hồ sơ bệnh án điện tử.",
        dpi=300,
        size_inches=(8.27, 1.4),
        margin_inches=0.6,
    ).save(image)
    path = folder / "bhxh-dinh-dang-du-lieu.pdf"
    canvas = Canvas(str(path), pagesize=(595, 200))
    canvas.drawImage(ImageReader(str(image)), 0, 0, width=595, height=100)
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
    return path


def test_a_page_whose_garbled_text_layer_lost_to_ocr_says_so_and_why(page, tmp_path, screenshots):
    scan = garbled_scan(tmp_path)
    page.goto("/#/upload")
    page.locator("#file-input").set_input_files(str(scan))
    row = page.locator(f'.upload-item[data-name="{scan.name}"]')
    expect(row).to_have_attribute("data-state", "ingested", timeout=120_000)
    row.get_by_role("link", name=scan.name).click()
    expect(page).to_have_url(re.compile(r"#/documents/\d+"))

    first_page = page.locator("#page-1")
    expect(first_page).to_have_attribute("data-method", "ocr")
    expect(first_page.locator(".page-text")).to_contain_text("BẢO HIỂM XÃ HỘI VIỆT NAM")
    source = first_page.locator(".page-source")
    expect(source).to_contain_text("Nguồn được chọn: Nhận dạng ký tự (OCR)")
    expect(source).to_contain_text(re.compile(r"lớp văn bản \d+% từ lỗi; OCR \d+% từ lỗi"))
    expect(source).to_contain_text("text layer looks garbled (capitals or symbols inside words")
    expect(source).to_contain_text("OCR of the page image kept")
    page.screenshot(path=str(screenshots / "document-page-garbled-layer.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa tài liệu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã xóa")


def test_librarian_correction_is_saved_and_survives_reload(page, document_id):
    article = document_id("news-hanoi-kh137-2025-05-17.txt")
    page.goto(f"/#/documents/{article}")
    page.get_by_text("Hiệu đính thông tin (dành cho thủ thư)").click()
    page.get_by_label("Quốc gia đối tác").fill("Pháp")
    page.get_by_label("Lĩnh vực công nghệ").fill("Trí tuệ nhân tạo trong chẩn đoán")
    page.get_by_label("Nơi ban hành").fill("Hà Nội")
    page.get_by_label("Ngày ban hành").fill("17/5/2025")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.locator(".save-status.failed")).to_contain_text("YYYY-MM-DD")
    expect(page.get_by_label("Ngày ban hành")).to_be_focused()

    page.get_by_label("Ngày ban hành").fill("2025-05-17")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.locator(".save-status.saved")).to_contain_text("Đã lưu")

    page.reload()
    expect(page.locator('dd[data-field="partner_country"]')).to_contain_text("Pháp")
    expect(page.locator('dd[data-field="partner_country"] .corrected-badge')).to_be_visible()
    expect(page.locator('dd[data-field="technology_area"]')).to_contain_text("Trí tuệ nhân tạo")
    expect(page.locator('dd[data-field="place"]')).to_contain_text("Hà Nội")
    expect(page.locator('dd[data-field="place"] .corrected-badge')).to_be_visible()
    expect(page.locator('dd[data-field="issue_date"]')).to_contain_text("17/05/2025")
    page.get_by_text("Hiệu đính thông tin (dành cho thủ thư)").click()
    expect(page.get_by_label("Quốc gia đối tác")).to_have_value("Pháp")
