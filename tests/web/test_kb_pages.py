"""Cooperation staff in the browser: which partners we work with, from which country, on what, and
which agreements run out, in Vietnamese and in English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_partners_page_lists_each_partner_once_and_opens_lyon(page, document_id, screenshots):
    page.goto("/#/partners")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đối tác hợp tác")
    table = page.locator("#partners-table")
    for name in (
        "Korea International Cooperation Agency (KOICA)",
        "Seoul National University Hospital",
        "Hospices Civils de Lyon",
        "Institut Pasteur",
    ):
        expect(table.get_by_role("link", name=name, exact=True)).to_have_count(1)
    page.screenshot(path=str(screenshots / "partners-page.png"), full_page=True)

    page.get_by_label("Quốc gia").select_option("Korea")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"#/partners\?country=Korea"))
    expect(table.locator("tbody tr")).to_have_count(2)

    page.goto("/#/partners?q=lyon")
    page.locator("#partners-table").get_by_role("link", name="Hospices Civils de Lyon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hospices Civils de Lyon")
    expect(page.locator('dd[data-field="country"]')).to_have_text("France")
    agreement = document_id("thoa-thuan-bach-mai-lyon.docx")
    expect(page.locator(f'.kb-agreements a[href="#/documents/{agreement}"]')).to_be_visible()
    expect(page.locator(".kb-mentions blockquote").first).to_contain_text("Hospices Civils de Lyon")


def test_agreements_table_in_english_with_the_seoul_project_and_its_funder(page, screenshots):
    page.goto("/#/agreements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thỏa thuận, dự án hợp tác")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements and cooperation projects")
    seoul = page.locator("#agreements-table tbody tr", has_text="2417/QĐ-SYT")
    expect(seoul.locator('td[data-field="expires"]')).to_have_text("2027-06-30")
    expect(seoul).to_contain_text("Seoul National University Hospital")
    expect(seoul).to_contain_text("Korea International Cooperation Agency (KOICA)")
    lyon = page.locator("#agreements-table tbody tr", has_text="Hospices Civils de Lyon")
    expect(lyon).to_contain_text("60")
    page.screenshot(path=str(screenshots / "agreements-page.png"), full_page=True)
    page.get_by_label("Status").select_option("expired")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=expired"))


def test_plan_137_page_shows_what_it_implements_and_the_news_citing_it(page, document_id):
    plan = document_id("kh-137-ubnd-2025-ocr.txt")
    news = document_id("news-hanoi-kh137-2025-05-17.txt")
    page.goto(f"/#/documents/{plan}")
    relations = page.get_by_role("region", name="Đối tác, lĩnh vực, văn bản liên quan")
    expect(relations.locator('.doc-cites li[data-number="5369/QD-UBND"]')).to_contain_text(
        "chưa có trong kho"
    )
    expect(relations.locator(f'.doc-cited-by a[href="#/documents/{news}"]')).to_be_visible()
    expect(relations.locator(".doc-areas")).to_contain_text("Trí tuệ nhân tạo (AI) trong y tế")
