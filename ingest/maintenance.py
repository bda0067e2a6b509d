"""Keeping a data directory sound: a consistent backup while the server runs, and a check.

The catalog is the one thing that cannot be rebuilt: the vector index is derived from it and the
originals are stored under their content hash. A backup is therefore the catalog (copied with
SQLite's online backup API, a consistent snapshot even while an ingest writes) plus the originals
that snapshot refers to; the index is rebuilt on first start from the backup.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from catalog import Catalog
from hoptac.errors import CatalogDamaged, InvalidInput
from hoptac.settings import Settings
from ingest.pipeline import file_hash

#: Unreferenced originals younger than this may belong to an ingest about to commit: kept.
ORPHAN_MIN_AGE_SECONDS = 3600


@dataclass
class BackupReport:
    """What a backup holds; ``missing`` lists originals the catalog names but the disk lacks."""

    destination: Path
    documents: int
    files: int
    missing: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    """What ``check`` found and what it repaired; ``problems`` are what it could not repair."""

    documents: int = 0
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


def backup(settings: Settings, destination: Path) -> BackupReport:
    """Copy the catalog (online backup) and its originals into ``destination``, a new folder.

    Safe while the server or an ingest runs: the catalog copy is one consistent snapshot, and
    originals are immutable once stored, so the files it names can be copied after it.
    """
    if destination.exists() and any(destination.iterdir()):
        raise InvalidInput(f"{destination} is not empty; back up into a new or empty folder")
    if not isinstance(settings.catalog_location, Path):
        raise InvalidInput(
            "the catalog is in PostgreSQL (HOPTAC_DATABASE_URL): back it up with pg_dump, "
            f"and copy {settings.files_dir} beside it"
        )
    if not settings.catalog_path.is_file():
        raise InvalidInput(f"there is no catalog at {settings.catalog_path} to back up")
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / settings.catalog_path.name
    source = sqlite3.connect(settings.catalog_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        stored = [
            row[0] for row in copy.execute("SELECT DISTINCT stored_file FROM document_versions")
        ]
        documents = int(copy.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise CatalogDamaged(settings.catalog_path, error) from error
    finally:
        copy.close()
        source.close()
    report = BackupReport(destination, documents, 0)
    for relative in stored:
        original = settings.data_dir / relative
        if not original.is_file():
            report.missing.append(relative)
            continue
        (destination / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(original, destination / relative)
        report.files += 1
    return report


def check(catalog: Catalog, settings: Settings) -> CheckReport:
    """Verify the catalog's integrity and that every original it names is on disk, unchanged.

    Repairs what is safe to repair: runs left open by a killed process are marked interrupted,
    and files under ``files/`` that no document refers to (left by a crash before a commit) are
    removed once they are an hour old (a younger one may belong to an ingest about to commit). The search index is the caller's to reconcile (``SearchEngine.sync``).
    """
    report = CheckReport()
    integrity = catalog.integrity_problems()
    if integrity:
        report.problems.append(
            f"the catalog {settings.catalog_path} fails SQLite's integrity check "
            f"({'; '.join(integrity[:3])}); restore the latest backup"
        )
        return report
    for run_id in catalog.mark_interrupted_runs():
        report.repaired.append(
            f"ingest run {run_id} was left open by a killed process: marked interrupted"
        )
    report.documents = catalog.counts()[0]
    in_use = set()
    for document_id, version, content_hash, stored in catalog.stored_versions():
        in_use.add(stored)
        path = settings.data_dir / stored
        what = f"the original of document {document_id} (version {version}), {stored},"
        if not path.is_file():
            report.problems.append(f"{what} is missing; restore it from a backup or re-ingest it")
            continue
        report.files_checked += 1
        if file_hash(path) != content_hash:
            report.problems.append(f"{what} has changed on disk; restore it from a backup")
    if settings.files_dir.is_dir():
        for path in sorted(settings.files_dir.rglob("*")):
            relative = path.relative_to(settings.data_dir).as_posix()
            old = time.time() - path.stat().st_mtime > ORPHAN_MIN_AGE_SECONDS
            if path.is_file() and relative not in in_use and old:
                path.unlink()
                report.repaired.append(f"removed {relative}, which no document refers to")
    return report
