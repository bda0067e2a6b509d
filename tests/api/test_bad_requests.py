"""Whatever a client sends, the answer is JSON whose status says what happened: never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response

pytestmark = pytest.mark.slow

HUGE = 2**63
BAD_IDS = (HUGE, 10**30, -1, 0)
#: Upload form field: answer once the worker has ingested the files.
WAIT = {"wait": "true"}


def assert_json_error(response: Response, status: int = 422) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] and body["message"], body
    return body


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_an_id_out_of_range_is_a_422_on_every_document_route(
    client: TestClient, bad_id: int
) -> None:
    for method, path, extra in (
        ("GET", f"/api/documents/{bad_id}", {}),
        ("PATCH", f"/api/documents/{bad_id}", {"json": {"title": "x"}}),
        ("DELETE", f"/api/documents/{bad_id}", {}),
        ("GET", f"/api/documents/{bad_id}/file", {}),
        ("GET", f"/api/documents/{bad_id}/similar", {}),
        ("GET", f"/api/chunks/{bad_id}/similar", {}),
        ("GET", f"/api/jobs/{bad_id}", {}),
    ):
        assert_json_error(client.request(method, path, **extra))


def test_an_id_out_of_range_in_a_filter_or_a_run_is_a_422(client: TestClient) -> None:
    assert_json_error(client.get("/api/search", params={"q": "y tế", "document_id": HUGE}))
    assert_json_error(client.get("/api/search", params={"q": "y tế", "document_id": -5}))
    upload = client.post(
        "/api/documents",
        files=[("files", ("a.txt", "Hợp tác y tế".encode(), "text/plain"))],
        data={"run_id": str(HUGE)},
    )
    assert_json_error(upload)


def raw_upload(client: TestClient, name: bytes) -> Response:
    """A multipart upload written byte for byte: HTTP libraries escape a NUL, a raw client does not."""
    body = (
        b'--X\r\nContent-Disposition: form-data; name="files"; filename="'
        + name
        + b'"\r\nContent-Type: text/plain\r\n\r\nH\xe1\xbb\xa3p t\xc3\xa1c\r\n--X--\r\n'
    )
    return client.post(
        "/api/documents", content=body, headers={"content-type": "multipart/form-data; boundary=X"}
    )


@pytest.mark.parametrize(
    "name", [b".", b"..", b"../..", b"a\x00b.txt", b"x" * 256 + b".txt", "đ".encode() * 128]
)
def test_a_file_name_no_file_can_have_is_a_422(client: TestClient, name: bytes) -> None:
    body = assert_json_error(raw_upload(client, name))
    assert "rename the file" in body["message"]


def test_an_upload_where_every_file_failed_is_a_422_with_each_files_reason(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/documents",
        files=[
            ("files", ("empty.txt", b"", "text/plain")),
            ("files", ("blank.txt", b"  \n", "text/plain")),
        ],
        data={"wait": "true"},
    )
    body = assert_json_error(response)
    assert body["error"] == "NothingIngested"
    assert [f["status"] for f in body["details"]["files"]] == ["failed", "failed"]
    assert "empty.txt" in body["message"]
    [run] = client.get("/api/runs", params={"limit": 1}).json()["runs"]
    assert run["id"] == body["details"]["run_id"] and run["status"] == "finished"


def test_a_partly_failed_upload_is_201_and_a_repeated_one_is_200(client: TestClient) -> None:
    files = [
        (
            "files",
            ("hoi-thao.txt", "Công văn về hội thảo phục hồi chức năng.".encode(), "text/plain"),
        ),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    first = client.post("/api/documents", files=files, data=WAIT)
    assert first.status_code == 201, first.text
    assert [f["status"] for f in first.json()["files"]] == ["ingested", "failed"]
    again = client.post("/api/documents", files=files[:1], data=WAIT)
    assert again.status_code == 200, again.text
    assert [f["status"] for f in again.json()["files"]] == ["unchanged"]
