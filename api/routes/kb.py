"""The knowledge base over HTTP: technology areas, partners, agreements, relations between documents,
and the librarians' corrections to them.

Every answer is computed from the documents the user may see (``visible``): a partner, agreement or
citation that only a document above their clearance states does not exist for them (404, as for
one that does not exist).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import (
    AuditDep,
    CatalogDep,
    EditorDep,
    SettingsDep,
    UserDep,
    get_engine,
    visible,
    visible_document,
)
from api.params import MAX_ID, DocumentId
from auth import User
from catalog import Catalog
from kb import KnowledgeBase, export
from kb.records import (
    AgreementOut,
    Area,
    AreaOfDocument,
    DocumentRelations,
    PartnerDetail,
    PartnerSummary,
)


class ErrorOut(BaseModel):
    """Every refusal: the error's kind, a message naming what was wrong, sometimes details."""

    error: str = Field(examples=["NotFound"])
    message: str = Field(examples=["partner 99 does not exist"])
    details: object | None = None


ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "Not signed in."},
    403: {"model": ErrorOut, "description": "The user's role may not do this (corrections)."},
    404: {"model": ErrorOut, "description": "Not there, or above the user's clearance."},
}

router = APIRouter(prefix="/api", tags=["knowledge base"], responses=ERRORS)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PartnerId = Annotated[int, Path(ge=1, le=MAX_ID, description="A partner id.")]
AreaKey = Annotated[
    str, Path(min_length=2, max_length=40, description="An area key, e.g. telemedicine.")
]


def get_kb(request: Request, catalog: CatalogDep, settings: SettingsDep) -> KnowledgeBase:
    """The knowledge base, comparing passages with areas in the search engine's own vectors."""
    engine = get_engine(request)
    return KnowledgeBase(catalog, settings.index_dir, engine.embedder, engine.vector_index)


KbDep = Annotated[KnowledgeBase, Depends(get_kb)]


def allowed(catalog: Catalog, user: User) -> set[int]:
    return catalog.document_ids(visible(user))


class AreasOut(BaseModel):
    areas: list[Area]


class PartnersOut(BaseModel):
    partners: list[PartnerSummary]


class AgreementsOut(BaseModel):
    agreements: list[AgreementOut]


class AreaNames(BaseModel):
    name_vi: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)


class NewArea(BaseModel):
    key: str = Field(pattern=r"^[a-z0-9_]{2,40}$")
    name_vi: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    phrases: list[str] = Field(default_factory=list, max_length=20)
    keywords: list[str] = Field(default_factory=list, max_length=50)


class DocumentArea(BaseModel):
    area: str = Field(min_length=2, max_length=40)
    #: True adds the area to the document, False removes it.
    present: bool


class PartnerCorrection(BaseModel):
    name: str | None = Field(None, max_length=300)
    country: str | None = Field(None, max_length=100)
    confirmed: bool | None = None


class Merge(BaseModel):
    into: int = Field(ge=1, le=MAX_ID, description="The partner that keeps the name.")


class Split(BaseModel):
    surface: str = Field(min_length=1, max_length=300, description="The name to split off.")


@router.get("/areas", response_model=AreasOut)
def list_areas(kb: KbDep, catalog: CatalogDep, user: UserDep) -> AreasOut:
    """The technology areas (plan 137's nine, training, infection control, and librarians' own),
    with how many documents the user may see carry each."""
    return AreasOut(areas=kb.areas(allowed(catalog, user)))


@router.post("/areas", response_model=Area, status_code=201)
def add_area(
    kb: KbDep, user: EditorDep, audit: AuditDep, area: NewArea, background: BackgroundTasks
) -> Area:
    """A librarian's new area. It answers at once; every document is then tagged again in the
    background (minutes in a large archive), and the area's count grows as that goes on."""
    result = kb.add_area(
        area.key, area.name_vi, area.name_en, area.phrases, area.keywords, retag=False
    )
    audit.record(user.name, "kb add area", None, area.key)
    background.add_task(kb.retag)
    return result


@router.patch("/areas/{key}", response_model=Area)
def rename_area(
    kb: KbDep, user: EditorDep, audit: AuditDep, key: AreaKey, names: AreaNames
) -> Area:
    result = kb.rename_area(key, names.name_vi, names.name_en)
    audit.record(user.name, "kb rename area", None, key)
    return result


@router.get("/partners", response_model=PartnersOut)
def list_partners(
    kb: KbDep,
    catalog: CatalogDep,
    user: UserDep,
    area: Annotated[str | None, Query(max_length=40, description="An area key.")] = None,
    country: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias.")] = None,
) -> PartnersOut:
    """Partner organisations and Vietnamese counterparts, most documents first."""
    return PartnersOut(
        partners=kb.partners(allowed(catalog, user), area=area, country=country, q=q)
    )


@router.get("/partners/{partner_id}", response_model=PartnerDetail)
def show_partner(
    kb: KbDep, catalog: CatalogDep, user: UserDep, partner_id: PartnerId
) -> PartnerDetail:
    """One partner: each mention with its passage, and its agreements."""
    return kb.partner(partner_id, allowed(catalog, user))


@router.patch("/partners/{partner_id}", response_model=PartnerSummary)
def correct_partner(
    kb: KbDep,
    catalog: CatalogDep,
    user: EditorDep,
    audit: AuditDep,
    partner_id: PartnerId,
    correction: PartnerCorrection,
) -> PartnerSummary:
    """Rename, set the country, confirm; corrections survive rebuilds and re-ingest."""
    kb.partner(partner_id, allowed(catalog, user))
    kb.correct_partner(partner_id, correction.name, correction.country, correction.confirmed)
    audit.record(user.name, "kb correct partner", None, f"{partner_id}")
    return kb.partner(partner_id, allowed(catalog, user))


