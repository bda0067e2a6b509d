"""The catalog keeps documents whole: versions, corrections, deletes, filters, atomic writes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from catalog import Catalog, Chunk, DocumentFilter, DocumentMetadata, NewDocument, Page
from hoptac.errors import CatalogDamaged, InvalidInput, NotFound
from hoptac.settings import Settings

#: What either database raises for a value it cannot store.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)
try:
    import psycopg

    DATABASE_ERRORS += (psycopg.Error,)
except ImportError:  # SQLite only
    pass


def new_document(
    source: str = "/archive/kh-137.pdf", content_hash: str = "aa11", **meta: str
) -> NewDocument:
    metadata = DocumentMetadata(
        title="Kế hoạch hợp tác quốc tế",
        number="137/KH-UBND",
        doc_type="Kế hoạch",
        issuer="UBND thành phố Hà Nội",
        issue_date="2025-05-15",
        languages=["vi"],
    )
    for key, value in meta.items():
        setattr(metadata, key, value)
    pages = [Page(1, "Trang một", "text"), Page(2, "Trang hai", "ocr", 0.91, stripped_score=0.8)]
    chunks = [
        Chunk(0, "I. MỤC ĐÍCH", "I. MỤC ĐÍCH", 1, 1, "vi"),
        Chunk(1, "1.1. Trí tuệ nhân tạo", "II. NỘI DUNG > 1.1. Trí tuệ nhân tạo", 1, 2, "vi"),
    ]
    return NewDocument(
        source_key=source,
        source_name=Path(source).name,
        content_hash=content_hash,
        kind="pdf",
        stored_file=f"files/{content_hash}.pdf",
        size_bytes=100,
        metadata=metadata,
        pages=pages,
        chunks=chunks,
    )


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return Catalog(Settings(data_dir=tmp_path).catalog_location)


def test_a_stored_document_comes_back_with_its_pages_and_chunks(catalog: Catalog) -> None:
    document_id, version = catalog.store(new_document())
    doc = catalog.get_document(document_id)
    assert (version, doc.number, doc.page_count, doc.languages) == (1, "137/KH-UBND", 2, ["vi"])
    assert [p.method for p in catalog.pages(document_id)] == ["text", "ocr"]
    sections = [c.section for c in catalog.chunks(document_id)]
    assert sections == ["I. MỤC ĐÍCH", "II. NỘI DUNG > 1.1. Trí tuệ nhân tạo"]
    assert len(catalog.chunk_ids()) == 2


def test_changed_bytes_at_the_same_source_become_a_new_version_with_fresh_chunks(
    catalog: Catalog,
) -> None:
    first_id, _ = catalog.store(new_document(content_hash="v1"))
    old_chunks = catalog.chunk_ids()
    second_id, version = catalog.store(new_document(content_hash="v2"))
    assert (second_id, version) == (first_id, 2)
    assert catalog.chunk_ids().isdisjoint(old_chunks), "chunk ids are never reused"
    assert catalog.find_by_hash("v2") == first_id
    assert catalog.stored_files(first_id) == {"files/v1.pdf", "files/v2.pdf"}


def test_a_librarians_correction_survives_re_ingest(catalog: Catalog) -> None:
    document_id, _ = catalog.store(new_document(content_hash="v1"))
    catalog.correct(document_id, {"issuer": "Sở Y tế Hà Nội", "technology_area": "AI"})
    catalog.store(new_document(content_hash="v2"))
    doc = catalog.get_document(document_id)
    assert (doc.issuer, doc.technology_area, doc.version) == ("Sở Y tế Hà Nội", "AI", 2)
    assert doc.corrected == ["issuer", "technology_area"]


def test_only_known_fields_can_be_corrected(catalog: Catalog) -> None:
    document_id, _ = catalog.store(new_document())
    with pytest.raises(InvalidInput, match="content_hash"):
        catalog.correct(document_id, {"content_hash": "x"})
    with pytest.raises(NotFound):
        catalog.correct(999, {"title": "x"})


def test_delete_removes_the_document_its_pages_and_chunks(catalog: Catalog) -> None:
    keep, _ = catalog.store(new_document("/a.pdf", "h1"))
    gone, _ = catalog.store(new_document("/b.pdf", "h2"))
    catalog.delete(gone)
    assert [d.id for d in catalog.list_documents()] == [keep]
    assert catalog.pages(gone) == [] and catalog.chunks(gone) == []
    assert {c.document_id for c in catalog.chunks_by_ids(sorted(catalog.chunk_ids()))} == {keep}
    with pytest.raises(NotFound):
        catalog.get_document(gone)


def test_filters_match_without_accents(catalog: Catalog) -> None:
    plan, _ = catalog.store(new_document("/plan.pdf", "h1"))
    paper, _ = catalog.store(
        new_document(
            "/paper.pdf",
            "h2",
            doc_type="paper",
            issuer="Seoul National University",
            issue_date="2024-03-01",
        )
    )
    assert catalog.document_ids(DocumentFilter(doc_type="ke hoach")) == {plan}
    assert catalog.document_ids(DocumentFilter(issuer="ha noi")) == {plan}
    assert catalog.document_ids(DocumentFilter(date_to="2024-12-31")) == {paper}
    assert catalog.document_ids(DocumentFilter(language="vi", document_ids=(paper,))) == {paper}


def test_a_failure_mid_write_leaves_no_half_document(catalog: Catalog) -> None:
    broken = new_document()
    broken.chunks[1].section = object()  # type: ignore[assignment]  # cannot be stored
    before = catalog.generation()
    with pytest.raises(DATABASE_ERRORS):
        catalog.store(broken)
    assert catalog.list_documents() == []
    assert catalog.chunk_ids() == set()
    assert catalog._conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    assert catalog.generation() == before


def test_ingest_runs_record_each_file(catalog: Catalog) -> None:
    run = catalog.start_run()
    catalog.record_file(run, "a.pdf", "ingested", 1, None, 0.5)
    catalog.record_file(run, "b.pdf", "failed", None, "not a PDF (it is a PNG image)", 0.1)
    catalog.finish_run(run)
    [latest] = catalog.runs(1)
    assert latest.finished_at is not None
    assert [(f.path, f.status, f.reason) for f in latest.files] == [
        ("a.pdf", "ingested", None),
        ("b.pdf", "failed", "not a PDF (it is a PNG image)"),
    ]


def test_a_run_whose_process_was_killed_is_marked_interrupted_when_the_next_run_starts(
    catalog: Catalog,
) -> None:
    killed = catalog.start_run()
    catalog.record_file(killed, "a.pdf", "ingested", 1, None, 0.5)
    dead_pid = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    catalog._conn.execute(
        "UPDATE ingest_runs SET owner = ? WHERE id = ?", (f"{int(dead_pid)}:token", killed)
    )
    catalog.start_run()
    statuses = {run.id: run.status for run in catalog.runs(2)}
    assert statuses[killed] == "interrupted"


def test_a_run_left_by_an_earlier_process_with_this_pid_is_interrupted(catalog: Catalog) -> None:
    run = catalog.start_run()
    catalog._conn.execute(
        "UPDATE ingest_runs SET owner = ? WHERE id = ?", (f"{os.getpid()}:old-server", run)
    )
    assert catalog.mark_interrupted_runs() == [run]


def test_runs_of_this_and_of_another_live_process_are_left_running(catalog: Catalog) -> None:
    mine, theirs = catalog.start_run(), catalog.start_run()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        catalog._conn.execute(
            "UPDATE ingest_runs SET owner = ? WHERE id = ?", (f"{other.pid}:cli", theirs)
        )
        assert catalog.mark_interrupted_runs() == []
    finally:
        other.kill()
        other.wait()
    assert {run.status for run in catalog.runs(2)} == {"running"}
    catalog.finish_run(mine)
    assert catalog.runs(2)[1].status == "finished"


@pytest.mark.sqlite_only
def test_a_catalog_from_before_run_statuses_opens_and_its_open_runs_become_interrupted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE ingest_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT "
            "NULL, finished_at TEXT); CREATE TABLE ingest_files (run_id INTEGER NOT NULL, path "
            "TEXT NOT NULL, status TEXT NOT NULL, document_id INTEGER, reason TEXT, seconds REAL);"
            "INSERT INTO ingest_runs VALUES (1, '2025-01-01', '2025-01-01'), (2, '2025-01-02', NULL);"
            "INSERT INTO ingest_files VALUES (1, 'a.txt', 'ingested', 1, NULL, 0.1);"
        )
    catalog = Catalog(path)
    catalog.start_run()
    runs = {run.id: run for run in catalog.runs(3)}
    assert runs[1].status == "finished" and runs[1].files[0].warnings == []
    assert runs[2].status == "interrupted"


@pytest.mark.sqlite_only
def test_a_damaged_catalog_is_named_with_the_way_to_recover(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CatalogDamaged, match=r"catalog\.sqlite3.*restore the latest backup"):
        Catalog(path)


def test_the_place_and_cited_numbers_are_kept_and_a_corrected_place_survives_re_ingest(
    catalog: Catalog,
) -> None:
    first = new_document(content_hash="v1", place="Hà Nội")
    first.metadata.references = ["5369/QĐ-UBND", "43/KH-UBND"]
    document_id, _ = catalog.store(first)
    doc = catalog.get_document(document_id)
    assert (doc.place, doc.references) == ("Hà Nội", ["5369/QĐ-UBND", "43/KH-UBND"])
    catalog.correct(document_id, {"place": "Thành phố Hà Nội"})
    catalog.store(new_document(content_hash="v2", place="Ha Noi"))
    doc = catalog.get_document(document_id)
    assert (doc.place, doc.references, doc.corrected) == ("Thành phố Hà Nội", [], ["place"])


def test_a_page_keeps_which_reading_won_and_why(catalog: Catalog) -> None:
    new = new_document()
    new.pages[1] = Page(2, "Trang hai", "ocr", 0.91, "text layer looks garbled (...)", 0.4, 0.02)
    document_id, _ = catalog.store(new)
    clean, scanned = catalog.pages(document_id)
    assert (clean.source_reason, clean.text_layer_garbled, clean.ocr_garbled) == (None, None, None)
    assert scanned.source_reason == "text layer looks garbled (...)"
    assert (scanned.text_layer_garbled, scanned.ocr_garbled) == (0.4, 0.02)


@pytest.mark.sqlite_only
def test_a_catalog_from_before_places_and_page_sources_opens_with_its_documents(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    document_id, _ = Catalog(path).store(new_document())
    with sqlite3.connect(path) as conn:  # the catalog as the previous release left it
        for table, column in (
            ("documents", "place"),
            ("documents", '"references"'),
            ("pages", "source_reason"),
            ("pages", "text_layer_garbled"),
            ("pages", "ocr_garbled"),
        ):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    catalog = Catalog(path)
    doc = catalog.get_document(document_id)
    assert (doc.number, doc.place, doc.references) == ("137/KH-UBND", None, [])
    assert [p.source_reason for p in catalog.pages(document_id)] == [None, None]
    catalog.correct(document_id, {"place": "Hà Nội"})
    assert Catalog(path).get_document(document_id).place == "Hà Nội"
