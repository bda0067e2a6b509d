"""A staff member searches the archive from the web page, in English or Vietnamese without accents."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = "kh-137-ubnd-2025-ocr.txt"


def search(page, query: str) -> None:
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("searchbox").press("Enter")
    expect(page.locator(".result-card").first).to_be_visible()


def test_english_question_finds_the_ai_section_of_plan_137(page, document_id, folded, screenshots):
    plan = document_id(PLAN)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm kiếm tài liệu")
    catalog = page.get_by_role("region", name=re.compile(r"Tài liệu trong kho \(\d+\)"))
    expect(catalog.get_by_role("link", name=re.compile("Kế hoạch Hợp tác quốc tế"))).to_be_visible()
    search(page, "AI in diagnostic imaging")

    plan_cards = page.locator(f'.result-card[data-document-id="{plan}"]')
    expect(plan_cards.first).to_be_visible()
    ai_section = [
        card
        for card in plan_cards.all()
        if "1.1. tri tue nhan tao" in folded(card.locator(".card-where").inner_text())
    ]
    assert ai_section, "the plan's section 1.1 (AI in health care) should be among the results"
    card = ai_section[0]
    expect(card.locator(".card-meta")).to_contain_text("137/KH-UBND")
    # Words the query shares with a passage are highlighted (a cross-lingual hit may share none).
    expect(page.locator(".snippet mark").first).to_be_visible()
    expect(card.locator(".ocr-badge")).to_be_visible()  # OCR text, diacritics restored
    expect(page.locator(".results-summary")).to_contain_text("AI in diagnostic imaging")
    page.screenshot(path=str(screenshots / "search-page.png"), full_page=True)

    # The URL holds the query: reloading (or sharing the link) shows the same results.
    assert "q=AI+in+diagnostic+imaging" in page.url
    chunk_id = card.get_attribute("data-chunk-id")
    page.reload()
    expect(page.get_by_role("searchbox")).to_have_value("AI in diagnostic imaging")
    expect(page.locator(f'.result-card[data-chunk-id="{chunk_id}"]')).to_be_visible()


def test_type_facet_narrows_results_and_back_undoes_it(page, no_job_running):
    page.goto("/")
    search(page, "hop tac quoc te chuyen giao cong nghe y te")  # no diacritics, as staff often type
    facet = page.locator('.facet-link[data-facet="type"][data-value="Kế hoạch"]')
    unfiltered_total = page.locator(".results-summary").inner_text().split()[0]
    facet.click()

    expect(page).to_have_url(re.compile(r"type=K%E1%BA%BF"))
    # The active filters' chips (the language switch's links are chips too).
    expect(page.locator(".active-filters .chip")).to_contain_text("Kế hoạch")
    cards = page.locator(".result-card")
    expect(cards.first).to_be_visible()
    for meta in cards.locator(".card-meta").all():
        expect(meta).to_contain_text("Kế hoạch")

    page.go_back()
    expect(page.locator(".active-filters .chip")).to_have_count(0)
    expect(page.locator(".results-summary")).to_have_text(re.compile(rf"^{unfiltered_total} "))


def test_bad_date_in_a_shared_link_says_what_is_wrong(page):
    page.goto("/#/?q=y+te&date_from=2025-13-45")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("date_from")
    expect(alert.get_by_role("button", name="Thử lại")).to_be_visible()


def test_english_interface_is_remembered(page):
    page.goto("/")
    page.get_by_role("button", name="Switch the interface to English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search documents")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search documents")
    assert page.locator("html").get_attribute("lang") == "en"
    search(page, "robot surgery training with Lyon")
    expect(page.locator(".results-summary")).to_contain_text("results for")


def test_results_page_through_and_lead_to_similar_documents(page):
    page.goto("/#/?q=hop+tac+quoc+te+y+te")
    expect(page.locator(".result-card").first).to_be_visible()
    total = int(page.locator(".results-summary").inner_text().split()[0])
    assert total > 10, "the sample corpus should give more than one page of passages"
    page.get_by_role("navigation", name="Phân trang kết quả").get_by_role(
        "link", name="Trang sau →"
    ).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("ol.result-list")).to_have_attribute("start", "11")
    expect(page.locator(".page-of")).to_contain_text("Trang 2 /")

    first = page.locator(".result-card").first
    source_id = first.get_attribute("data-document-id")
    first.get_by_role("link", name="Tài liệu tương tự").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tài liệu tương tự với")
    similar = page.locator(".result-card")
    expect(similar.first).to_be_visible()
    ids = [card.get_attribute("data-document-id") for card in similar.all()]
    assert len(ids) == len(set(ids)), "each similar document is listed once"
    assert source_id not in ids, "a document is not similar to itself"


def test_no_results_say_what_to_try(page):
    page.goto("/#/?q=hop+tac+y+te&date_from=1990-01-01&date_to=1990-12-31")
    empty = page.locator(".empty-box")
    expect(empty).to_contain_text("Không tìm thấy kết quả")
    expect(empty).to_contain_text("bỏ bớt bộ lọc")
    page.get_by_role("button", name="Bỏ tất cả bộ lọc").click()
    expect(page.locator(".result-card").first).to_be_visible()
    expect(page.get_by_label("Từ ngày")).to_have_value("")


def test_results_in_two_languages_offer_one_click_to_either(page):
    """A researcher's question finds the English paper and the Vietnamese plan; one click keeps
    only the English results, and each card says its language and its score."""
    page.goto("/")
    search(page, "kháng thuốc kháng sinh tại bệnh viện")
    switch = page.locator(".language-switch")
    expect(switch).to_be_visible()
    expect(switch.locator('a[data-language="vi"]')).to_be_visible()
    expect(page.locator(".result-card .score").first).to_be_visible()
    switch.locator('a[data-language="en"]').click()
    expect(page).to_have_url(re.compile(r"lang=en"))
    badges = page.locator(".result-card .lang-badge")
    # The Vietnamese cards of the first answer go once the filtered answer is drawn.
    expect(badges.filter(has_text="VI")).to_have_count(0)
    expect(badges.first).to_be_visible()
    assert {badges.nth(i).inner_text() for i in range(badges.count())} == {"EN"}
