"""What the catalog stores of a document: its pages, its chunks and its metadata.

Ingest produces these and the catalog writes them; search and the knowledge base read them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """One page of extracted text.

    ``method`` says how the text was obtained ("text" layer, "ocr", "docx", "html", "plain"), so a
    reader of the catalog knows which pages came from OCR and how sure OCR was. A PDF page could
    come from either its text layer or OCR of its image: ``source_reason`` says why the one in
    ``method`` won, with the share of garbled words each reading showed (None where there was no
    such reading), so a librarian can see why a page was re-read or trusted.
    Headings that the source marks as such (DOCX styles, HTML <h1>-<h6>) are written as Markdown
    heading lines ("# Title", "## Part") so the chunker can follow them.
    """

    number: int
    text: str
    method: str
    ocr_confidence: float | None = None
    source_reason: str | None = None
    text_layer_garbled: float | None = None
    ocr_garbled: float | None = None
    #: 0..1, how much ``text`` looks like accent-stripped or garbled Vietnamese (set by the
    #: pipeline once the text is normalised; readers leave it 0).
    stripped_score: float = 0.0


@dataclass
class Chunk:
    """A passage bounded for the embedding model, with where it stands in the document."""

    ordinal: int
    text: str
    section: str
    page_start: int
    page_end: int
    language: str | None = None
    #: Text with diacritics restored, where ``text`` is accent-stripped Vietnamese; else None.
    text_restored: str | None = None
    #: 0..1, how much ``text`` looks like accent-stripped or garbled Vietnamese.
    stripped_score: float = 0.0


@dataclass
class DocumentMetadata:
    """Core catalog fields. Librarians may correct any of them; corrections survive re-ingest."""

    title: str | None = None
    number: str | None = None  # e.g. "137/KH-UBND"
    doc_type: str | None = None  # e.g. "Kế hoạch", "Quyết định", "article", "paper"
    issuer: str | None = None  # e.g. "UBND thành phố Hà Nội"
    issue_date: str | None = None  # ISO 8601
    place: str | None = None  # where it was signed, as the header writes it: "Hà Nội"
    #: Numbers of the documents it cites ("148/2025/NĐ-CP"), never its own; for linking them.
    references: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    partner_country: str | None = None
    technology_area: str | None = None

    EDITABLE = (
        "title",
        "number",
        "doc_type",
        "issuer",
        "issue_date",
        "place",
        "partner_country",
        "technology_area",
    )
