"""The catalog: the source of truth every index, search and knowledge-base table derives from.

Its own package because ingest writes it while search, the API, auth and the knowledge base read it;
none of them should reach into ingest for it.
"""

from catalog.records import Chunk, DocumentMetadata, Page
from catalog.rows import (
    ChunkRow,
    DocumentFilter,
    DocumentRow,
    IngestFileRow,
    IngestRunRow,
    NewDocument,
    PageRow,
)
from catalog.schema import CLASSIFICATIONS, classification_rank
from catalog.store import Catalog

__all__ = [
    "CLASSIFICATIONS",
    "Catalog",
    "Chunk",
    "ChunkRow",
    "DocumentFilter",
    "DocumentMetadata",
    "DocumentRow",
    "IngestFileRow",
    "IngestRunRow",
    "NewDocument",
    "Page",
    "PageRow",
    "classification_rank",
]
