"""Documents have identities, not names: two librarians' "bien-ban.txt" stay two documents."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

FIRST = "Biên bản họp với Bệnh viện Bạch Mai về chuyển giao kỹ thuật ghép tạng năm 2025."
SECOND = "Biên bản làm việc với Đại học Lyon về đào tạo điều dưỡng cấp cứu nhi khoa."


def upload(client: TestClient, name: str, text: str, **form: str) -> dict:
    response = client.post(
        "/api/documents",
        files=[("files", (name, text.encode(), "text/plain"))],
        data={**form, "wait": "true"},
    )
    assert response.status_code in (200, 201), response.text
    [report] = response.json()["files"]
    return report


def test_two_different_files_uploaded_under_one_name_are_two_documents(
    client: TestClient,
) -> None:
    first = upload(client, "bien-ban.txt", FIRST)
    second = upload(client, "bien-ban.txt", SECOND)
    assert first["status"] == second["status"] == "ingested"
    assert first["document_id"] != second["document_id"]
    for report, query in ((first, "ghép tạng Bạch Mai"), (second, "điều dưỡng nhi khoa Lyon")):
        hits = client.get("/api/search", params={"q": query, "k": 3}).json()["results"]
        assert hits[0]["document_id"] == report["document_id"]
    assert upload(client, "another-name.txt", FIRST)["status"] == "unchanged"


def test_names_that_reduce_to_the_same_base_do_not_collide(client: TestClient) -> None:
    one = upload(client, "../../etc/x.txt", "Kế hoạch tiêm chủng mở rộng cho trẻ em ở Sóc Sơn.")
    two = upload(client, "..\\..\\windows\\x.txt", "Thông báo hội thảo y học hạt nhân ở Huế.")
    assert one["path"] == two["path"] == "x.txt"
    assert one["document_id"] != two["document_id"]


def test_replaces_makes_a_new_version_of_the_named_document(client: TestClient) -> None:
    original = upload(client, "quyet-dinh.txt", "Quyết định số 12 về hội đồng khoa học, bản nháp.")
    revised = upload(
        client,
        "quyet-dinh-ban-cuoi.txt",
        "Quyết định số 12 về hội đồng khoa học, bản chính thức.",
        replaces=str(original["document_id"]),
    )
    assert (revised["status"], revised["document_id"]) == ("updated", original["document_id"])
    doc = client.get(f"/api/documents/{original['document_id']}").json()
    assert doc["version"] == 2 and "chính thức" in doc["pages"][0]["text"]


def test_replacing_a_missing_document_is_404_and_several_files_422(client: TestClient) -> None:
    missing = client.post(
        "/api/documents",
        files=[("files", ("a.txt", "Công văn số 7 về y tế.".encode(), "text/plain"))],
        data={"replaces": "99999"},
    )
    assert missing.status_code == 404 and "99999" in missing.json()["message"]
    several = client.post(
        "/api/documents",
        files=[("files", ("a.txt", b"a", "text/plain")), ("files", ("b.txt", b"b", "text/plain"))],
        data={"replaces": "1"},
    )
    assert several.status_code == 422 and "exactly one file" in several.json()["message"]
