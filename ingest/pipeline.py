"""The ingestion pipeline: file -> pages -> normalised text -> chunks -> metadata -> catalog.

One file is one transaction in the catalog; the original is stored content-addressed in the data
directory before that transaction, so a crash leaves at worst an unreferenced copy, never a half
document. Re-ingesting the same bytes does nothing; changed bytes at the same source become a new
version of the same document, as does a file the librarian says replaces a document.

Each stage computes its fact once and hands it on in the record: pages are normalised and scored
(``Page.stripped_score``) here, the chunker detects each chunk's language, enrichment scores and
restores chunks, and the document's languages are counted from its chunks'. Files are ingested
in a recorded run (``IngestRun``), whoever asks: the CLI, or the worker for an upload.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from catalog import Catalog, DocumentRow, NewDocument, Page
from hoptac.errors import EmptyDocument, HoptacError, IngestError, InvalidInput
from hoptac.settings import Settings
from hoptac.vietnamese import STRIPPED_THRESHOLD
from ingest.chunking import chunk
from ingest.diacritics import (
    confidence_table,
    correct_ocr,
    fill_holes,
    restore,
    space_accented,
    stripped_score,
)
from ingest.enrich import enrich_chunks
from ingest.header import cited_numbers
from ingest.language import main_languages
from ingest.limits import apply_limits
from ingest.metadata import extract_metadata, readable_head
from ingest.normalize import normalize
from ingest.readers import read
from ingest.records import ExtractedDocument


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
    settings: Settings,
    path: Path,
    extracted: ExtractedDocument,
    source_key: str,
    source_name: str,
    content_hash: str,
) -> NewDocument:
    """Normalise, chunk and describe one file as read; raises IngestError naming the file."""
    pages = [normalized_page(p, fill=settings.restore_diacritics) for p in extracted.pages]
    chunks = enrich_chunks(
        chunk(pages, settings.chunk_words, settings.chunk_overlap_words),
        restore=settings.restore_diacritics,
        ocr_words=extracted.ocr_words,
    )
    if not chunks:  # the reader found text, but nothing was left once normalised
        raise EmptyDocument(source_name, "no text could be extracted (is it a blank scan?)")
    full_text = "\n\n".join(p.text for p in pages)
    readable = readable_head(full_text) if settings.restore_diacritics else full_text
    metadata = extract_metadata(readable, title_hint=extracted.title, date_hint=extracted.date)
    metadata.languages = main_languages((c.language, c.text_restored or c.text) for c in chunks)
    # Numbers only the restorer reads ("8l/QD-TTg" in someone else's OCR is 81/QĐ-TTg) are cited
    # too: the knowledge base reads them from the restored text, and so does the document's record.
    restored = "\n".join(c.text_restored for c in chunks if c.text_restored)
    for number in cited_numbers(restored):
        if number != metadata.number and number not in metadata.references:
            metadata.references.append(number)
    if (
        metadata.title
        and settings.restore_diacritics
        and stripped_score(metadata.title) > STRIPPED_THRESHOLD
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
        chunks=chunks,
        warnings=extracted.warnings,
        limits_hit=extracted.limits_hit,
    )


def normalized_page(page: Page, fill: bool = True) -> Page:
    """The page in the one text form every later stage expects, with its stripped score.

    ``fill``: first fill the holes a font without glyphs for marked vowels left ("B  O HI  M"),
    which normalising would close up for good by collapsing the spaces that mark them, and put
    back the spaces a layer drawn without space glyphs lost between accented words
    ("phápluật"): either way every letter and mark is right, only the words are not apart.
    """
    text = fill_holes(unicodedata.normalize("NFC", page.text)) if fill else page.text
    text = normalize(text)
    if fill:
        text = space_accented(text)
    return replace(page, text=text, stripped_score=stripped_score(text))


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
            extracted = apply_limits(read(path, settings), settings)
            # What the reader noticed reaches the report, also when the file then fails.
            report.warnings, report.limits_hit = extracted.warnings, extracted.limits_hit
            new = build_document(settings, path, extracted, key, name, content_hash)
            new.classification = classification
            report.document_id, version = catalog.store(new, replaces)
            report.status = "ingested" if version == 1 else "updated"
            report.pages, report.chunks = len(new.pages), len(new.chunks)
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
    run = IngestRun(catalog, settings)
    report = IngestReport(run_id=run.run_id)
    for path in files:
        if on_file:
            on_file(path)
        if path in escaping:
            result = FileReport(str(path), "skipped", reason="a link to outside the folder given")
            run.record(result)
        else:
            result = run.ingest(path, replaces=replaces, classification=classification)
        report.files.append(result)
        if on_done:
            on_done(result)
    run.finish()
    return report


class IngestRun:
    """One ingest run in the catalog's log: each file ingested in it is recorded with its report.

    ``hoptac ingest`` opens one for its files; an upload's jobs join the run the upload opened
    (``run_id``), one file each, ingested by the worker.
    """

    def __init__(self, catalog: Catalog, settings: Settings, run_id: int | None = None) -> None:
        self.catalog, self.settings = catalog, settings
        self.run_id = catalog.start_run() if run_id is None else run_id

    def ingest(
        self,
        path: Path,
        source_key: str | None = None,
        source_name: str | None = None,
        replaces: int | None = None,
        classification: str = "internal",
        when_stored: Callable[[FileReport], None] | None = None,
    ) -> FileReport:
        """Ingest one file (``ingest_file``) and record its report in the run; ``when_stored``
        runs before the record, once the file is a document (its warnings then count too)."""
        report = ingest_file(
            self.catalog, self.settings, path, source_key, source_name, replaces, classification
        )
        if when_stored is not None and report.status in ("ingested", "updated"):
            when_stored(report)
        self.record(report)
        return report

    def record(self, report: FileReport) -> None:
        self.catalog.record_file(
            self.run_id,
            report.path,
            report.status,
            report.document_id,
            report.reason,
            report.seconds,
            report.warnings,
        )

    def finish(self) -> None:
        self.catalog.finish_run(self.run_id)


def delete_document(catalog: Catalog, settings: Settings, document_id: int) -> DocumentRow:
    """Remove a document and its pages and chunks; originals no other document uses go too.

    Vectors follow on the search index's next sync, which drops ids the catalog no longer has.
    """
    stored_files = catalog.stored_files(document_id)
    doc = catalog.delete(document_id)
    for stored in stored_files - catalog.stored_files_in_use():
        (settings.data_dir / stored).unlink(missing_ok=True)
    return doc
