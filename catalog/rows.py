"""Rows read from the catalog, and the filter shared by document listing and search."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.records import Chunk, DocumentMetadata, Page


@dataclass
class DocumentRow:
    """A catalogued document with its (corrected) metadata."""

    id: int
    source_key: str
    source_name: str
    content_hash: str
    version: int
    kind: str
    stored_file: str
    size_bytes: int
    title: str | None
    number: str | None
    doc_type: str | None
    issuer: str | None
    issue_date: str | None
    partner_country: str | None
    technology_area: str | None
    languages: list[str]
    page_count: int
    stripped_score: float
    created_at: str
    updated_at: str
    classification: str = "internal"
    place: str | None = None
    #: Numbers of the documents it cites, as ``DocumentMetadata.references``.
    references: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)


@dataclass
class PageRow:
    document_id: int
    number: int
    text: str
    method: str
    ocr_confidence: float | None
    stripped_score: float
    #: Why ``method`` won, and the garbled shares of both readings (see ``Page``).
    source_reason: str | None = None
    text_layer_garbled: float | None = None
    ocr_garbled: float | None = None


@dataclass
class ChunkRow:
    id: int
    document_id: int
    ordinal: int
    text: str
    text_restored: str | None
    section: str
    page_start: int
    page_end: int
    language: str | None
    stripped_score: float


@dataclass
class NewDocument:
    """Everything the pipeline derived from one file, written to the catalog in one transaction."""

    source_key: str
    source_name: str
    content_hash: str
    kind: str
    stored_file: str
    size_bytes: int
    metadata: DocumentMetadata
    pages: list[Page]
    chunks: list[Chunk]
    #: What the reader noticed and which per-file limits cut the file short (for the report).
    warnings: list[str] = field(default_factory=list)
    limits_hit: list[str] = field(default_factory=list)
    classification: str = "internal"


@dataclass
class IngestFileRow:
    run_id: int
    path: str
    status: str
    document_id: int | None
    reason: str | None
    seconds: float | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestRunRow:
    """One ingest run; ``status`` is "running", "finished" or "interrupted" (its process died)."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    files: list[IngestFileRow]


@dataclass(frozen=True)
class DocumentFilter:
    """Filters shared by document listing and search."""

    doc_type: str | None = None
    language: str | None = None
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    document_ids: tuple[int, ...] | None = None
    #: The reader's clearance: documents classified above it are never matched.
    max_classification: str | None = None
