"""Stories of the search indexes kept in the PostgreSQL catalog (``index_store = database``):
servers share them, keep nothing locally, filter inside the query and refuse another model's
vectors. They need PostgreSQL: run with ``HOPTAC_TEST_DATABASE=postgres``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from catalog import Catalog, Chunk, DocumentFilter, DocumentMetadata, NewDocument, Page
from hoptac.errors import IndexMismatch, InvalidInput
from hoptac.settings import Settings
from models import Embedder
from search.database import DatabaseStore
from search.engine import SearchEngine
from tests.conftest import TEST_DATABASE

postgres = pytest.mark.skipif(TEST_DATABASE != "postgres", reason="needs PostgreSQL")


def document(key: str, text: str, classification: str = "internal") -> NewDocument:
    return NewDocument(
        source_key=key,
        source_name=f"{key}.pdf",
        content_hash=f"hash-{key}",
        kind="pdf",
        stored_file=f"{key}.pdf",
        size_bytes=len(text),
        metadata=DocumentMetadata(title=key, languages=["vi"]),
        pages=[Page(number=1, text=text, method="text")],
        chunks=[Chunk(0, text, "", 1, 1, language="vi")],
        classification=classification,
    )


def settings_for(data_dir: Path, model_dir: Path, **extra: str) -> Settings:
    return Settings(data_dir=data_dir, model=str(model_dir), **extra)  # type: ignore[arg-type]


@postgres
def test_a_document_ingested_through_one_server_is_found_by_another_without_index_files(
    tmp_path: Path, model_dir: Path, embedder: Embedder
) -> None:
    worker_settings = settings_for(tmp_path / "worker", model_dir)
    shared = worker_settings.catalog_location  # one PostgreSQL database for both servers
    worker_catalog = Catalog(shared)
    worker = SearchEngine(worker_settings, worker_catalog, embedder=embedder)
    web_settings = settings_for(tmp_path / "web", model_dir)
    web_catalog = Catalog(shared)
    web = SearchEngine(web_settings, web_catalog, embedder=embedder, writes_index=False)
    assert web.search("tiêm chủng").results == []

    worker_catalog.store(
        document("qd-vaccine", "Quyết định phê duyệt chương trình tiêm chủng mở rộng cho trẻ em.")
    )
    assert web.lag() == 1  # committed, not embedded yet: not searchable anywhere
    report = worker.sync()
    assert report.added == 1 and web.lag() == 0

    hits = web.search("tiêm chủng trẻ em").results
    assert [h.source for h in hits] == ["qd-vaccine.pdf"]
    assert not web_settings.index_dir.exists() and not worker_settings.index_dir.exists()

    # A server started now answers at once, from the database.
    late = SearchEngine(
        settings_for(tmp_path / "late", model_dir),
        Catalog(shared),
        embedder=embedder,
        writes_index=False,
    )
    assert late.search("tiem chung").results[0].source == "qd-vaccine.pdf"

    worker_catalog.delete(hits[0].document_id)
    assert web.search("tiêm chủng trẻ em").results == []
    assert worker.sync().removed == 1


@postgres
def test_a_reader_without_clearance_never_receives_a_confidential_passage_from_the_query(
    tmp_path: Path, model_dir: Path, embedder: Embedder
) -> None:
    settings = settings_for(tmp_path / "data", model_dir)
    catalog = Catalog(settings.catalog_location)
    text = "Hợp đồng mua sắm trang thiết bị y tế với đối tác Nhật Bản, giá {n} tỷ đồng."
    for n in range(40):  # the nearest passages are all confidential
        catalog.store(document(f"secret-{n}", text.format(n=n), "confidential"))
    for key, words in (("plan", "Kế hoạch đào tạo điều dưỡng"), ("news", "Tin tức bệnh viện")):
        catalog.store(document(key, words, "internal"))
    engine = SearchEngine(settings, catalog, embedder=embedder)
    engine.sync()
    store = engine.store
    assert isinstance(store, DatabaseStore)
    query = embedder.embed_queries([text.format(n=7)])[0]

    # The query itself filters: asked for 10, it returns the only 2 passages the reader may see
    # (the index scan goes on past the confidential ones instead of returning an empty page).
    reader = DocumentFilter(max_classification="internal")
    where, params = catalog.document_where(reader)
    ids, _ = store.vector_index().nearest(query, 10, where, params)
    allowed = {
        c.id for key in ("plan", "news") for c in catalog.chunks(catalog.find_by_source(key) or 0)
    }
    assert set(ids.tolist()) == allowed

    found = store.candidates(lambda: query, text.format(n=7), reader, 100)
    assert found is not None and set(found.ids.tolist()) <= allowed
    hits = engine.search(text.format(n=7), filters=reader).results
    assert {h.source for h in hits} == {"plan.pdf", "news.pdf"}
    # Cleared, the same query finds the confidential passages first.
    cleared = engine.search(
        text.format(n=7), filters=DocumentFilter(max_classification="confidential")
    )
    assert cleared.results[0].source == "secret-7.pdf"


@postgres
def test_vectors_of_another_model_are_refused_until_reindex(
    tmp_path: Path, model_dir: Path, embedder: Embedder
) -> None:
    settings = settings_for(tmp_path / "data", model_dir)
    catalog = Catalog(settings.catalog_location)
    catalog.store(document("qd-vaccine", "Chương trình tiêm chủng mở rộng cho trẻ em."))
    SearchEngine(settings, catalog, embedder=embedder).sync()
    with catalog.transaction(documents_changed=False) as conn:  # as if another model made them
        conn.execute("UPDATE vector_model SET model = 'another-model', fingerprint = '0123'")
        conn.execute("UPDATE lexicon_totals SET chunks = 99")  # and term statistics gone astray

    reopened = SearchEngine(settings, catalog, embedder=embedder, writes_index=False)
    with pytest.raises(IndexMismatch, match="hoptac reindex"):
        reopened.search("tiêm chủng")
    writer = SearchEngine(settings, catalog, embedder=embedder)
    with pytest.raises(IndexMismatch):
        writer.sync()
    report = writer.reindex()
    assert report.added == 1 and report.total == 1
    assert reopened.search("tiêm chủng").results[0].source == "qd-vaccine.pdf"
    row = catalog.query("SELECT fingerprint FROM vector_model")[0]
    assert row[0] == embedder.fingerprint
    assert catalog.query("SELECT chunks FROM lexicon_totals")[0][0] == 1  # counted again


@postgres
def test_the_database_gives_fusion_the_evidence_the_files_give(
    tmp_path: Path, model_dir: Path, embedder: Embedder
) -> None:
    settings = settings_for(tmp_path / "data", model_dir)
    catalog = Catalog(settings.catalog_location)
    texts = [
        "Kế hoạch hợp tác quốc tế trong lĩnh vực y tế của thành phố Hà Nội năm 2025.",
        "Hop tac quoc te ve dao tao bac si noi tru tai benh vien.",
        "Artificial intelligence improves the reading of chest X-ray images in Hanoi hospitals.",
        "Quyết định phê duyệt chương trình tiêm chủng mở rộng cho trẻ em dưới 5 tuổi, y tế.",
    ]
    for n, text in enumerate(texts):
        catalog.store(document(f"d{n}", text))
    in_database = SearchEngine(settings, catalog, embedder=embedder)
    in_files = SearchEngine(
        settings.model_copy(update={"index_store": "files"}), catalog, embedder=embedder
    )
    for query in ("hợp tác quốc tế y tế", "hop tac y te", "chest X-ray", "tiêm chủng y tế"):
        a, b = in_database.candidates(query), in_files.candidates(query)
        assert a is not None and b is not None
        db = dict(zip(a[1].ids.tolist(), zip(a[1].lexical, a[1].dense, strict=True), strict=True))
        files = dict(
            zip(b[1].ids.tolist(), zip(b[1].lexical, b[1].dense, strict=True), strict=True)
        )
        assert set(db) == set(files)
        for chunk_id, (lexical, dense) in files.items():
            assert db[chunk_id][0] == pytest.approx(lexical, abs=1e-5)  # the same BM25 share
            assert db[chunk_id][1] == pytest.approx(dense, abs=2e-3)  # half-precision vectors
        assert np.any(a[1].lexical > 0)


def test_the_database_store_needs_a_postgresql_catalog(
    tmp_path: Path, model_dir: Path, embedder: Embedder
) -> None:
    if TEST_DATABASE == "postgres":
        pytest.skip("about an SQLite catalog")
    settings = settings_for(tmp_path / "data", model_dir, index_store="database")
    with pytest.raises(InvalidInput, match="PostgreSQL"):
        SearchEngine(settings, Catalog(settings.catalog_location), embedder=embedder)
