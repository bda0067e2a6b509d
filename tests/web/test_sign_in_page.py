"""A new user opens the app, is sent to the sign-in page (Vietnamese or English), signs in and lands
where they were going; an HTML original they open downloads instead of running in the app."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN = ("web-admin", "web-admin password")


@pytest.fixture
def fresh(browser, live_server):
    """A browser tab that has not signed in."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_a_new_user_signs_in_in_vietnamese_and_lands_on_the_search(fresh) -> None:
    fresh.goto("/#/?q=y%20t%E1%BA%BF")
    expect(fresh).to_have_url(re.compile(r"/sign-in\.html\?next="))
    expect(fresh.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    fresh.get_by_label("Tên đăng nhập").fill(ADMIN[0])
    fresh.get_by_label("Mật khẩu").fill("sai mật khẩu")
    fresh.get_by_role("button", name="Đăng nhập").click()
    expect(fresh.get_by_role("alert")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    fresh.get_by_label("Mật khẩu").fill(ADMIN[1])
    fresh.get_by_role("button", name="Đăng nhập").click()
    expect(fresh).to_have_url(re.compile(r"/#/\?q=y"))
    expect(fresh.get_by_role("searchbox")).to_have_value("y tế")
    expect(fresh.locator("#who")).to_contain_text("web-admin")
    fresh.get_by_role("button", name="Đăng xuất").click()
    expect(fresh).to_have_url(re.compile(r"/sign-in\.html$"))


def test_the_front_page_without_a_search_also_asks_to_sign_in(fresh) -> None:
    fresh.goto("/")
    expect(fresh).to_have_url(re.compile(r"/sign-in\.html\?next="))


def test_the_sign_in_page_speaks_english_too(fresh) -> None:
    fresh.goto("/sign-in.html")
    fresh.get_by_role("button", name="English").click()
    expect(fresh.get_by_role("heading", name="Sign in")).to_be_visible()
    fresh.get_by_label("User name").fill(ADMIN[0])
    fresh.get_by_label("Password").fill("wrong")
    fresh.get_by_role("button", name="Sign in").click()
    expect(fresh.get_by_role("alert")).to_have_text("Wrong user name or password.")


def test_an_uploaded_html_original_downloads_and_runs_no_script(page) -> None:
    html = (
        "<html><head><title>Thông báo tuyển sinh</title></head><body>"
        "<h1>Thông báo tuyển sinh điều dưỡng</h1><p>Hợp tác đào tạo điều dưỡng với Nhật Bản "
        "năm 2026 tại Bệnh viện Xanh Pôn.</p>"
        "<script>document.title = 'PWNED'; fetch('/api/documents', {method: 'DELETE'})</script>"
        "</body></html>"
    )
    page.goto("/")
    token = page.evaluate("document.cookie.match(/hoptac_csrf=([^;]*)/)[1]")
    uploaded = page.request.post(
        "/api/documents",
        multipart={
            "files": {"name": "tuyen-sinh.html", "mimeType": "text/html", "buffer": html.encode()},
            "wait": "true",
        },
        headers={"X-CSRF-Token": token},
    )
    assert uploaded.ok, uploaded.text()
    doc_id = uploaded.json()["files"][0]["document_id"]
    with page.expect_download() as download:
        page.evaluate(f"window.location.assign('/api/documents/{doc_id}/file')")
    assert download.value.suggested_filename == "tuyen-sinh.html"
    assert page.title() != "PWNED"


def test_a_librarian_marks_a_document_confidential_on_its_page(page) -> None:
    page.goto("/")
    token = page.evaluate("document.cookie.match(/hoptac_csrf=([^;]*)/)[1]")
    uploaded = page.request.post(
        "/api/documents",
        multipart={
            "files": {
                "name": "bien-ban-mat.txt",
                "mimeType": "text/plain",
                "buffer": "BIÊN BẢN họp về kế hoạch bảo vệ bí mật nhà nước năm 2026.".encode(),
            },
            "wait": "true",
        },
        headers={"X-CSRF-Token": token},
    )
    doc_id = uploaded.json()["files"][0]["document_id"]
    page.goto(f"/#/documents/{doc_id}")
    expect(page.locator('dd[data-field="classification"]')).to_have_text("Nội bộ")
    page.get_by_text("Hiệu đính thông tin (dành cho thủ thư)").click()
    page.get_by_label("Mức mật").select_option("confidential")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.locator(".save-status.saved")).to_contain_text("Đã lưu")
    page.reload()
    expect(page.locator('dd[data-field="classification"]')).to_have_text("Mật")


def test_an_admin_reads_the_audit_log_from_the_menu(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Nhật ký").click()
    expect(page.get_by_role("heading", name="Nhật ký truy cập và thay đổi")).to_be_visible()
    expect(page.locator("#audit-table tbody")).to_contain_text("sign-in")


def test_a_form_on_another_site_cannot_post_to_the_app(page, live_server) -> None:
    """A signed-in librarian visits a hostile page whose form posts to the app: refused."""
    page.goto("/")
    port = live_server.rsplit(":", 1)[1]
    hostile = (
        f'<form method="post" action="http://127.0.0.1:{port}/api/runs">'
        '<button id="go">win a prize</button></form>'
    )
    page.goto("data:text/html," + hostile)
    with page.expect_response(lambda r: r.url.endswith("/api/runs")) as answer:
        page.click("#go")
    assert answer.value.status == 403
