"""GET /api/search: the search contract used by the web page and outside clients."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.deps import EngineDep, UserDep
from api.params import Id
from api.routes.kb import get_kb
from api.schemas import SearchResults
from catalog import DocumentFilter

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchResults)
def search(
    request: Request,
    engine: EngineDep,
    user: UserDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="The query, any language.")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    lang: Annotated[
        str | None, Query(max_length=8, description="Document language: vi, en...")
    ] = None,
    type: Annotated[str | None, Query(description="Document type, e.g. Kế hoạch")] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    issuer: str | None = None,
    document_id: Annotated[list[Id] | None, Query()] = None,
    partner: Annotated[Id | None, Query(description="Only documents naming this partner.")] = None,
    country: Annotated[str | None, Query(max_length=100, description="Partner country.")] = None,
    area: Annotated[str | None, Query(max_length=40, description="Technology area key.")] = None,
) -> SearchResults:
    """Hybrid cross-lingual search; one record per passage, grouped so no document fills the page.

    ``total`` counts the hits there are to page through; ``facets`` counts documents per type, year,
    issuer, language, partner (by id, named in ``partner_names``), partner country and technology
    area among the best hits. Documents above the user's clearance are filtered out
    before ranking, so they weigh in no result, total or facet.
    """
    if partner or country or area:  # knowledge-base filters narrow the documents searched
        kb = get_kb(request, engine.catalog, engine.settings)
        found = kb.documents_matching(None, partner, country, area)
        document_id = sorted(found & set(document_id)) if document_id else sorted(found)
        if not document_id:
            document_id = [0]  # no document matches: search none
    filters = DocumentFilter(
        doc_type=type or None,
        language=lang or None,
        issuer=issuer or None,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        document_ids=tuple(document_id) if document_id else None,
        max_classification=user.clearance,
    )
    response = engine.search(q, k=k, filters=filters, offset=offset)
    results = SearchResults.of(response)
    kb = get_kb(request, engine.catalog, engine.settings)
    kb_facets = kb.facets(set(response.facet_documents))
    results.facets = {**response.facets, **kb_facets.counts}
    results.partner_names = kb_facets.partner_names
    return results
