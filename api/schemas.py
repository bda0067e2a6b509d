"""The API's response models: the JSON contract of every route (``/docs`` shows it) and of the
CLI's ``--json`` output, which prints the same models.

Field names and order are the documented JSON shapes; the models are filled from the library's
records (``from_attributes``), so a field added to a record shows here only when added here.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from auth import AuditEntry, Role, User
from catalog import ChunkRow, DocumentRow, IngestRunRow, PageRow
from search.records import SearchHit, SearchResponse


class _Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Hit(_Record):
    """One passage found. ``text_restored``: the snippet is the restored text of an
    accent-stripped or garbled scan; ``original_text`` is the passage as read, for those."""

    document_id: int
    chunk_id: int
    title: str | None
    source: str
    page: int
    section: str
    language: str | None
    score: float
    snippet: str
    number: str | None
    doc_type: str | None
    issuer: str | None
    issue_date: str | None
    text_restored: bool
    restored_text: str | None
    original_text: str | None

    @classmethod
    def of(cls, hit: SearchHit) -> Hit:
        return cls.model_validate({**vars(hit), "text_restored": hit.restored})


class SearchResults(_Record):
    """Search, and the passages similar to a document or a passage."""

    query: str
    results: list[Hit]
    took_ms: float
    total: int
    facets: dict[str, dict[str, int]]
    #: Partner id (as in ``facets["partner"]``) -> the partner's name.
    partner_names: dict[str, str] = {}

    @classmethod
    def of(cls, response: SearchResponse) -> SearchResults:
        return cls(
            query=response.query,
            results=[Hit.of(hit) for hit in response.results],
            took_ms=response.took_ms,
            total=response.total,
            facets=response.facets,
        )


class DocumentSummary(_Record):
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
    #: Where it was signed, as the header writes it ("Hà Nội").
    place: str | None
    #: Numbers of the documents it cites ("148/2025/NĐ-CP"), never its own.
    references: list[str]
    partner_country: str | None
    technology_area: str | None
    languages: list[str]
    page_count: int
    stripped_score: float
    created_at: str
    updated_at: str
    classification: str
    #: Fields a librarian corrected (they survive re-ingest).
    corrected: list[str]
    file_url: str

    @classmethod
    def of(cls, doc: DocumentRow) -> DocumentSummary:
        return cls.model_validate({**vars(doc), "file_url": f"/api/documents/{doc.id}/file"})


class PageView(_Record):
    document_id: int
    number: int
    text: str
    #: How the page was read: "text" (the text layer), "ocr", ...
    method: str
    ocr_confidence: float | None
    stripped_score: float
    #: Why ``method`` won over the other reading of a PDF page, and the share of garbled words
    #: each reading showed (None where there was no such reading).
    source_reason: str | None
    text_layer_garbled: float | None
    ocr_garbled: float | None


class ChunkView(_Record):
    id: int
    document_id: int
    ordinal: int
    text: str
    #: The text with its diacritics restored (accent-stripped or garbled passages only).
    text_restored: str | None
    section: str
    page_start: int
    page_end: int
    language: str | None
    stripped_score: float


class Section(_Record):
    section: str
    page: int
    chunk_id: int


class DocumentDetail(DocumentSummary):
    pages: list[PageView]
    chunks: list[ChunkView]
    #: The document's sections in reading order, each where it starts.
    sections: list[Section]

    @classmethod
    def of_parts(
        cls, doc: DocumentRow, pages: list[PageRow], chunks: list[ChunkRow]
    ) -> DocumentDetail:
        sections: list[Section] = []
        for c in chunks:
            if c.section and (not sections or sections[-1].section != c.section):
                sections.append(Section(section=c.section, page=c.page_start, chunk_id=c.id))
        return cls.model_validate(
            {
                **DocumentSummary.of(doc).model_dump(),
                "pages": [PageView.model_validate(p) for p in pages],
                "chunks": [ChunkView.model_validate(c) for c in chunks],
                "sections": sections,
            }
        )


class DocumentList(_Record):
    documents: list[DocumentSummary]
    total: int


class Deleted(_Record):
    deleted: int
    source: str


class IngestFileView(_Record):
    run_id: int
    path: str
    status: str
    document_id: int | None
    reason: str | None
    seconds: float | None
    warnings: list[str]


class IngestRunView(_Record):
    id: int
    started_at: str
    finished_at: str | None
    status: str
    files: list[IngestFileView]

    @classmethod
    def of(cls, run: IngestRunRow) -> IngestRunView:
        return cls.model_validate(run)


class RunList(_Record):
    runs: list[IngestRunView]


class RunStarted(_Record):
    run_id: int


class UserView(_Record):
    id: int | None
    name: str
    role: Role
    clearance: str
    created_at: str

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls.model_validate(user)


class SignedOut(_Record):
    signed_out: bool


class AuditEntryView(_Record):
    id: int
    at: str
    actor: str
    action: str
    document_id: int | None
    detail: str | None


class AuditEntries(_Record):
    entries: list[AuditEntryView]

    @classmethod
    def of(cls, entries: list[AuditEntry]) -> AuditEntries:
        return cls(entries=[AuditEntryView.model_validate(e) for e in entries])


class JobView(_Record):
    """A job as the API shows it; ``report`` is the file's ingest report once the job ended."""

    id: int
    run_id: int
    name: str
    status: str
    classification: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    report: dict[str, Any] | None
    url: str


class JobList(_Record):
    jobs: list[JobView]


class UploadQueued(_Record):
    """An upload's answer at once (202): a job per file, to poll."""

    run_id: int
    jobs: list[JobView]


class UploadDone(_Record):
    """An upload's answer once its jobs ended (``wait``): each file's report, in upload order."""

    run_id: int
    files: list[dict[str, Any]]
    jobs: list[JobView]


def to_json(model: BaseModel, indent: int | None = None) -> str:
    """The model as the HTTP API writes it, non-ASCII kept readable (the CLI's ``--json``)."""
    data: Any = model.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=indent)
