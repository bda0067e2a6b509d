"""Grouping ranked chunks so one long document does not fill the page of results."""

from __future__ import annotations

from collections.abc import Sequence

#: At most this many hits per document in a list of results.
MAX_PER_DOCUMENT = 2


def group_by_document(
    ranked: Sequence[int], document_of: dict[int, int], per_document: int = MAX_PER_DOCUMENT
) -> list[int]:
    """Chunk ids in rank order, keeping at most ``per_document`` per document.

    The input is best first, so each document's best hit keeps its place and comes first.
    """
    seen: dict[int, int] = {}
    out: list[int] = []
    for chunk_id in ranked:
        doc = document_of[chunk_id]
        if seen.get(doc, 0) < per_document:
            seen[doc] = seen.get(doc, 0) + 1
            out.append(chunk_id)
    return out
