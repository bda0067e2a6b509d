"""The cooperation knowledge base: technology areas, partners, agreements and citations, derived
from the catalog's documents and chunks, kept current document by document."""

from kb.build import ensure_current, prepare_area_vectors, rebuild, update
from kb.records import RebuildReport, UpdateReport
from kb.store import KnowledgeBase

__all__ = [
    "KnowledgeBase",
    "RebuildReport",
    "UpdateReport",
    "ensure_current",
    "prepare_area_vectors",
    "rebuild",
    "update",
]
