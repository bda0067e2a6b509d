"""The cooperation knowledge base: technology areas, partners, agreements and citations, derived
from the catalog's documents and chunks and rebuilt from them."""

from kb.build import ensure_current, prepare_area_vectors, rebuild
from kb.records import RebuildReport
from kb.store import KnowledgeBase

__all__ = [
    "KnowledgeBase",
    "RebuildReport",
    "ensure_current",
    "prepare_area_vectors",
    "rebuild",
]
