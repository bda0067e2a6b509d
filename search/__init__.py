"""Hybrid (dense + lexical) search over the catalog's chunks."""

from search.engine import SearchEngine
from search.records import SearchHit, SearchResponse, SyncReport

__all__ = ["SearchEngine", "SearchHit", "SearchResponse", "SyncReport"]
