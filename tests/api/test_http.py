"""Staff and librarians through the HTTP API, on the sample corpus, with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FIELDS = {
    "document_id",
    "chunk_id",
    "title",
    "source",
    "page",
    "section",
    "language",
    "score",
    "snippet",
}


def search(client: TestClient, **params: object) -> dict:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_health_answers_when_ready(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["documents"] >= 7


def test_search_answers_the_contract(client: TestClient) -> None:
    body = search(client, q="hợp tác quốc tế chuyển giao công nghệ y tế", k=5)
    assert body["query"] == "hợp tác quốc tế chuyển giao công nghệ y tế"
    assert isinstance(body["took_ms"], int | float)
    assert 0 < len(body["results"]) <= 5
    for hit in body["results"]:
        assert FIELDS <= hit.keys()
        assert isinstance(hit["page"], int) and hit["page"] >= 1
    assert "<mark>" in body["results"][0]["snippet"]


def test_an_english_query_finds_the_plans_ai_section_in_the_garbled_scan(
    client: TestClient,
) -> None:
    body = search(client, q="AI-assisted diagnostic imaging", k=10)
    top = body["results"][0]
    assert top["source"] == "kh-137-ubnd-2025-ocr.txt"
    assert "1.1" in top["section"]
    sources = [hit["source"] for hit in body["results"]]
    assert "news-hanoi-kh137-2025-05-17.txt" in sources


def test_an_unaccented_query_finds_accented_text(client: TestClient) -> None:
    body = search(client, q="cham soc giam nhe benh vien bach mai", k=5)
    assert body["results"][0]["source"] == "thoa-thuan-bach-mai-lyon.docx"


def test_filters_narrow_the_results(client: TestClient) -> None:
    plans = search(client, q="chuyển giao công nghệ", type="Kế hoạch", k=20)
    assert plans["results"] and {h["doc_type"] for h in plans["results"]} == {"Kế hoạch"}
    english = search(client, q="chuyển giao công nghệ", lang="en", k=20)
    assert english["results"] and {h["language"] for h in english["results"]} == {"en"}
    dated = search(client, q="y tế", date_from="2025-05-16", date_to="2025-05-31", k=20)
    assert all("2025-05-16" <= (h["issue_date"] or "") <= "2025-05-31" for h in dated["results"])
    assert "Kế hoạch" not in dated["facets"]["type"]


def test_bad_parameters_are_422_with_a_message(client: TestClient) -> None:
    for params in ({"q": "y tế", "k": 0}, {"q": "y tế", "date_from": "15/05/2025"}, {}):
        response = client.get("/api/search", params=params)
        assert response.status_code == 422
        assert response.json()["message"]


def test_missing_documents_are_404(client: TestClient) -> None:
    for method, path in (
        ("GET", "/api/documents/99999"),
        ("GET", "/api/documents/99999/file"),
        ("DELETE", "/api/documents/99999"),
        ("GET", "/api/documents/99999/similar"),
    ):
        response = client.request(method, path)
        assert response.status_code == 404, path
        assert "99999" in response.json()["message"]


def test_a_document_has_pages_sections_and_its_original(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["documents"]
    scan = next(d for d in docs if d["source_name"] == "qd-2417-syt-2025-scan.pdf")
    detail = client.get(f"/api/documents/{scan['id']}").json()
    assert detail["page_count"] == len(detail["pages"]) >= 2
    assert {p["method"] for p in detail["pages"]} == {"ocr"}
    assert all(0 < p["ocr_confidence"] <= 1 for p in detail["pages"])
    # each page says which reading won and why: a scan has no text layer to weigh
    assert all(p["source_reason"].startswith("no text layer; OCR") for p in detail["pages"])
    assert all(p["text_layer_garbled"] is None for p in detail["pages"])
    assert all(0 <= p["ocr_garbled"] < 0.2 for p in detail["pages"])
    assert detail["place"] == "Hà Nội"
    assert (detail["number"], detail["references"]) == ("2417/QĐ-SYT", [])  # cites no number
    assert detail["sections"]
    original = client.get(scan["file_url"])
    assert original.content == (CORPUS / "qd-2417-syt-2025-scan.pdf").read_bytes()


def test_similar_finds_the_twin_of_the_plan(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["documents"]
    plan = next(d for d in docs if d["number"] == "137/KH-UBND")
    similar = client.get(f"/api/documents/{plan['id']}/similar", params={"k": 5}).json()
    assert all(h["document_id"] != plan["id"] for h in similar["results"])
    assert similar["results"][0]["source"] == "news-hanoi-kh137-2025-05-17.txt"


def test_a_correction_is_saved(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["documents"]
    doc = docs[0]
    response = client.patch(f"/api/documents/{doc['id']}", json={"technology_area": "telemedicine"})
    assert response.status_code == 200
    assert client.get(f"/api/documents/{doc['id']}").json()["technology_area"] == "telemedicine"
    assert client.patch(f"/api/documents/{doc['id']}", json={"id": "7"}).status_code == 422
    assert client.patch(f"/api/documents/{doc['id']}", json={"place": "Hà Nội"}).status_code == 200
    corrected = client.get(f"/api/documents/{doc['id']}").json()
    assert corrected["place"] == "Hà Nội" and "place" in corrected["corrected"]


def test_an_upload_becomes_searchable_then_a_delete_removes_it(client: TestClient) -> None:
    text = (
        "Biên bản ghi nhớ hợp tác giữa Bệnh viện Đa khoa Đức Giang và Đại học Kyoto về "
        "phẫu thuật nội soi bằng robot, ký ngày 3 tháng 9 năm 2025.\n"
    ).encode()
    files = [
        ("files", ("bien-ban-kyoto.txt", text, "text/plain")),
        ("files", ("broken.pdf", b"%PDF-1.4 not really", "application/pdf")),
    ]
    response = client.post("/api/documents", files=files, data={"wait": "true"})
    assert response.status_code == 201
    reports = {f["path"]: f for f in response.json()["files"]}
    assert reports["bien-ban-kyoto.txt"]["status"] == "ingested"
    assert reports["broken.pdf"]["status"] == "failed" and reports["broken.pdf"]["reason"]
    new_id = reports["bien-ban-kyoto.txt"]["document_id"]

    hits = search(client, q="robotic endoscopic surgery with Kyoto University", k=3)["results"]
    assert hits[0]["document_id"] == new_id

    again = client.post("/api/documents", files=files[:1], data={"wait": "true"})
    assert again.json()["files"][0]["status"] == "unchanged"

    assert client.delete(f"/api/documents/{new_id}").status_code == 200
    hits = search(client, q="robotic endoscopic surgery with Kyoto University", k=10)["results"]
    assert all(h["document_id"] != new_id for h in hits)
    assert client.get(f"/api/documents/{new_id}").status_code == 404


def test_the_openapi_page_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert "/api/search" in client.get("/openapi.json").json()["paths"]


def test_a_batch_uploaded_file_by_file_is_one_ingest_run(client: TestClient) -> None:
    run_id = client.post("/api/runs").json()["run_id"]
    for name, text in (("a.txt", "Công văn về hội thảo dinh dưỡng lâm sàng."), ("b.txt", "")):
        response = client.post(
            "/api/documents",
            files=[("files", (name, text.encode(), "text/plain"))],
            data={"run_id": str(run_id), "wait": "true"},
        )
        body = response.json()
        assert (body.get("details") or body)["run_id"] == run_id
    [latest] = client.get("/api/runs", params={"limit": 1}).json()["runs"]
    assert latest["id"] == run_id
    assert [(f["path"], f["status"]) for f in latest["files"]] == [
        ("a.txt", "ingested"),
        ("b.txt", "failed"),
    ]
    missing = client.post(
        "/api/documents", files=[("files", ("c.txt", b"x", "text/plain"))], data={"run_id": "99999"}
    )
    assert missing.status_code == 404


def test_a_passage_finds_its_twin_in_the_news_article(client: TestClient) -> None:
    ai = search(client, q="trí tuệ nhân tạo trong y tế", type="Kế hoạch", k=1)["results"][0]
    twins = client.get(f"/api/chunks/{ai['chunk_id']}/similar", params={"k": 5}).json()["results"]
    assert all(hit["chunk_id"] != ai["chunk_id"] for hit in twins)
    assert "news-hanoi-kh137-2025-05-17.txt" in [hit["source"] for hit in twins]
    assert client.get("/api/chunks/999999/similar").status_code == 404


def test_the_web_page_reads_the_stripped_threshold_from_the_server(client: TestClient) -> None:
    from hoptac.vietnamese import STRIPPED_THRESHOLD

    response = client.get("/api/config")
    assert response.status_code == 200
    assert response.json() == {"stripped_threshold": STRIPPED_THRESHOLD}
