"""Keeping the indexes current costs what changed: one document in, one document out, a title
corrected (nothing), while searches read the last published snapshot and never wait."""

from __future__ import annotations

from pathlib import Path

import pytest

import search.vectors as vectors_module
from catalog import Catalog, Chunk, DocumentMetadata, NewDocument, Page
from hoptac.settings import Settings
from models import Embedder
from search import SearchEngine
from search.snapshot import Manifest

pytestmark = pytest.mark.slow

DOCUMENTS = {
    "vaccine": [
        "Quyết định phê duyệt chương trình tiêm chủng mở rộng cho trẻ em dưới 5 tuổi.",
        "Kinh phí tiêm chủng do ngân sách thành phố bảo đảm.",
    ],
    "telehealth": [
        "Bệnh viện Bạch Mai hội chẩn từ xa với bệnh viện tuyến tỉnh.",
        "Telemedicine consultations between Bach Mai hospital and provincial hospitals.",
    ],
    "doctors": ["Kế hoạch đào tạo bác sĩ gia đình năm 2025 của Sở Y tế Hà Nội."],
}


def document(key: str) -> NewDocument:
    texts = DOCUMENTS[key]
    return NewDocument(
        source_key=key,
        source_name=f"{key}.pdf",
        content_hash=key,
        kind="pdf",
        stored_file=key,
        size_bytes=10,
        metadata=DocumentMetadata(title=key, languages=["vi"]),
        pages=[Page(i + 1, t, "text") for i, t in enumerate(texts)],
        chunks=[Chunk(i, t, "", i + 1, i + 1, "vi") for i, t in enumerate(texts)],
    )


@pytest.fixture
def library(tmp_path: Path, model_dir: Path) -> tuple[Settings, Catalog]:
    # Stories about the index files: on PostgreSQL too they run with the files store.
    settings = Settings(data_dir=tmp_path / "data", model=str(model_dir), index_store="files")
    return settings, Catalog(settings.catalog_location)


def sources(engine: SearchEngine, query: str) -> list[str]:
    return [hit.source for hit in engine.search(query).results]


def test_a_new_document_is_embedded_alone_and_a_reader_finds_it_without_syncing(
    library: tuple[Settings, Catalog], embedder: Embedder
) -> None:
    settings, catalog = library
    catalog.store(document("vaccine"))
    worker = SearchEngine(settings, catalog, embedder=embedder)
    assert worker.sync().added == 2
    server = SearchEngine(settings, catalog, embedder=embedder, writes_index=False)
    assert "telehealth.pdf" not in sources(server, "hội chẩn từ xa")
    catalog.store(document("telehealth"))
    assert server.lag() == 2
    report = worker.sync()
    assert (report.added, report.removed, report.total) == (2, 0, 4)
    assert sources(server, "hội chẩn từ xa")[0] == "telehealth.pdf"  # no sync on the server
    assert server.lag() == 0


def test_a_metadata_correction_touches_no_index(
    library: tuple[Settings, Catalog], embedder: Embedder
) -> None:
    settings, catalog = library
    document_id, _ = catalog.store(document("vaccine"))
    worker = SearchEngine(settings, catalog, embedder=embedder)
    worker.sync()
    before = Manifest.read(settings.index_dir)
    catalog.correct(document_id, {"title": "Tiêm chủng mở rộng"})
    report = worker.sync()
    assert (report.added, report.removed) == (0, 0)
    assert Manifest.read(settings.index_dir) == before
    assert worker.search("tiêm chủng").results[0].title == "Tiêm chủng mở rộng"


def test_a_deleted_document_leaves_a_reader_at_once_and_the_next_sync_masks_it(
    library: tuple[Settings, Catalog], embedder: Embedder
) -> None:
    settings, catalog = library
    vaccine, _ = catalog.store(document("vaccine"))
    catalog.store(document("telehealth"))
    worker = SearchEngine(settings, catalog, embedder=embedder)
    worker.sync()
    server = SearchEngine(settings, catalog, embedder=embedder, writes_index=False)
    assert sources(server, "tiêm chủng")[0] == "vaccine.pdf"
    catalog.delete(vaccine)
    assert "vaccine.pdf" not in sources(server, "tiêm chủng")  # the catalog is the truth
    report = worker.sync()
    assert (report.added, report.removed, report.total) == (0, 2, 2)
    assert "vaccine.pdf" not in sources(server, "tiêm chủng")


def test_a_sync_killed_before_it_published_is_replayed_by_the_next(
    library: tuple[Settings, Catalog], embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, catalog = library
    catalog.store(document("vaccine"))
    SearchEngine(settings, catalog, embedder=embedder).sync()
    catalog.store(document("doctors"))

    def killed(self: Manifest, folder: Path) -> None:
        raise KeyboardInterrupt("killed while publishing")

    with monkeypatch.context() as patch:
        patch.setattr(Manifest, "publish", killed)
        with pytest.raises(KeyboardInterrupt):
            SearchEngine(settings, catalog, embedder=embedder).sync()
    restarted = SearchEngine(settings, catalog, embedder=embedder)
    assert restarted.sync().added == 1
    assert sources(restarted, "bác sĩ gia đình")[0] == "doctors.pdf"


def test_start_up_reads_no_chunk_text(
    library: tuple[Settings, Catalog], embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, catalog = library
    catalog.store(document("vaccine"))
    SearchEngine(settings, catalog, embedder=embedder).sync()

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("start-up read every chunk")

    monkeypatch.setattr(Catalog, "iter_chunks", forbidden)
    server = SearchEngine(settings, catalog, embedder=embedder, writes_index=False)
    assert sources(server, "tiêm chủng")[0] == "vaccine.pdf"


def test_after_adds_deletes_and_merges_ranking_equals_a_fresh_rebuild(
    library: tuple[Settings, Catalog],
    embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(vectors_module, "COMPACT_MIN", 3)
    settings, catalog = library
    worker = SearchEngine(settings, catalog, embedder=embedder)
    vaccine, _ = catalog.store(document("vaccine"))
    worker.sync()
    catalog.store(document("telehealth"))
    worker.sync()  # 2 new passages in the delta
    catalog.store(document("doctors"))
    catalog.delete(vaccine)
    worker.sync()  # 3 pending: delta merged into a new base
    manifest = Manifest.read(settings.index_dir)
    assert manifest is not None and manifest.base == manifest.delta
    fresh_settings = Settings(
        data_dir=tmp_path / "fresh", model=settings.model, index_store="files"
    )
    fresh_catalog = Catalog(fresh_settings.catalog_location)
    for key in ("telehealth", "doctors"):
        fresh_catalog.store(document(key))
    fresh = SearchEngine(fresh_settings, fresh_catalog, embedder=embedder)
    for query in ("hội chẩn từ xa", "bac si gia dinh", "telemedicine", "tiêm chủng"):
        mine, theirs = worker.rank(query), fresh.rank(query)
        assert [round(s, 5) for s in mine[1].values()] == [
            round(s, 5) for s in theirs[1].values()
        ], query


def test_chunks_the_change_log_never_saw_are_still_found_by_comparing_ids(
    library: tuple[Settings, Catalog], embedder: Embedder
) -> None:
    settings, catalog = library
    catalog.store(document("vaccine"))
    worker = SearchEngine(settings, catalog, embedder=embedder)
    worker.sync()
    catalog.store(document("doctors"))
    catalog.forget_changes(catalog.change_seq())  # as if the log had been lost
    report = worker.sync()
    assert (report.added, report.total) == (1, 3)
    assert sources(worker, "bác sĩ gia đình")[0] == "doctors.pdf"
