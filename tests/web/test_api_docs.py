"""A developer on an offline intranet opens /docs and sees the API, served by the app itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_api_page_works_without_the_internet(page) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:"))
            else None
        ),
    )
    page.goto("/docs")
    expect(page.get_by_text("/api/search").first).to_be_visible()
    expect(page.get_by_text("/api/documents/{document_id}/file").first).to_be_visible()
    assert outside == []
