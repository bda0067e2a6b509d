"""What the knowledge base answers: typed records, shared by the library, the HTTP API and the CLI."""

from __future__ import annotations

from pydantic import BaseModel


class Area(BaseModel):
    """A technology area with the number of (visible) documents tagged with it."""

    key: str
    name_vi: str
    name_en: str
    phrases: list[str]
    keywords: list[str]
    documents: int = 0


class AreaOfDocument(BaseModel):
    key: str
    name_vi: str
    name_en: str
    score: float
    passages: int
    #: "derived" (found in the text) or "librarian" (added by hand).
    source: str


class PartnerSummary(BaseModel):
    id: int
    name: str
    country: str | None
    #: "foreign" or "vietnamese".
    side: str
    confirmed: bool
    aliases: list[str]
    documents: int
    mention_count: int
    areas: list[str]
    last_activity: str | None


class MentionOut(BaseModel):
    document_id: int
    document_title: str | None
    chunk_id: int
    page: int
    surface: str
    passage: str


class Funding(BaseModel):
    amount: float | None
    currency: str | None
    funder_ids: list[int]
    funders: list[str]
    sentence: str


class AgreementOut(BaseModel):
    document_id: int
    title: str | None
    number: str | None
    doc_type: str | None
    parties: list[PartnerSummary]
    signed: str | None
    effective: str | None
    duration_months: int | None
    duration_text: str | None
    expires: str | None
    #: "active", "expiring" (within the months asked), "expired" or "unknown".
    status: str
    funding: list[Funding]
    areas: list[str]


class TimelineEvent(BaseModel):
    """A dated step in the work with a partner."""

    date: str
    #: "document" (a document naming the partner is dated), "signed", "effective" or "expires".
    kind: str
    document_id: int
    title: str | None
    number: str | None


class PartnerDetail(PartnerSummary):
    mentions: list[MentionOut]
    agreements: list[AgreementOut]
    #: Documents and agreement dates, oldest first; undated documents are left out.
    timeline: list[TimelineEvent] = []


class CitationOut(BaseModel):
    number: str
    doc_type: str
    #: "basis" ("Căn cứ"), "implements" ("Thực hiện") or "cites".
    relation: str
    chunk_id: int
    #: The cited document when the archive holds it (and the reader may see it), else None.
    document_id: int | None
    title: str | None


class CitedBy(BaseModel):
    document_id: int
    title: str | None
    number: str | None
    relation: str


class TwinOut(BaseModel):
    """Another document that is this one in another form or language, or reports on it."""

    document_id: int
    title: str | None
    number: str | None
    languages: list[str]
    #: "version" (same number: scan and digital copy), "translation" (another language, same
    #: figures) or "about" (one reports on the other and cites its number).
    kind: str
    #: "mutual" for versions and translations; for "about", "reports_on" when this document
    #: reports on the other, "reported_by" when the other reports on this one.
    direction: str
    #: Content similarity, the mean best-passage cosine both ways.
    score: float
    #: Why they were paired, e.g. "same number 2417/QD-SYT", "cites 137/KH-UBND".
    evidence: list[str]


class DocumentRelations(BaseModel):
    document_id: int
    cites: list[CitationOut]
    missing: list[str]
    cited_by: list[CitedBy]
    partners: list[PartnerSummary]
    areas: list[AreaOfDocument]
    twins: list[TwinOut] = []


class RebuildReport(BaseModel):
    documents: int
    passages_tagged: int
    partners: int
    mentions: int
    agreements: int
    citations: int
    #: Pairs of documents found to be versions, translations or reports of one another.
    twins: int = 0
    #: Whether passage vectors were used for the areas (else keywords alone decided).
    used_vectors: bool
    seconds: float


class UpdateReport(BaseModel):
    """What one update of the knowledge base did: documents derived again, documents removed."""

    changed: int
    removed: int
    #: Whether it derived everything (a new schema or model).
    rebuilt: bool
    seconds: float


class SearchFacets(BaseModel):
    """Documents per partner (by id), partner country and area (by key) among search hits."""

    counts: dict[str, dict[str, int]]
    #: Partner id (as in ``counts["partner"]``) -> name.
    partner_names: dict[str, str]
