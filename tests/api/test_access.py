"""Who may see and change what: a confidential plan stays invisible below its clearance, every API
route wants credentials, readers cannot change anything, and every change is in the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from hoptac.settings import Settings

pytestmark = pytest.mark.slow

SECRET_WORD = "ZORBULAX"
SECRET_PLAN = (
    "KẾ HOẠCH\nBảo vệ bí mật nhà nước trong hợp tác quốc tế về y tế năm 2026\n\n"
    f"I. MỤC ĐÍCH\nBảo vệ tài liệu của dự án {SECRET_WORD} về hợp tác chuyển giao công nghệ "
    f"với đối tác nước ngoài. Mọi tài liệu của dự án {SECRET_WORD} được đóng dấu Mật.\n"
)


def upload(client: TestClient, name: str, text: str, classification: str) -> int:
    response = client.post(
        "/api/documents",
        files={"files": (name, text.encode(), "text/plain")},
        data={"classification": classification, "wait": "true"},
    )
    assert response.status_code == 201, response.text
    report = response.json()["files"][0]
    assert report["status"] == "ingested", report
    return int(report["document_id"])


@pytest.fixture(scope="module")
def secret_id(client: TestClient) -> int:
    return upload(client, "ke-hoach-bao-ve-bi-mat.txt", SECRET_PLAN, "confidential")


@pytest.fixture(scope="module")
def reader(client: TestClient, make_token: Callable[[str, str], str]) -> TestClient:
    """A reader with internal clearance, on the same app as ``client``."""
    return as_user(client, make_token("reader", "internal"))


def as_user(client: TestClient, token: str) -> TestClient:
    other = TestClient(client.app, headers={"Authorization": f"Bearer {token}"})
    other.cookies.clear()
    return other


def test_an_internal_reader_never_learns_the_confidential_plan_exists(
    client: TestClient, reader: TestClient, secret_id: int
) -> None:
    plain = reader.get("/api/search", params={"q": SECRET_WORD, "k": 50}).json()
    assert secret_id not in {hit["document_id"] for hit in plain["results"]}
    assert SECRET_WORD not in str(plain["results"])
    aimed = reader.get("/api/search", params={"q": SECRET_WORD, "document_id": secret_id}).json()
    assert aimed["results"] == [] and aimed["total"] == 0
    assert all(counts == {} for counts in aimed["facets"].values())

    missing = reader.get("/api/documents/999999")
    for path in (f"/api/documents/{secret_id}", f"/api/documents/{secret_id}/file"):
        response = reader.get(path)
        assert response.status_code == 404
        assert response.json()["message"] == missing.json()["message"].replace(
            "999999", str(secret_id)
        )
    assert reader.get(f"/api/documents/{secret_id}/similar").status_code == 404
    listed = reader.get("/api/documents").json()["documents"]
    assert secret_id not in {d["id"] for d in listed}
    runs = reader.get("/api/runs").json()["runs"]
    assert secret_id not in {f["document_id"] for run in runs for f in run["files"]}
    assert "ke-hoach-bao-ve-bi-mat.txt" not in str(runs)
    for doc in listed[:2]:
        similar = reader.get(f"/api/documents/{doc['id']}/similar", params={"k": 50}).json()
        assert secret_id not in {hit["document_id"] for hit in similar["results"]}
    secret_chunk = client.get(f"/api/documents/{secret_id}").json()["chunks"][0]["id"]
    assert reader.get(f"/api/chunks/{secret_chunk}/similar").status_code == 404


def test_the_same_search_as_an_admin_finds_it(client: TestClient, secret_id: int) -> None:
    body = client.get("/api/search", params={"q": SECRET_WORD}).json()
    assert body["results"][0]["document_id"] == secret_id
    assert SECRET_WORD in body["results"][0]["snippet"]
    assert client.get(f"/api/documents/{secret_id}").json()["classification"] == "confidential"


def test_an_anonymous_client_gets_401_json_everywhere_but_health(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    assert anonymous.get("/health").status_code == 200
    checked = 0
    paths = {**client.app.openapi()["paths"], "/api/anything": {"get": {}, "post": {}}}
    for template, operations in paths.items():
        if not template.startswith("/api"):
            continue
        path = template.replace("{document_id}", "1").replace("{chunk_id}", "1")
        for method in operations:
            if (template, method) == ("/api/session", "post"):
                continue  # signing in is how one gets credentials
            response = anonymous.request(method.upper(), path)
            assert response.status_code == 401, (method, path, response.text)
            assert "hoptac users token" in response.json()["message"]
            checked += 1
    assert checked >= 12
    bad = TestClient(client.app, headers={"Authorization": "Bearer not-a-token"})
    assert bad.get("/api/documents").status_code == 401


def test_a_reader_gets_403_on_upload_edit_and_delete(reader: TestClient, secret_id: int) -> None:
    listed = reader.get("/api/documents").json()["documents"]
    visible_id = listed[0]["id"]
    attempts = [
        reader.post("/api/documents", files={"files": ("a.txt", b"text", "text/plain")}),
        reader.patch(f"/api/documents/{visible_id}", json={"title": "mine"}),
        reader.patch(f"/api/documents/{visible_id}", json={"classification": "public"}),
        reader.delete(f"/api/documents/{visible_id}"),
        reader.post("/api/runs"),
        reader.get("/api/audit"),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "Forbidden"
    assert reader.get(f"/api/documents/{visible_id}").json()["title"] != "mine"


def test_a_readers_write_is_refused_before_its_body_is_read(
    client: TestClient, reader: TestClient
) -> None:
    """A reader probing a write route with an empty or broken body learns only that the route is
    not theirs (403), never what the body should hold (422)."""
    checked = 0
    for template, operations in client.app.openapi()["paths"].items():
        path = template
        for name in ("document_id", "chunk_id", "partner_id", "job_id", "run_id"):
            path = path.replace("{" + name + "}", "1")
        path = path.replace("{key}", "telemedicine")
        for method in operations:
            if method not in ("post", "patch", "put", "delete") or template == "/api/session":
                continue
            for body in (None, {}, {"nonsense": [1, 2]}):
                response = reader.request(method.upper(), path, json=body)
                assert response.status_code == 403, (method, path, body, response.text)
            checked += 1
    assert checked >= 10


def test_a_librarian_reclassifies_and_the_reader_then_finds_it(
    client: TestClient, reader: TestClient, make_token: Callable[[str, str], str]
) -> None:
    librarian = as_user(client, make_token("librarian", "confidential"))
    doc_id = upload(
        librarian, "bien-ban-mat.txt", SECRET_PLAN.replace(SECRET_WORD, "QUAXIMO"), "confidential"
    )

    def found_by_reader() -> bool:
        hits = reader.get("/api/search", params={"q": "QUAXIMO", "k": 50}).json()["results"]
        return any(hit["document_id"] == doc_id for hit in hits)

    assert reader.get(f"/api/documents/{doc_id}").status_code == 404
    assert not found_by_reader()
    response = librarian.patch(f"/api/documents/{doc_id}", json={"classification": "internal"})
    assert response.status_code == 200 and response.json()["classification"] == "internal"
    assert reader.get(f"/api/documents/{doc_id}").status_code == 200
    assert found_by_reader()  # the search's clearance filter follows the edit at once
    response = librarian.patch(f"/api/documents/{doc_id}", json={"classification": "confidential"})
    assert response.status_code == 200 and not found_by_reader()
    assert librarian.delete(f"/api/documents/{doc_id}").status_code == 403, "deleting is for admins"
    bad = librarian.patch(f"/api/documents/{doc_id}", json={"classification": "secret"})
    assert bad.status_code == 422

    entries = client.get("/api/audit").json()["entries"]
    actions = [(e["action"], e["document_id"]) for e in entries]
    assert ("reclassify", doc_id) in actions and ("upload", doc_id) in actions


def test_an_admin_deletes_and_confidential_downloads_are_audited(
    client: TestClient, secret_id: int
) -> None:
    assert client.get(f"/api/documents/{secret_id}/file").status_code == 200
    doc_id = upload(
        client, "xoa.txt", "Biên bản thử nghiệm sẽ bị xóa ngay sau khi tải lên.", "public"
    )
    assert client.delete(f"/api/documents/{doc_id}").status_code == 200
    actions = [(e["action"], e["document_id"]) for e in client.get("/api/audit").json()["entries"]]
    assert ("download confidential", secret_id) in actions and ("delete", doc_id) in actions


def test_an_uploaded_html_original_downloads_as_a_sandboxed_attachment(client: TestClient) -> None:
    page = (
        "<html><head><title>Thông báo hợp tác</title></head><body><h1>Thông báo hợp tác</h1>"
        "<p>Hợp tác đào tạo bác sĩ nội trú với Đại học Lyon trong năm 2026.</p>"
        "<script>fetch('/api/documents').then(r => r.text()).then(alert)</script></body></html>"
    )
    response = client.post(
        "/api/documents",
        files={"files": ("thong-bao.html", page.encode(), "text/html")},
        data={"wait": "true"},
    )
    doc_id = response.json()["files"][0]["document_id"]
    original = client.get(f"/api/documents/{doc_id}/file")
    assert original.status_code == 200
    assert original.headers["content-disposition"].startswith("attachment")
    assert original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["content-security-policy"] == "sandbox"


def test_the_apps_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_foreign_host_header_is_refused(client: TestClient) -> None:
    assert client.get("/health", headers={"Host": "evil.example"}).status_code == 400


def test_the_api_page_loads_swagger_from_the_server_itself(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_an_oversized_upload_is_refused_with_413(client: TestClient) -> None:
    limit = client.app.state.settings.max_upload_mb * 1024 * 1024
    response = client.post(
        "/api/documents", content=b"x", headers={"Content-Length": str(limit + 1)}
    )
    assert response.status_code == 413


def test_anonymous_reading_when_allowed_shows_public_documents_only(
    client: TestClient, app_settings: Settings, secret_id: int
) -> None:
    public_id = upload(
        client,
        "thong-bao-cong-khai.txt",
        "Thông báo công khai về hội thảo hợp tác quốc tế ZORBULAX mở cho mọi người.",
        "public",
    )
    settings = app_settings.model_copy(update={"anonymous_read": True})
    with TestClient(create_app(settings)) as anonymous:
        listed = {d["id"] for d in anonymous.get("/api/documents").json()["documents"]}
        assert listed == {public_id}
        hits = anonymous.get("/api/search", params={"q": SECRET_WORD}).json()["results"]
        assert {h["document_id"] for h in hits} == {public_id}
        assert anonymous.get(f"/api/documents/{secret_id}").status_code == 404
        assert anonymous.delete(f"/api/documents/{public_id}").status_code == 401


def test_an_upload_without_a_length_is_still_cut_at_the_limit(tmp_path) -> None:
    import io

    from fastapi import UploadFile

    from api.routes.documents import save_upload
    from hoptac.errors import TooLarge

    big = UploadFile(io.BytesIO(b"x" * (3 << 20)), filename="big.txt")
    with pytest.raises(TooLarge, match="2 MB"):
        save_upload(big, tmp_path / "big.txt", 2 << 20)
