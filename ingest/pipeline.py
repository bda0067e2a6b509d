"""The ingestion pipeline: file -> pages -> normalised text -> chunks -> metadata -> catalog.

One file is one transaction in the catalog; the original is stored content-addressed in the data
directory before that transaction, so a crash leaves at worst an unreferenced copy, never a half
document. Re-ingesting the same bytes does nothing; changed bytes at the same source become a new
version of the same document, as does a file the librarian says replaces a document.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog import Catalog, DocumentRow, NewDocument, Page
from hoptac.errors import EmptyDocument, HoptacError, IngestError, InvalidInput
from hoptac.settings import Settings
from ingest.chunking import chunk
from ingest.diacritics import confidence_table, correct_ocr, restore, stripped_score
from ingest.enrich import RESTORE_THRESHOLD, enrich_chunks
from ingest.language import detect_languages
from ingest.limits import apply_limits
from ingest.metadata import extract_metadata
from ingest.normalize import normalize
from ingest.readers import read


@dataclass
class FileReport:
    """What happened to one file; ``reason`` says why it failed, in words a librarian can act on."""

    path: str
    status: str
    document_id: int | None = None
    reason: str | None = None
    seconds: float = 0.0
    pages: int = 0
    chunks: int = 0
    title: str | None = None
    #: What the reader noticed ("page 3: text layer unreadable; using OCR") and limits hit.
    warnings: list[str] = field(default_factory=list)
    #: Settings whose per-file bound cut this file short, e.g. "max_chars_per_file".
    limits_hit: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    run_id: int
    files: list[FileReport] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "failed"]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files under the given paths, folders walked recursively, hidden files skipped, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def escaping_links(paths: Iterable[Path]) -> set[Path]:
    """Files found in the given folders whose real place is outside them (symlinks out).

    A folder ingest never leaves the folder given: such a file is reported and skipped, so a link
    to ``/etc/passwd`` dropped into a shared folder is never read.
    """
    escaping: set[Path] = set()
    for folder in paths:
        if folder.is_dir():
            root = folder.resolve()
            for found in discover([folder]):
                if not found.resolve().is_relative_to(root):
                    escaping.add(found)
    return escaping


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store_original(settings: Settings, path: Path, content_hash: str) -> str:
    """Copy the original into the data directory under its hash; returns the relative path."""
    target = settings.files_dir / content_hash[:2] / f"{content_hash}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        os.close(fd)
        shutil.copyfile(path, temp)
        os.replace(temp, target)
    return target.relative_to(settings.data_dir).as_posix()


def build_document(
    settings: Settings, path: Path, source_key: str, source_name: str, content_hash: str
) -> NewDocument:
    """Read, normalise, chunk and describe one file; raises IngestError naming the file."""
    extracted = apply_limits(read(path, settings), settings)
    pages = [Page(p.number, normalize(p.text), p.method, p.ocr_confidence) for p in extracted.pages]
    if not any(p.text.strip() for p in pages):
        raise EmptyDocument(source_name, "no text could be extracted (is it a blank scan?)")
    chunks = enrich_chunks(
        chunk(pages, settings.chunk_words, settings.chunk_overlap_words),
        restore=settings.restore_diacritics,
        ocr_words=extracted.ocr_words,
    )
    if not chunks:
        raise EmptyDocument(source_name, "no text could be extracted")
    full_text = "\n\n".join(p.text for p in pages)
    metadata = extract_metadata(full_text, title_hint=extracted.title, date_hint=extracted.date)
    metadata.languages = detect_languages([c.text_restored or c.text for c in chunks])
    if (
        metadata.title
        and settings.restore_diacritics
        and stripped_score(metadata.title) > RESTORE_THRESHOLD
    ):
        metadata.title = restore(metadata.title)
    elif metadata.title and settings.restore_diacritics and extracted.ocr_words:
        words = (word for page in extracted.ocr_words.values() for word in page)
        metadata.title = correct_ocr(metadata.title, confidence_table(words))
    return NewDocument(
        source_key=source_key,
        source_name=source_name,
        content_hash=content_hash,
        kind=extracted.kind,
        stored_file=store_original(settings, path, content_hash),
        size_bytes=path.stat().st_size,
        metadata=metadata,
        pages=pages,
        page_stripped_scores=[stripped_score(p.text) for p in pages],
        chunks=chunks,
        warnings=extracted.warnings,
        limits_hit=extracted.limits_hit,
    )


def ingest_file(
    catalog: Catalog,
    settings: Settings,
    path: Path,
    source_key: str | None = None,
    source_name: str | None = None,
    replaces: int | None = None,
    classification: str = "internal",
) -> FileReport:
    """Ingest one file; never raises for a bad file: the report says what went wrong.

    The file becomes a new document, or a new version of the document at the same ``source_key``
    or of document ``replaces``; bytes already stored are "unchanged", whatever the name.
    """
    started = time.perf_counter()
    name = source_name or path.name
    key = source_key or str(path.resolve())
    report = FileReport(path=str(path) if source_name is None else name, status="failed")
    try:
        if not path.is_file():
            raise IngestError(str(path), "no such file")
        content_hash = file_hash(path)
        existing = catalog.find_by_hash(content_hash)
        if existing is not None:
            report.status, report.document_id = "unchanged", existing
            report.title = catalog.get_document(existing).title
        else:
            new = build_document(settings, path, key, name, content_hash)
            new.classification = classification
            report.document_id, version = catalog.store(new, replaces)
            report.status = "ingested" if version == 1 else "updated"
            report.pages, report.chunks = len(new.pages), len(new.chunks)
            report.warnings, report.limits_hit = new.warnings, new.limits_hit
            report.title = catalog.get_document(report.document_id).title
    except IngestError as error:
        report.reason = error.reason if error.path in (str(path), name) else str(error)
    except HoptacError as error:
        report.reason = str(error)
    except Exception as error:  # noqa: BLE001 -- a reader bug must not stop the other files
        report.reason = f"unexpected error while reading: {type(error).__name__}: {error}"
    report.seconds = time.perf_counter() - started
    return report


def ingest_paths(
    catalog: Catalog,
    settings: Settings,
    paths: Iterable[Path],
    on_file: Callable[[Path], None] | None = None,
    on_done: Callable[[FileReport], None] | None = None,
    replaces: int | None = None,
    classification: str = "internal",
) -> IngestReport:
    """Ingest every file under ``paths`` as one recorded run; callbacks drive a progress display.

    With ``replaces``, the one file given becomes a new version of that document.
    """
    paths = list(paths)
    files, escaping = discover(paths), escaping_links(paths)
    if replaces is not None:
        if len(files) != 1:
            raise InvalidInput(f"--replaces takes exactly one file, not {len(files)}")
        catalog.get_document(replaces)  # NotFound before any work
    report = IngestReport(run_id=catalog.start_run())
    for path in files:
        if on_file:
            on_file(path)
        if path in escaping:
            result = FileReport(str(path), "skipped", reason="a link to outside the folder given")
        else:
            result = ingest_file(
                catalog, settings, path, replaces=replaces, classification=classification
            )
        catalog.record_file(
            report.run_id,
            result.path,
            result.status,
            result.document_id,
            result.reason,
            result.seconds,
            result.warnings,
        )
        report.files.append(result)
        if on_done:
            on_done(result)
    catalog.finish_run(report.run_id)
    return report


def delete_document(catalog: Catalog, settings: Settings, document_id: int) -> DocumentRow:
    """Remove a document and its pages and chunks; originals no other document uses go too.

    Vectors follow on the search index's next sync, which drops ids the catalog no longer has.
    """
    stored_files = catalog.stored_files(document_id)
    doc = catalog.delete(document_id)
    for stored in stored_files - catalog.stored_files_in_use():
        (settings.data_dir / stored).unlink(missing_ok=True)
    return doc
