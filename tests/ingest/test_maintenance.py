"""A records office backs up while staff work, and checks that nothing was lost or changed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from catalog import Catalog
from hoptac.errors import InvalidInput
from hoptac.settings import Settings
from ingest.maintenance import backup, check
from ingest.pipeline import ingest_paths

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NEWS = "news-hanoi-kh137-2025-05-17.txt"


@pytest.fixture
def library(tmp_path: Path) -> tuple[Settings, Catalog]:
    settings = Settings(data_dir=tmp_path / "data", restore_diacritics=False)
    catalog = Catalog(settings.catalog_location)
    shutil.copy(CORPUS / NEWS, tmp_path / NEWS)
    (tmp_path / "cong-van.txt").write_text("Công văn về hội thảo dinh dưỡng lâm sàng.")
    report = ingest_paths(catalog, settings, [tmp_path / NEWS, tmp_path / "cong-van.txt"])
    assert not report.failed
    return settings, catalog


@pytest.mark.sqlite_only
def test_a_backup_taken_while_an_ingest_writes_holds_the_committed_documents(
    library: tuple[Settings, Catalog], tmp_path: Path
) -> None:
    settings, _ = library
    writer = sqlite3.connect(settings.catalog_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an ingest in the middle of its transaction
    writer.execute("DELETE FROM documents")
    report = backup(settings, tmp_path / "backup")
    writer.execute("ROLLBACK")
    assert report.documents == 2 and report.files == 2 and report.missing == []
    copy = Catalog(tmp_path / "backup" / "catalog.sqlite3")
    assert len(copy.list_documents()) == 2
    for doc in copy.list_documents():
        assert (tmp_path / "backup" / doc.stored_file).is_file()


def test_a_backup_refuses_a_folder_that_is_not_empty(
    library: tuple[Settings, Catalog], tmp_path: Path
) -> None:
    settings, _ = library
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(InvalidInput, match="not empty"):
        backup(settings, tmp_path / "full")


def test_check_finds_a_sound_library_sound(library: tuple[Settings, Catalog]) -> None:
    report = check(library[1], library[0])
    assert report.documents == 2 and report.files_checked == 2
    assert report.problems == [] and report.repaired == []


def test_check_names_a_missing_or_changed_original_and_removes_old_leftovers(
    library: tuple[Settings, Catalog],
) -> None:
    settings, catalog = library
    first, second = catalog.list_documents()
    (settings.data_dir / first.stored_file).unlink()
    (settings.data_dir / second.stored_file).write_text("changed")
    leftover = settings.files_dir / "ab" / ".incoming-x"
    leftover.parent.mkdir(exist_ok=True)
    leftover.write_text("half a copy")
    an_hour_ago = time.time() - 4000
    os.utime(leftover, (an_hour_ago, an_hour_ago))
    fresh = settings.files_dir / "ab" / ".incoming-y"  # an ingest about to commit: kept
    fresh.write_text("copying")
    report = check(catalog, settings)
    assert [p.split(",")[-1].strip() for p in report.problems] == [
        "is missing; restore it from a backup or re-ingest it",
        "has changed on disk; restore it from a backup",
    ]
    assert report.repaired == ["removed files/ab/.incoming-x, which no document refers to"]
    assert fresh.exists()
