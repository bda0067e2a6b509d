"""Technology areas of passages: the search model's own vectors plus keyword evidence.

Why both: the chunk vectors already in the search index place a passage in any language near the
phrases that describe an area (an English paper on deep learning for imaging lands on "AI in
health"), but e5 similarities are compressed, so only a clear winner counts; a keyword of the area
(accent-folded, so OCR text without diacritics matches too) counts on its own and is evidence a
reader can check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hoptac.vietnamese import fold, whole_words

#: When meaning alone tags a passage (cosine of query-prompted area phrases against the stored
#: passage vectors): either its best area is close (``SEMANTIC_THRESHOLD``) and leads the second
#: by ``SEMANTIC_MARGIN``, or it is fairly close (``SEMANTIC_FLOOR``) and stands out from all areas
#: (``SEMANTIC_Z`` standard deviations above their mean). Chosen on the sample corpus and the
#: test documents: passages about an area score 0.88-0.93 there, administrative ones under 0.87
#: with no area standing out.
SEMANTIC_THRESHOLD = 0.89
SEMANTIC_MARGIN = 0.01
SEMANTIC_FLOOR = 0.86
SEMANTIC_Z = 2.5


@dataclass(frozen=True)
class AreaDefinition:
    """An area as the tagger sees it: its key, folded keywords, and phrase vectors (or none)."""

    key: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class AreaTag:
    """One area found in one passage: ``score`` is the cosine (0 without vectors), ``evidence``
    the keywords seen ("meaning" when only the vectors decided)."""

    chunk_id: int
    area: str
    score: float
    evidence: tuple[str, ...]


def keyword_hits(text: str, keywords: Sequence[str], folded: str | None = None) -> tuple[str, ...]:
    """The keywords present in ``text`` as whole words, accent- and case-insensitively
    (``folded``: the text already folded, when the caller has it)."""
    folded = fold(text) if folded is None else folded
    if not whole_words(tuple(keywords)).search(folded):
        return ()  # one pass answers for most passages, which name none of an area's keywords
    return tuple(k for k in keywords if whole_words((k,)).search(folded))


def tag_passages(
    chunk_ids: Sequence[int],
    texts: Sequence[str],
    areas: Sequence[AreaDefinition],
    similarities: np.ndarray | None,
) -> list[AreaTag]:
    """Areas of each passage. ``similarities`` is (passages x areas) cosine, None when no vectors
    are available (keywords alone then decide); a row of NaN marks a passage without a vector."""
    tags: list[AreaTag] = []
    for row, (chunk_id, text) in enumerate(zip(chunk_ids, texts, strict=True)):
        scores = similarities[row] if similarities is not None else None
        winner = _clear_winner(scores)
        folded = fold(text)
        for column, area in enumerate(areas):
            hits = keyword_hits(text, area.keywords, folded)
            score = (
                float(scores[column])
                if scores is not None and not np.isnan(scores[column])
                else 0.0
            )
            if hits or winner == column:
                tags.append(AreaTag(chunk_id, area.key, round(score, 4), hits or ("meaning",)))
    return tags


def _clear_winner(scores: np.ndarray | None) -> int | None:
    """The column of the area that meaning alone picks, if any; NaN columns (an area described
    by keywords only) take no part, and a row of NaN (a passage without a vector) picks none."""
    if scores is None:
        return None
    columns = np.flatnonzero(~np.isnan(scores))
    if len(columns) == 0:
        return None
    valid = scores[columns]
    order = np.argsort(-valid)
    best = float(valid[order[0]])
    second = float(valid[order[1]]) if len(order) > 1 else -1.0
    spread = float(valid.std()) or 1.0
    clear = best >= SEMANTIC_THRESHOLD and best - second >= SEMANTIC_MARGIN
    standout = best >= SEMANTIC_FLOOR and (best - float(valid.mean())) / spread >= SEMANTIC_Z
    return int(columns[order[0]]) if clear or standout else None
