"""Everyone can use the page: by keyboard, with a screen reader, and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((el) => el.type !== 'hidden')
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.textContent.trim())
  .map((el) => el.outerHTML)"""


def test_keyboard_user_skips_to_content_and_searches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    assert page.url.endswith("/"), "the skip link must not change the route"
    for landmark in ("banner", "navigation", "main", "contentinfo", "search"):
        expect(page.get_by_role(landmark).first).to_be_attached()
    page.get_by_role("searchbox").focus()
    page.keyboard.type("robot phau thuat noi soi")
    page.keyboard.press("Enter")
    expect(page.locator(".result-card").first).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("kết quả", timeout=5_000)
    assert page.evaluate(UNLABELLED_CONTROLS) == []


def test_phone_sized_screen_needs_no_sideways_scrolling(
    browser, live_server, scanned_document_id, screenshots, sign_in
):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    sign_in(context)
    page = context.new_page()
    try:
        page.goto("/#/?q=AI+in+diagnostic+imaging")
        expect(page.locator(".result-card").first).to_be_visible()
        page.screenshot(path=str(screenshots / "search-page-phone.png"), full_page=True)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        page.goto(f"/#/documents/{scanned_document_id}")
        expect(page.locator("#page-1")).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        assert page.evaluate(UNLABELLED_CONTROLS) == []
    finally:
        context.close()
