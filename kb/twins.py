"""Documents that are the same text or about the same text, in any language: twins.

Three kinds, each needing content evidence and a cue that content alone cannot give:

- ``version``: the same document number (the scan and the digital copy of one decision, a re-issue);
- ``translation``: different languages with the same figures (dates, counts, amounts survive
  translation where words do not);
- ``about``: one cites the other's number (a news article reporting a plan).

Why "closest in its language" rather than a cosine threshold: the passage vectors are
language-neutral, but a small multilingual model still places all Vietnamese administrative texts
close together (cosines of 0.85-0.95 between unrelated ones), so no fixed threshold separates a
translation from a document of the same genre. What does hold is rank: a document's twin is the
most similar document among those in the twin's language. Content similarity is the mean, over one
document's passages, of each passage's best cosine with the other's passages, averaged both ways,
computed from the vectors the search index already stores (no embedding at build time). It
compares every passage with every other, in blocks: fine for tens of thousands of passages. The
knowledge base's updates (``kb/build.py``) compare a changed document only with the documents that
own its passages' nearest neighbours in the vector index, one document's pairs at a time (``similarities``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from hoptac.vietnamese import fold

KINDS = ("version", "translation", "about")
#: Share of figures two texts must have in common to count as translations of each other.
MIN_SHARED_FIGURES = 0.5
#: Rows of the passage-by-passage similarity computed at once (memory, not results).
_BLOCK = 1024

_FIGURE = re.compile(r"(?<![\d.,/])\d{1,6}(?:[.,]\d+)?(?![\d])")


@dataclass(frozen=True)
class Side:
    """What twin detection reads of one document."""

    document_id: int
    language: str | None
    number: str | None
    #: Normalised numbers of the documents it cites.
    cites: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Twin:
    """Two documents and how they are twins; ``first`` is the one that cites, for "about"."""

    first: int
    second: int
    kind: str
    #: Content similarity (mean best passage cosine, both ways).
    score: float
    evidence: list[str] = field(default_factory=list)


def figures(text: str) -> frozenset[str]:
    """The numbers a text states, as written without leading zeros ("02" and "2" are one)."""
    return frozenset(m.lstrip("0") or "0" for m in _FIGURE.findall(fold(text)))


def content_similarity(
    vectors: np.ndarray, owners: Sequence[int], documents: Sequence[int]
) -> np.ndarray:
    """(documents x documents) mean best-passage cosine, symmetric; the diagonal is -inf.

    ``vectors`` are normalised passage vectors and ``owners`` the index in ``documents`` of each
    passage's document.
    """
    count = len(documents)
    result = np.full((count, count), -np.inf, dtype=np.float32)
    if count < 2 or len(vectors) == 0:
        return result
    owner = np.asarray(owners)
    order = np.argsort(owner, kind="stable")
    vectors, owner = vectors[order], owner[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    present = owner[starts]
    best = np.empty((len(vectors), len(present)), dtype=np.float32)
    for start in range(0, len(vectors), _BLOCK):
        block = vectors[start : start + _BLOCK] @ vectors.T
        best[start : start + _BLOCK] = np.maximum.reduceat(block, starts, axis=1)
    sums = np.add.reduceat(best, starts, axis=0)
    sizes = np.diff(np.r_[starts, len(vectors)])[:, None]
    mean = sums / sizes  # [a, b]: mean over a's passages of the best cosine in b
    both = (mean + mean.T) / 2
    grid = np.ix_(present, present)
    result[grid] = both
    np.fill_diagonal(result, -np.inf)
    return result


def similarities(own: np.ndarray, others: Sequence[np.ndarray]) -> list[float]:
    """Mean best-passage cosine of one document with each of several, both ways: what
    ``content_similarity`` computes for every pair, for one document's pairs at once. In double
    precision and rounded to 6 places, so a pair scores the same whichever of its two documents
    is compared with the other."""
    kept = [i for i, other in enumerate(others) if len(other)]
    result = [float("-inf")] * len(others)
    if not len(own) or not kept:
        return result
    sizes = np.array([len(others[i]) for i in kept])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    cosines = own.astype(np.float64) @ np.vstack([others[i] for i in kept]).astype(np.float64).T
    forward = np.maximum.reduceat(cosines, starts, axis=1).mean(axis=0)
    backward = np.add.reduceat(cosines.max(axis=0), starts) / sizes
    for i, value in zip(kept, (forward + backward) / 2, strict=True):
        result[i] = round(float(value), 6)
    return result


def find_twins(sides: Sequence[Side], similarity: np.ndarray) -> list[Twin]:
    """Pairs of documents that are versions, translations or reports of one another."""
    by_number: dict[str, list[int]] = {}
    for i, s in enumerate(sides):
        if s.number:
            by_number.setdefault(s.number, []).append(i)
    languages = {s.language for s in sides}
    closest = {language: _closest_in(sides, similarity, language) for language in languages}
    twins = []
    for a in range(len(sides)):
        for b in range(a + 1, len(sides)):
            if not np.isfinite(similarity[a, b]):
                continue
            twin = _judge(sides, similarity, closest, a, b)
            if twin is not None:
                twins.append(twin)
    return twins


def _closest_in(sides: Sequence[Side], similarity: np.ndarray, language: str | None) -> np.ndarray:
    """For each document, the index of the most similar document written in ``language`` (-1: none)."""
    columns = np.array([s.language == language for s in sides])
    masked = np.where(columns[None, :], similarity, -np.inf)
    best = masked.argmax(axis=1)
    return np.where(np.isfinite(masked[np.arange(len(sides)), best]), best, -1)


def _judge(
    sides: Sequence[Side],
    similarity: np.ndarray,
    closest: dict[str | None, np.ndarray],
    a: int,
    b: int,
) -> Twin | None:
    a_picks_b = bool(closest[sides[b].language][a] == b)
    b_picks_a = bool(closest[sides[a].language][b] == a)
    return judge(sides[a], sides[b], float(similarity[a, b]), a_picks_b, b_picks_a)


def judge(
    first: Side, second: Side, similarity: float, first_picks: bool, second_picks: bool
) -> Twin | None:
    """Whether two documents are twins, given their content similarity and whether each is the
    other's closest in its language (``first_picks``: ``second`` is closest to ``first``)."""
    a_picks_b, b_picks_a = first_picks, second_picks
    score = round(similarity, 3)
    evidence = []
    if a_picks_b and b_picks_a:
        evidence.append("closest in content both ways")
    if first.number and first.number == second.number and (a_picks_b or b_picks_a):
        return Twin(
            first.document_id,
            second.document_id,
            "version",
            score,
            [f"same number {first.number}", *evidence],
        )
    if first.language != second.language and a_picks_b and b_picks_a:
        union = first.figures | second.figures
        shared = len(first.figures & second.figures) / len(union) if union else 0.0
        if shared >= MIN_SHARED_FIGURES:
            return Twin(
                first.document_id,
                second.document_id,
                "translation",
                score,
                [*evidence, f"{shared:.0%} of figures shared"],
            )
    for citing, cited, picks in ((first, second, a_picks_b), (second, first, b_picks_a)):
        # "picks": the cited document is the one closest to the citing one in its language
        if cited.number and cited.number in citing.cites and picks:
            return Twin(
                citing.document_id,
                cited.document_id,
                "about",
                score,
                [f"cites {cited.number}", *(evidence or ["closest in content"])],
            )
    return None