@router.post("/partners/{partner_id}/merge", response_model=PartnerSummary)
def merge_partner(
    kb: KbDep,
    catalog: CatalogDep,
    user: EditorDep,
    audit: AuditDep,
    partner_id: PartnerId,
    merge: Merge,
) -> PartnerSummary:
    """Merge this partner into another (a translation or acronym of it)."""
    seen = allowed(catalog, user)
    kb.partner(partner_id, seen)
    kb.partner(merge.into, seen)
    kb.merge_partners(partner_id, merge.into)
    audit.record(user.name, "kb merge partner", None, f"{partner_id} -> {merge.into}")
    return kb.partner(merge.into, seen)


@router.post("/partners/{partner_id}/split", response_model=PartnerSummary)
def split_partner(
    kb: KbDep,
    catalog: CatalogDep,
    user: EditorDep,
    audit: AuditDep,
    partner_id: PartnerId,
    split: Split,
) -> PartnerSummary:
    """Split the mentions written one way off into a partner of their own."""
    seen = allowed(catalog, user)
    kb.partner(partner_id, seen)
    result = kb.split_partner(partner_id, split.surface)
    audit.record(user.name, "kb split partner", None, f"{partner_id}: {split.surface}")
    return kb.partner(result.id, seen)


class AgreementFilters(BaseModel):
    """The filters of the agreements table, shared by its JSON, CSV and XLSX forms."""

    status: Literal["active", "expiring", "expired", "unknown"] | None = None
    months: int = Field(12, ge=1, le=600, description="'expiring' means within this many months.")
    partner: int | None = Field(None, ge=1, le=MAX_ID, description="A partner id.")
    country: str | None = Field(None, max_length=100)
    area: str | None = Field(None, max_length=40, description="An area key.")


FiltersDep = Annotated[AgreementFilters, Query()]


def filtered_agreements(
    kb: KnowledgeBase, catalog: Catalog, user: User, filters: AgreementFilters
) -> list[AgreementOut]:
    return kb.agreements(
        allowed(catalog, user),
        status=filters.status,
        months=filters.months,
        partner_id=filters.partner,
        country=filters.country,
        area=filters.area,
    )


@router.get("/agreements", response_model=AgreementsOut)
def list_agreements(
    kb: KbDep, catalog: CatalogDep, user: UserDep, filters: FiltersDep
) -> AgreementsOut:
    """Agreements, MoUs and approved projects with parties, term, expiry, funding and areas."""
    return AgreementsOut(agreements=filtered_agreements(kb, catalog, user, filters))


@router.get(
    "/agreements.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The table as CSV."}},
)
def export_agreements(
    kb: KbDep, catalog: CatalogDep, user: UserDep, filters: FiltersDep
) -> Response:
    """The agreements table as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents)."""
    return Response(
        export.to_csv(filtered_agreements(kb, catalog, user, filters)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="agreements.csv"'},
    )


@router.get(
    "/agreements.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The table as an Excel workbook."}},
)
def export_agreements_xlsx(
    kb: KbDep, catalog: CatalogDep, user: UserDep, filters: FiltersDep
) -> Response:
    """The agreements table as an Excel workbook (same columns and filters as the CSV)."""
    return Response(
        export.to_xlsx(filtered_agreements(kb, catalog, user, filters)),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="agreements.xlsx"'},
    )


class AgreementCorrection(BaseModel):
    signed: date | None = Field(
        description="The signing date the text does not state; null clears it."
    )


@router.patch("/agreements/{document_id}", response_model=AgreementOut)
def correct_agreement(
    kb: KbDep,
    catalog: CatalogDep,
    user: EditorDep,
    audit: AuditDep,
    document_id: DocumentId,
    correction: AgreementCorrection,
) -> AgreementOut:
    """Enter an agreement's signing date; its effective date and expiry follow from the text's
    term ("5 năm kể từ ngày ký"). Kept across rebuilds and re-ingest."""
    visible_document(catalog, user, document_id)
    signed = correction.signed.isoformat() if correction.signed else None
    kb.correct_agreement(document_id, signed)
    audit.record(user.name, "kb agreement signed", document_id, signed or "cleared")
    return next(a for a in kb.agreements(allowed(catalog, user)) if a.document_id == document_id)


@router.get("/documents/{document_id}/relations", response_model=DocumentRelations)
def document_relations(
    kb: KbDep, catalog: CatalogDep, user: UserDep, document_id: DocumentId
) -> DocumentRelations:
    """What the document cites (linked when in the archive, else listed as missing), what cites
    it, its partners and its technology areas."""
    visible_document(catalog, user, document_id)
    return kb.relations(document_id, allowed(catalog, user))


@router.post("/documents/{document_id}/areas", response_model=list[AreaOfDocument])
def tag_document(
    kb: KbDep,
    catalog: CatalogDep,
    user: EditorDep,
    audit: AuditDep,
    document_id: DocumentId,
    tag: DocumentArea,
) -> list[AreaOfDocument]:
    """Add or remove a technology area on a document; kept across rebuilds and re-ingest."""
    visible_document(catalog, user, document_id)
    result = kb.tag_document(document_id, tag.area, tag.present)
    audit.record(user.name, "kb tag", document_id, f"{'+' if tag.present else '-'}{tag.area}")
    return result
