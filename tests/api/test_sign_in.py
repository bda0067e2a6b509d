"""A librarian signs in from the browser: a session cookie the page's script cannot read, a CSRF
token for every change, sign-out, and a limit on guessing passwords; cross-site posts are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import CSRF_COOKIE
from auth import AuditLog, UserStore
from catalog import Catalog
from hoptac.settings import Settings

pytestmark = pytest.mark.slow

PASSWORD = "mật khẩu dài của Lan"


@pytest.fixture(scope="module")
def browser_app(app_settings: Settings) -> Iterator[TestClient]:
    UserStore(Catalog(app_settings.catalog_location)).add("lan", "librarian", "internal", PASSWORD)
    with TestClient(create_app(app_settings)) as client:
        yield client


def signed_in(app: TestClient) -> TestClient:
    """A fresh browser: loads the page (which sets the CSRF cookie), then signs in."""
    browser = TestClient(app.app)
    browser.get("/")
    response = browser.post("/api/session", json={"name": "lan", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return browser


def test_signing_in_sets_an_httponly_strict_session_cookie(browser_app: TestClient) -> None:
    browser = TestClient(browser_app.app)
    response = browser.post("/api/session", json={"name": "lan", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "hoptac_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie, "plain HTTP on localhost: a Secure cookie would never be sent"
    assert browser.get("/api/session").json() == {
        **browser.get("/api/session").json(),
        "name": "lan",
        "role": "librarian",
    }
    assert browser.get("/api/documents").status_code == 200


def test_over_https_the_session_cookie_is_secure(browser_app: TestClient) -> None:
    browser = TestClient(browser_app.app, base_url="https://testserver")
    response = browser.post("/api/session", json={"name": "lan", "password": PASSWORD})
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_is_401_and_audited(browser_app: TestClient) -> None:
    response = TestClient(browser_app.app).post(
        "/api/session", json={"name": "lan", "password": "wrong"}
    )
    assert response.status_code == 401
    assert response.json()["message"] == "wrong user name or password"
    catalog = browser_app.app.state.catalog
    assert ("lan", "sign-in failed") in [(e.actor, e.action) for e in AuditLog(catalog).entries()]


def test_a_change_without_the_csrf_token_is_refused_and_with_it_goes_through(
    browser_app: TestClient,
) -> None:
    browser = signed_in(browser_app)
    doc_id = browser.get("/api/documents").json()["documents"][0]["id"]
    refused = browser.patch(f"/api/documents/{doc_id}", json={"technology_area": "AI"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]
    token = browser.cookies[CSRF_COOKIE]
    allowed = browser.patch(
        f"/api/documents/{doc_id}",
        json={"technology_area": "AI"},
        headers={"X-CSRF-Token": token},
    )
    assert allowed.status_code == 200, allowed.text


def test_a_cross_site_form_post_is_refused(browser_app: TestClient) -> None:
    browser = signed_in(browser_app)
    token = browser.cookies[CSRF_COOKIE]
    for headers in (
        {"Origin": "http://evil.example", "X-CSRF-Token": token},
        {"Sec-Fetch-Site": "cross-site", "X-CSRF-Token": token},
    ):
        response = browser.post(
            "/api/documents",
            files={"files": ("a.txt", b"Van ban gia mao", "text/plain")},
            headers=headers,
        )
        assert response.status_code == 403, response.text
    login_csrf = TestClient(browser_app.app).post(
        "/api/session",
        json={"name": "lan", "password": PASSWORD},
        headers={"Origin": "http://evil.example"},
    )
    assert login_csrf.status_code == 403


def test_signing_out_ends_the_session_on_the_server(browser_app: TestClient) -> None:
    browser = signed_in(browser_app)
    session = browser.cookies["hoptac_session"]
    token = browser.cookies[CSRF_COOKIE]
    assert browser.delete("/api/session", headers={"X-CSRF-Token": token}).status_code == 200
    replay = TestClient(browser_app.app, cookies={"hoptac_session": session})
    assert replay.get("/api/documents").status_code == 401


def test_guessing_passwords_is_slowed_to_a_few_tries_a_minute(browser_app: TestClient) -> None:
    guesser = TestClient(browser_app.app)
    codes = [
        guesser.post("/api/session", json={"name": "minh", "password": f"guess{i}"}).status_code
        for i in range(7)
    ]
    assert codes[:5] == [401] * 5 and codes[-1] == 429
