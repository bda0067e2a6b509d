"""Typed results of the search engine, shared by the API, the CLI and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SearchHit:
    """One passage found, with where it stands and the document it belongs to."""

    document_id: int
    chunk_id: int
    title: str | None
    #: Original file name (DocumentRow.source_name).
    source: str
    #: Page where the snippet stands.
    page: int
    section: str
    language: str | None
    score: float
    #: HTML-escaped best sentence(s) with matched query words wrapped in <mark>...</mark>.
    snippet: str
    number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issue_date: str | None = None
    #: True when the chunk's diacritics were restored: the snippet is the restored text. (The
    #: API calls it ``text_restored``, a name ``ChunkRow`` gives the restored text itself.)
    restored: bool = False
    #: The restored text of the whole passage (accent-stripped or garbled chunks only).
    restored_text: str | None = None
    #: The passage as it was read (OCR text), offered on demand beside a restored snippet.
    original_text: str | None = None


@dataclass
class SearchResponse:
    query: str
    results: list[SearchHit]
    #: Number of hits available for this query (after filters and per-document grouping).
    total: int
    took_ms: float
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The documents the facets count (those of the first ``FACET_POOL`` hits, whatever the page),
    #: so a caller adding facets of its own counts the same hits without searching again.
    facet_documents: list[int] = field(default_factory=list)


@dataclass
class SyncReport:
    """What a sync or reindex changed in the indexes."""

    added: int
    removed: int
    total: int
    generation: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.added} passages added, {self.removed} removed, {self.total} in all "
            f"({self.seconds:.1f} s)"
        )
