"""Fusing dense and lexical evidence so that neither ever hurts the other.

One fixed weighting fails somewhere: an English query's words that happen to occur in Vietnamese
text (names, "NFL", "COVID") are noise that drags cross-lingual results down, while for Vietnamese
text whose accents were stripped by OCR the dense model is lost and BM25 over folded text is what
works. So the weight of lexical evidence depends, per candidate, on whether query and candidate
share a language, whether the candidate is accent-stripped, and whether the query itself was typed
without accents. Weights were tuned on /work/shared/eval dev sets only (bench/retrieval.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hoptac.vietnamese import fold

UNKNOWN_LANGUAGES = frozenset({None, "", "und"})
#: Candidates a language needs before its own median stands for "a typical passage" in it.
MIN_LANGUAGE_GROUP = 10


@dataclass(frozen=True)
class QueryProfile:
    """What fusion needs to know about a query."""

    language: str
    #: Vietnamese typed without any diacritic (the dense model reads it poorly).
    unaccented_vi: bool


@dataclass(frozen=True)
class Candidates:
    """Evidence for the candidate chunks of one query, one array row per candidate."""

    ids: np.ndarray
    dense: np.ndarray  # cosine similarity
    lexical: np.ndarray  # BM25 on folded text, as a share of the query's IDF mass
    exact: np.ndarray  # share of the query's accented words found verbatim
    languages: list[str | None]
    stripped: np.ndarray  # bool: the text the user sees is accent-stripped
    restored: np.ndarray  # bool: dense vector came from restored text


@dataclass(frozen=True)
class FusionWeights:
    """Weight of normalised BM25 added to cosine similarity, by query/candidate situation.

    Defaults from bench/retrieval.py --tune on the dev sets (grid search, all 11 pairs, a
    penalty for each product target missed). Stripped chunks need little lexical weight because
    their dense vectors come from the restored text; an English query's words in Vietnamese text
    are mostly names and numbers, worth a little.
    """

    same_language: float = 0.1
    cross_language: float = 0.06
    stripped_candidate: float = 0.2
    unaccented_query: float = 0.3
    exact_boost: float = 0.5
    #: How much of each language's typical candidate score is taken off (per-language centring).
    language_centering: float = 1.0
    #: Which quantile of a language's lexical evidence counts as "typical" for that language.
    lexical_quantile: float = 0.9


DEFAULT_WEIGHTS = FusionWeights()


def profile_query(query: str, language: str) -> QueryProfile:
    """Describe the query: its language and whether it is Vietnamese typed without accents."""
    unaccented = language == "vi" and fold(query) == " ".join(query.lower().split())
    return QueryProfile(language=language, unaccented_vi=unaccented)


def lexical_weights(
    profile: QueryProfile, cands: Candidates, weights: FusionWeights = DEFAULT_WEIGHTS
) -> np.ndarray:
    """Per-candidate weight of lexical evidence."""
    languages = np.asarray([language or "" for language in cands.languages])
    same = (languages == profile.language) | np.isin(languages, ["", "und"])
    if profile.language in UNKNOWN_LANGUAGES:
        same[:] = True
    stripped = cands.stripped.astype(bool)
    if profile.unaccented_vi:  # the dense model reads the query poorly: lean on folded BM25
        unstripped = np.full(len(stripped), weights.unaccented_query, dtype=np.float32)
        on_stripped = max(weights.unaccented_query, weights.stripped_candidate)
    else:
        # Words matched with their accents are at least as good evidence as the folded match a
        # stripped chunk gets, so "hòa bình" never ranks its stripped copy first.
        unstripped = np.maximum(weights.same_language, weights.stripped_candidate * cands.exact)
        on_stripped = weights.stripped_candidate
    out = np.where(stripped, on_stripped, unstripped)
    return np.where(same, out, weights.cross_language).astype(np.float32)


def fuse(
    profile: QueryProfile, cands: Candidates, weights: FusionWeights = DEFAULT_WEIGHTS
) -> np.ndarray:
    """Fused score per candidate: cosine + weight x normalised BM25 x (1 + exact-form boost)."""
    if len(cands.ids) == 0:
        return np.zeros(0, dtype=np.float32)
    lexical = cands.lexical * (1.0 + weights.exact_boost * cands.exact)
    evidence = lexical_weights(profile, cands, weights) * lexical
    # Each language measured against its own typical candidate: its median cosine, and a high
    # quantile of its lexical evidence (query words are found in most passages of the query's
    # language; only what stands out among them is evidence about this passage). A single
    # language's shift is zero, so such an archive ranks exactly as without it.
    shift = language_shift(cands.dense, cands.languages, 0.5) + language_shift(
        evidence, cands.languages, weights.lexical_quantile
    )
    fused: np.ndarray = cands.dense + evidence - weights.language_centering * shift
    return fused


def language_shift(values: np.ndarray, languages: list[str | None], quantile: float) -> np.ndarray:
    """Per candidate: its language's ``quantile`` of ``values`` above the whole pool's.

    A language with few candidates keeps the pool's: its own quantile would be its relevant
    passages themselves.
    """
    keys = np.asarray([language or "" for language in languages])
    pool = float(np.quantile(values, quantile))
    shift = np.zeros_like(values)
    for language in np.unique(keys):
        group = keys == language
        if int(group.sum()) >= MIN_LANGUAGE_GROUP:
            shift[group] = float(np.quantile(values[group], quantile)) - pool
    return shift
