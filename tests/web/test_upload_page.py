"""A librarian uploads files: each shows its own progress and outcome, good files become searchable,
broken ones say why, and a document can be deleted (after confirming) from its page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UNIQUE_TOPIC = "liệu pháp tế bào gốc cho bệnh nhân xơ gan"


def write_agreement(folder: Path) -> Path:
    path = folder / "bien-ban-te-bao-goc.txt"
    path.write_text(
        "BIÊN BẢN GHI NHỚ\n"
        f"Hợp tác giữa Bệnh viện Bạch Mai và Bệnh viện Đại học Kyoto về {UNIQUE_TOPIC}\n\n"
        "Hai bên thống nhất đào tạo 12 bác sĩ tại Kyoto và chuyển giao quy trình nuôi cấy tế bào "
        f"gốc trung mô trong giai đoạn 2026-2028. Nội dung chính: {UNIQUE_TOPIC}.\n",
        encoding="utf-8",
    )
    return path


def write_docx(folder: Path) -> Path:
    document = Document()
    document.add_heading("Thỏa thuận hợp tác đào tạo điều dưỡng với Phần Lan", level=1)
    document.add_paragraph(
        "Sở Y tế Hà Nội và Đại học Khoa học Ứng dụng Helsinki hợp tác đào tạo điều dưỡng lão khoa."
    )
    path = folder / "thoa-thuan-dieu-duong.docx"
    document.save(path)
    return path


def test_uploaded_text_becomes_searchable_then_deleted_after_confirming(page, tmp_path):
    agreement = write_agreement(tmp_path)
    page.goto("/#/upload")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tải tài liệu lên")
    page.locator("#file-input").set_input_files(str(agreement))

    row = page.locator(f'.upload-item[data-name="{agreement.name}"]')
    expect(row).to_have_attribute("data-state", "ingested", timeout=60_000)
    expect(row).to_contain_text("Đã thêm vào kho")
    expect(page.locator("#upload-summary")).to_contain_text("Xong 1/1 tệp, 0 lỗi")
    expect(page.locator(".runs table").first).to_contain_text(agreement.name)

    row.get_by_role("link", name=agreement.name).click()
    expect(page).to_have_url(re.compile(r"#/documents/\d+"))
    new_id = re.search(r"#/documents/(\d+)", page.url).group(1)

    page.goto("/#/?q=" + UNIQUE_TOPIC.replace(" ", "+"))
    expect(page.locator(f'.result-card[data-document-id="{new_id}"]').first).to_be_visible()

    page.goto(f"/#/documents/{new_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    messages: list[str] = []

    def confirm(dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    page.get_by_role("button", name="Xóa tài liệu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã xóa")
    assert messages and "Không thể hoàn tác" in messages[0]

    page.goto("/#/?q=" + UNIQUE_TOPIC.replace(" ", "+"))
    expect(page.locator(".result-card").first).to_be_visible()
    expect(page.locator(f'.result-card[data-document-id="{new_id}"]')).to_have_count(0)


def test_each_file_of_a_batch_gets_its_own_outcome_and_broken_ones_say_why(
    page, tmp_path, screenshots
):
    good = write_docx(tmp_path)
    broken = tmp_path / "ban-scan-hong.pdf"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    page.goto("/#/upload")
    page.locator("#file-input").set_input_files([str(good), str(broken)])

    good_row = page.locator(f'.upload-item[data-name="{good.name}"]')
    broken_row = page.locator(f'.upload-item[data-name="{broken.name}"]')
    expect(good_row).to_have_attribute(
        "data-state", re.compile("ingested|unchanged"), timeout=60_000
    )
    expect(broken_row).to_have_attribute("data-state", "failed", timeout=60_000)
    reason = broken_row.locator(".file-state").inner_text()
    assert reason.startswith("Lỗi: ") and len(reason) > len("Lỗi: ") + 5, reason
    expect(page.locator("#upload-summary")).to_contain_text("Xong 2/2 tệp, 1 lỗi")

    latest_runs = page.locator(".runs")
    expect(latest_runs).to_contain_text(broken.name)
    expect(latest_runs.locator("td.state-failed").first).to_contain_text("Lỗi")
    page.screenshot(path=str(screenshots / "upload-page.png"), full_page=True)


def test_files_dropped_on_the_page_are_ingested(page):
    page.goto("/#/upload")
    page.locator("#drop-zone").evaluate(
        """(zone) => {
            const data = new DataTransfer();
            data.items.add(new File(
                ["Hợp tác với Bệnh viện Charité (Đức) về ghép tủy cho trẻ em tại Hà Nội."],
                "ghep-tuy-charite.txt", { type: "text/plain" }));
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true }));
        }"""
    )
    row = page.locator('.upload-item[data-name="ghep-tuy-charite.txt"]')
    expect(row).to_have_attribute("data-state", "ingested", timeout=60_000)


def test_a_run_killed_mid_way_is_shown_interrupted(page, web_settings):
    from catalog import Catalog

    catalog = Catalog(web_settings.catalog_location)
    run = catalog.start_run()
    catalog.record_file(run, "quyet-dinh-dang-doc.pdf", "ingested", None, None, 1.0)
    catalog._conn.execute("UPDATE ingest_runs SET owner = 'killed' WHERE id = ?", (run,))
    assert catalog.mark_interrupted_runs() == [run]
    page.goto("/#/upload")
    latest = page.locator("details.run").first
    expect(latest).to_contain_text("quyet-dinh-dang-doc.pdf")
    expect(latest.locator(".badge")).to_contain_text("bị gián đoạn")
