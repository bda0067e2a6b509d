"""The knowledge base over HTTP: which partners work with us on what, which agreements run out,
what a plan implements, and what a reader below a document's clearance never learns."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, rebuild

pytestmark = pytest.mark.slow

JICA = "Japan International Cooperation Agency (JICA)"
SECRET_MOU = (
    "BIÊN BẢN GHI NHỚ hợp tác giữa Sở Y tế Hà Nội và Cơ quan Hợp tác Quốc tế Nhật Bản (JICA) "
    "về y tế từ xa. JICA tài trợ 2,5 triệu USD. Có hiệu lực ba năm kể từ ngày ký."
)


def as_user(client: TestClient, token: str) -> TestClient:
    other = TestClient(client.app, headers={"Authorization": f"Bearer {token}"})
    other.cookies.clear()
    return other


@pytest.fixture(scope="module")
def reader(client: TestClient, make_token: Callable[[str, str], str]) -> TestClient:
    return as_user(client, make_token("reader", "internal"))


@pytest.fixture(scope="module")
def secret_id(
    client: TestClient, app_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> int:
    """A confidential MoU, the only document naming JICA."""
    path = tmp_path_factory.mktemp("secret") / "mou-jica.txt"
    path.write_text(SECRET_MOU, encoding="utf-8")
    report = ingest_paths(
        Catalog(app_settings.catalog_location), app_settings, [path], classification="confidential"
    )
    assert not report.failed
    KnowledgeBase(
        Catalog(app_settings.catalog_location), app_settings.index_dir
    ).update()  # as the CLI
    return int(report.files[0].document_id or 0)


def document_id(client: TestClient, source_name: str) -> int:
    return next(
        d["id"]
        for d in client.get("/api/documents").json()["documents"]
        if d["source_name"] == source_name
    )


def partners(client: TestClient, **params: str) -> list[dict[str, object]]:
    response = client.get("/api/partners", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["partners"])


def test_the_partners_page_lists_each_foreign_partner_once_with_its_country(
    client: TestClient,
) -> None:
    listed = partners(client)
    for name, country in [
        ("Korea International Cooperation Agency (KOICA)", "Korea"),
        ("Seoul National University Hospital", "Korea"),
        ("Hospices Civils de Lyon", "France"),
        ("Institut Pasteur", "France"),
    ]:
        matches = [p for p in listed if p["name"] == name]
        assert (
            len(matches) == 1
            and matches[0]["country"] == country
            and matches[0]["side"] == "foreign"
        )


def test_which_korean_partners_work_on_infection_control(client: TestClient) -> None:
    names = {p["name"] for p in partners(client, area="infection_control", country="Korea")}
    assert names == {
        "Korea International Cooperation Agency (KOICA)",
        "Seoul National University Hospital",
    }


def test_lyon_shows_the_passage_naming_it_and_the_bach_mai_agreement(client: TestClient) -> None:
    lyon = next(p for p in partners(client, q="lyon"))
    detail = client.get(f"/api/partners/{lyon['id']}").json()
    agreement = document_id(client, "thoa-thuan-bach-mai-lyon.docx")
    assert any(
        m["document_id"] == agreement and "Hospices Civils de Lyon" in m["passage"]
        for m in detail["mentions"]
    )
    [signed] = [a for a in detail["agreements"] if a["document_id"] == agreement]
    assert signed["duration_months"] == 60
    assert {"clinical", "training"} <= set(signed["areas"])


def test_the_seoul_project_in_the_agreements_table(client: TestClient) -> None:
    rows = client.get("/api/agreements").json()["agreements"]
    seoul = next(a for a in rows if a["number"] == "2417/QĐ-SYT")
    assert (seoul["effective"], seoul["expires"]) == ("2025-06-12", "2027-06-30")
    assert any("KOICA" in " ".join(f["funders"]) for f in seoul["funding"])
    expiring = client.get("/api/agreements", params={"status": "expiring", "months": 600}).json()[
        "agreements"
    ]
    assert (seoul["document_id"] in {a["document_id"] for a in expiring}) == (
        date.today() <= date(2027, 6, 30)
    )
    assert client.get("/api/agreements", params={"status": "soon"}).status_code == 422


def test_the_agreements_table_exports_to_csv_for_the_report_to_the_city(client: TestClient) -> None:
    response = client.get("/api/agreements.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert any(
        r["foreign partners"] == "Hospices Civils de Lyon" and r["months"] == "60" for r in rows
    )


def test_the_agreements_table_exports_to_an_excel_workbook_with_the_same_filters(
    client: TestClient,
) -> None:
    response = client.get("/api/agreements.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    header, *rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    lyon = next(r for r in rows if r[header.index("foreign partners")] == "Hospices Civils de Lyon")
    assert lyon[header.index("months")] == 60
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/agreements.csv").text[1:])))
    assert len(rows) == len(csv_rows) and list(header) == list(csv_rows[0])
    korea = client.get("/api/agreements.xlsx", params={"country": "Korea"})
    _, *korean = list(load_workbook(io.BytesIO(korea.content)).active.values)
    assert [r[1] for r in korean] == ["2417/QĐ-SYT"]
    assert client.get("/api/agreements.xlsx", params={"status": "soon"}).status_code == 422


def test_plan_137_cites_decisions_missing_from_the_archive_and_the_news_cites_it(
    client: TestClient,
) -> None:
    plan = document_id(client, "kh-137-ubnd-2025-ocr.txt")
    relations = client.get(f"/api/documents/{plan}/relations").json()
    assert "5369/QD-UBND" in relations["missing"]
    assert document_id(client, "news-hanoi-kh137-2025-05-17.txt") in {
        c["document_id"] for c in relations["cited_by"]
    }
    assert {"ai", "telemedicine", "genetics"} <= {a["key"] for a in relations["areas"]}
    areas = client.get("/api/areas").json()["areas"]
    assert len(areas) >= 11 and next(a for a in areas if a["key"] == "ai")["documents"] >= 1


def test_a_reader_never_learns_of_a_partner_named_only_in_a_confidential_document(
    client: TestClient, reader: TestClient, secret_id: int
) -> None:
    jica = next(p for p in partners(client) if p["name"] == JICA)
    assert JICA not in {p["name"] for p in partners(reader)}
    assert reader.get(f"/api/partners/{jica['id']}").status_code == 404
    assert secret_id not in {
        a["document_id"] for a in reader.get("/api/agreements").json()["agreements"]
    }
    assert secret_id in {
        a["document_id"] for a in client.get("/api/agreements").json()["agreements"]
    }
    assert "JICA" not in reader.get("/api/agreements.csv").text
    so_y_te = next(p for p in partners(reader) if p["name"] == "Sở Y tế Hà Nội")
    mentions = reader.get(f"/api/partners/{so_y_te['id']}").json()["mentions"]
    assert secret_id not in {m["document_id"] for m in mentions}
    assert reader.get(f"/api/documents/{secret_id}/relations").status_code == 404


def test_a_reader_cannot_correct_the_knowledge_base(client: TestClient, reader: TestClient) -> None:
    lyon = next(p for p in partners(client, q="lyon"))
    assert reader.patch(f"/api/partners/{lyon['id']}", json={"name": "x"}).status_code == 403
    assert reader.patch("/api/areas/ai", json={"name_en": "x"}).status_code == 403


def test_a_librarian_renames_a_partner_and_removes_an_area_from_a_document(
    client: TestClient, make_token: Callable[[str, str], str]
) -> None:
    librarian = as_user(client, make_token("librarian", "internal"))
    pasteur = next(p for p in partners(librarian, q="pasteur"))
    renamed = librarian.patch(
        f"/api/partners/{pasteur['id']}",
        json={"name": "Institut Pasteur (Paris)", "confirmed": True},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Institut Pasteur (Paris)" and renamed.json()["confirmed"]
    news = document_id(client, "news-hanoi-phap-sot-xuat-huyet-2025-04-08.html")
    areas = librarian.post(
        f"/api/documents/{news}/areas", json={"area": "training", "present": False}
    )
    assert areas.status_code == 200 and "training" not in {a["key"] for a in areas.json()}
    assert client.get("/api/audit").json()["entries"][0]["action"] == "kb tag"


def test_the_knowledge_base_api_requires_credentials(client: TestClient, tmp_path: Path) -> None:
    anonymous = TestClient(client.app)
    anonymous.cookies.clear()
    for path in ("/api/partners", "/api/agreements", "/api/areas", "/api/partners/1"):
        assert anonymous.get(path).status_code == 401, path


def test_an_english_query_filtered_to_korea_returns_only_korea_related_documents(
    client: TestClient,
) -> None:
    seoul = document_id(client, "qd-2417-syt-2025-scan.pdf")
    body = client.get(
        "/api/search", params={"q": "training nurses in infection control", "country": "Korea"}
    ).json()
    assert body["results"] and {r["document_id"] for r in body["results"]} == {seoul}
    by_area = client.get("/api/search", params={"q": "gene editing", "area": "genetics"}).json()
    assert document_id(client, "kh-137-ubnd-2025-ocr.txt") in {
        r["document_id"] for r in by_area["results"]
    }
    nothing = client.get("/api/search", params={"q": "telemedicine", "country": "Atlantis"}).json()
    assert nothing["results"] == []


def test_search_counts_results_by_partner_country_and_area_and_a_facet_filters(
    client: TestClient,
) -> None:
    body = client.get("/api/search", params={"q": "hợp tác quốc tế y tế"}).json()
    facets = body["facets"]
    assert {"Korea", "France"} <= set(facets["country"])
    assert {"ai", "training"} <= set(facets["area"])
    snuh = next(
        i
        for i, name in body["partner_names"].items()
        if name == "Seoul National University Hospital"
    )
    assert facets["partner"][snuh] == 1
    assert {"type", "year", "issuer", "language"} <= set(facets)  # the engine's own facets stay
    narrowed = client.get(
        "/api/search", params={"q": "hợp tác quốc tế y tế", "partner": int(snuh)}
    ).json()
    assert {r["document_id"] for r in narrowed["results"]} == {
        document_id(client, "qd-2417-syt-2025-scan.pdf")
    }
    # the second page counts over the same hits as the first
    page_two = client.get("/api/search", params={"q": "hợp tác quốc tế y tế", "k": 2, "offset": 2})
    assert page_two.json()["facets"]["country"] == facets["country"]


def test_plan_137s_relations_name_the_news_article_as_its_twin(client: TestClient) -> None:
    plan = document_id(client, "kh-137-ubnd-2025-ocr.txt")
    news = document_id(client, "news-hanoi-kh137-2025-05-17.txt")
    [twin] = client.get(f"/api/documents/{plan}/relations").json()["twins"]
    assert (twin["document_id"], twin["kind"], twin["direction"]) == (news, "about", "reported_by")


def test_a_librarian_enters_the_lyon_agreements_signing_date_and_it_gets_an_expiry(
    client: TestClient, reader: TestClient, make_token: Callable[[str, str], str], app_settings
) -> None:
    lyon = document_id(client, "thoa-thuan-bach-mai-lyon.docx")
    before = next(
        a for a in client.get("/api/agreements").json()["agreements"] if a["document_id"] == lyon
    )
    assert before["duration_months"] == 60 and before["expires"] is None  # "5 năm kể từ ngày ký"
    assert reader.patch(f"/api/agreements/{lyon}", json={"signed": "2025-03-18"}).status_code == 403
    librarian = as_user(client, make_token("librarian", "internal"))
    fixed = librarian.patch(f"/api/agreements/{lyon}", json={"signed": "2025-03-18"})
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["signed"], fixed.json()["expires"]) == ("2025-03-18", "2030-03-18")
    assert librarian.patch(f"/api/agreements/{lyon}", json={"signed": "soon"}).status_code == 422
    rebuild(Catalog(app_settings.catalog_location), app_settings.index_dir)  # hoptac kb rebuild
    after = next(
        a for a in client.get("/api/agreements").json()["agreements"] if a["document_id"] == lyon
    )
    assert after["expires"] == "2030-03-18"


def test_the_area_phrases_are_embedded_at_start_so_no_request_pays_for_it(
    sample_data_dir: Path, model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    settings = Settings(data_dir=data, model=str(model_dir), allowed_hosts=["testserver"])
    with TestClient(create_app(settings, worker=False)) as started:  # start-up, no request yet
        embedder = started.app.state.engine.embedder

        def no_embedding(texts: list[str]) -> None:
            raise AssertionError(f"a request embedded {len(texts)} area phrases")

        monkeypatch.setattr(embedder, "embed_queries", no_embedding)
        report = rebuild(Catalog(settings.catalog_location), settings.index_dir, embedder)
        assert report.used_vectors  # areas compared by meaning, from the vectors made at start


def test_the_knowledge_base_contract_is_documented_on_the_api_page(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    relations = paths["/api/documents/{document_id}/relations"]["get"]["responses"]
    assert relations["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/DocumentRelations"
    )
    assert relations["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert {"twins", "cites", "missing", "cited_by"} <= set(
        schemas["DocumentRelations"]["properties"]
    )
    assert {"kind", "direction", "evidence"} <= set(schemas["TwinOut"]["properties"])
    assert "timeline" in schemas["PartnerDetail"]["properties"]
    xlsx = paths["/api/agreements.xlsx"]["get"]
    assert {p["name"] for p in xlsx["parameters"]} >= {
        "status",
        "months",
        "partner",
        "country",
        "area",
    }
    assert (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        in xlsx["responses"]["200"]["content"]
    )
    assert "/api/agreements/{document_id}" in paths


def test_a_librarian_adds_an_area_and_its_documents_are_tagged_after_the_answer(
    client: TestClient, make_token: Callable[[str, str], str]
) -> None:
    """The answer does not wait for every document to be tagged again (in a large archive that
    is minutes): the re-tagging runs after it, and the dengue article then carries the area."""
    librarian = as_user(client, make_token("librarian", "internal"))
    added = librarian.post(
        "/api/areas",
        json={
            "key": "dengue",
            "name_vi": "Sốt xuất huyết",
            "name_en": "Dengue",
            "keywords": ["sốt xuất huyết", "dengue"],
        },
    )
    assert added.status_code == 201, added.text
    assert added.json()["key"] == "dengue"
    news = document_id(client, "news-hanoi-phap-sot-xuat-huyet-2025-04-08.html")
    relations = client.get(f"/api/documents/{news}/relations").json()
    assert "dengue" in {a["key"] for a in relations["areas"]}
    dengue = next(a for a in client.get("/api/areas").json()["areas"] if a["key"] == "dengue")
    assert dengue["documents"] >= 1
    assert client.get("/api/audit").json()["entries"][0]["action"] == "kb add area"
