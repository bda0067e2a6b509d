"""Cooperation staff at work in the browser: sorting and filtering the agreements table and taking
it to Excel, finding a plan's twin, narrowing a search to one partner country, and a librarian's
corrections (which a reader never sees)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READER = ("web-reader", "web-reader password")


def test_agreements_sort_by_a_column_filter_by_partner_and_download_as_excel(page, screenshots):
    page.goto("/#/agreements")
    table = page.locator("#agreements-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    page.get_by_role("link", name="Văn bản", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=kbDocument"))
    expect(table.locator('th[aria-sort="ascending"]')).to_contain_text("Văn bản")
    ascending = table.locator("tbody th").all_inner_texts()
    assert ascending == sorted(ascending)
    table.locator("thead").get_by_role("link", name=re.compile("Văn bản")).click()
    expect(table.locator('th[aria-sort="descending"]')).to_be_visible()
    assert table.locator("tbody th").all_inner_texts() == list(reversed(ascending))

    page.get_by_label("Đối tác").select_option(label="Seoul National University Hospital")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"partner=\d+"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("2417/QĐ-SYT")
    page.screenshot(path=str(screenshots / "agreements-sorted-filtered.png"), full_page=True)

    link = page.get_by_role("link", name="Tải bảng (Excel)")
    href = link.get_attribute("href")
    assert href.startswith("/api/agreements.xlsx?") and "partner=" in href
    workbook = page.request.get(href)
    assert workbook.ok
    header, *rows = list(load_workbook(io.BytesIO(workbook.body())).active.values)
    assert [r[header.index("number")] for r in rows] == ["2417/QĐ-SYT"]


def test_plan_137s_page_names_the_news_article_as_its_twin(page, document_id):
    plan = document_id("kh-137-ubnd-2025-ocr.txt")
    news = document_id("news-hanoi-kh137-2025-05-17.txt")
    page.goto(f"/#/documents/{plan}")
    twins = page.locator(".doc-twins")
    expect(twins.locator(f'li[data-document-id="{news}"]')).to_contain_text(
        "bài viết về văn bản này"
    )
    page.goto(f"/#/documents/{news}")
    expect(page.locator(f'.doc-twins li[data-document-id="{plan}"] a')).to_have_text("137/KH-UBND")


def test_a_click_on_a_partner_country_keeps_only_its_documents(page, document_id):
    seoul = document_id("qd-2417-syt-2025-scan.pdf")
    page.goto("/#/?q=training+nurses+in+infection+control")
    row = page.locator('[data-facet-row="country"]')
    row.locator('a[data-value="Korea"]').click()
    expect(page).to_have_url(re.compile(r"country=Korea"))
    expect(page.locator(".active-filters")).to_contain_text("Korea")
    cards = page.locator(".result-card")
    expect(cards.first).to_be_visible()
    assert {c.get_attribute("data-document-id") for c in cards.all()} == {str(seoul)}
    area = page.locator('#facets a[data-facet="area"][data-value="infection_control"]')
    expect(area).to_contain_text("Kiểm soát nhiễm khuẩn")


def test_a_librarian_enters_a_signing_date_and_renames_a_partner(page, document_id):
    page.goto("/#/agreements")
    lyon = page.locator("#agreements-table tbody tr", has_text="Hospices Civils de Lyon")
    expect(lyon.locator('td[data-field="expires"]')).to_have_text("—")
    lyon.get_by_role("textbox", name=re.compile("^Ngày ký của")).fill("2025-03-18")
    lyon.get_by_role("button", name=re.compile("Lưu")).click()
    lyon = page.locator("#agreements-table tbody tr", has_text="Hospices Civils de Lyon")
    expect(lyon.locator('td[data-field="expires"]')).to_have_text("18/03/2030")

    page.goto("/#/partners?q=xanh")
    page.locator("#partners-table").get_by_role("link", name="Bệnh viện đa khoa Xanh Pôn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bệnh viện đa khoa Xanh Pôn")
    form = page.locator("#partner-rename")
    form.get_by_label("Tên", exact=True).fill("Bệnh viện đa khoa Xanh Pôn (Saint Paul)")
    form.get_by_label("Đã xác nhận").check()
    form.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bệnh viện đa khoa Xanh Pôn (Saint Paul)"
    )

    page.goto("/#/partners?q=lyon")
    page.locator("#partners-table").get_by_role("link", name="Hospices Civils de Lyon").click()
    timeline = page.locator(".kb-timeline")
    expect(timeline.locator('li[data-kind="expires"]')).to_contain_text("18/03/2030")


def test_a_reader_sees_no_correction_form(browser, live_server, web_settings, document_id):
    from auth import UserStore
    from catalog import Catalog

    users = UserStore(Catalog(web_settings.catalog_location))
    if not any(u.name == READER[0] for u in users.list()):
        users.add(READER[0], "reader", "internal", READER[1])
    context = browser.new_context(base_url=live_server)
    try:
        assert context.request.post(
            "/api/session", data={"name": READER[0], "password": READER[1]}
        ).ok
        page = context.new_page()
        page.goto("/#/partners?q=lyon")
        page.locator("#partners-table").get_by_role("link", name="Hospices Civils de Lyon").click()
        expect(page.locator(".kb-timeline")).to_be_visible()
        expect(page.locator("form.kb-correction")).to_have_count(0)
        page.goto("/#/agreements")
        expect(page.locator("#agreements-table tbody tr").first).to_be_visible()
        expect(page.locator("form.kb-signed")).to_have_count(0)
        page.goto(f"/#/documents/{document_id('kh-137-ubnd-2025-ocr.txt')}")
        expect(page.locator(".doc-areas")).to_be_visible()
        expect(page.locator("#area-add")).to_have_count(0)
        refused = context.request.patch("/api/partners/1", data={"name": "x"})
        assert refused.status == 403
    finally:
        context.close()
