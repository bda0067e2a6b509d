"""The syllable trigram model behind the restorer, loaded lazily from its committed artifact.

The artifact (``models/diacritics/vi_syllable_lm.npz``, built by ``scripts/build_diacritics.py``)
holds only counts; smoothing is computed here at load time so that the discounts can change
without a rebuild. Smoothing: interpolated absolute discounting, with a Kneser-Ney continuation
unigram at the bottom, which is what made trigram restorers work on small corpora.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from hoptac.errors import ModelUnavailable
from hoptac.vietnamese import strip_marks

ARTIFACT = Path(__file__).resolve().parents[2] / "models" / "diacritics" / "vi_syllable_lm.npz"
_DISCOUNT = 0.75
PROBABILITY_FLOOR = 1e-7  # shared with the decoder


@dataclass
class Ngrams:
    """Smoothed trigram probabilities (the tables the decoder reads directly)."""

    size: int
    unigram: list[float]
    bigram: dict[int, float]
    bigram_backoff: dict[int, float]
    trigram: dict[int, float]
    trigram_backoff: dict[int, float]
    cache: dict[int, float] = field(default_factory=dict)

    def logprob(self, u: int, v: int, w: int) -> float:
        """log P(w | u v), memoised: the decoder asks for the same triples again and again."""
        size = self.size
        key = (u * size + v) * size + w
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        p2 = self.bigram.get(v * size + w, 0.0) + self.bigram_backoff.get(v, 1.0) * self.unigram[w]
        backoff = self.trigram_backoff.get(u * size + v)
        p3 = p2 if backoff is None else self.trigram.get(key, 0.0) + backoff * p2
        value = math.log(p3 + PROBABILITY_FLOOR)
        if len(self.cache) > 2_000_000:
            self.cache.clear()
        self.cache[key] = value
        return value


@dataclass
class SyllableModel:
    """Vocabulary, candidate table and the trigram model.

    Measured and dropped (bench/diacritics.py): a right-to-left model added to it and a four-gram
    level, neither better on XQuAD dev: with this much text, data is the limit, not the model.
    """

    vocab: list[str]
    index: dict[str, int]
    #: folded syllable -> ids of its accented forms, most frequent first.
    candidates: dict[str, list[int]]
    ngrams: Ngrams
    counts: list[int]
    #: Syllables a dictionary lists or text uses repeatedly; other marked forms count as garbled.
    known: set[str]
    #: log10 general-domain frequency per syllable id (wordfreq), a prior against corpus skew.
    wordfreq: list[float]
    #: How often each syllable is written capitalised inside a sentence (names, "nước Anh").
    capitalized: list[int] = field(default_factory=list)
    #: Collocations (``_collocations``): for each syllable, the ones that follow it in a good
    #: share of its pairs ("nghiên" cứu, "trân" trọng), and the ones that precede it ("tướng" thủ).
    follows: dict[int, frozenset[int]] = field(default_factory=dict)
    precedes: dict[int, frozenset[int]] = field(default_factory=dict)
    #: ... and for each pair, by its key (``u * size + v``), the syllables that follow it in a
    #: good share of its triples ("tháng <n>" năm: the date formula), and that precede it
    #: ("định số" quyết).
    follows_pair: dict[int, frozenset[int]] = field(default_factory=dict)
    precedes_pair: dict[int, frozenset[int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.vocab)

    def logprob(self, u: int, v: int, w: int) -> float:
        """log P(w | u v)."""
        return self.ngrams.logprob(u, v, w)


def _decode_keys(keys: np.ndarray, size: int, order: int) -> list[np.ndarray]:
    parts = []
    rest = keys.copy()
    for _ in range(order):
        parts.append(rest % size)
        rest //= size
    return parts[::-1]


def _discounts(counts: np.ndarray) -> np.ndarray:
    """Modified Kneser-Ney discounts D1, D2, D3+ from counts of counts (Chen & Goodman)."""
    n = [float(np.sum(counts == k)) for k in (1, 2, 3, 4)]
    if min(n) == 0:
        return np.array([0.0, _DISCOUNT, _DISCOUNT, _DISCOUNT])
    y = n[0] / (n[0] + 2 * n[1])
    return np.array(
        [0.0, 1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]]
    )


def _discounted(
    counts: np.ndarray, groups: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per n-gram discounted count, and per context the probability mass freed for backoff."""
    table = _discounts(counts)
    discount = np.clip(table[np.minimum(counts, 3).astype(np.int64)], 0.0, counts)
    freed = np.bincount(groups, weights=discount, minlength=n_groups)
    return counts - discount, freed


def _smooth(
    keys2: np.ndarray, counts2: np.ndarray, keys3: np.ndarray, counts3: np.ndarray, size: int
) -> Ngrams:
    # Continuation unigram: in how many distinct contexts does w follow something.
    v2, w2 = _decode_keys(keys2, size, 2)
    continuation = np.bincount(w2, minlength=size).astype(np.float64) + 0.5
    unigram = (continuation / continuation.sum()).tolist()

    # Bigram level: discounted raw counts, backing off to the continuation unigram.
    context_total = np.bincount(v2, weights=counts2, minlength=size)
    kept2, freed2 = _discounted(counts2, v2, size)
    bigram_values = kept2 / context_total[v2]
    seen = context_total > 0
    backoff2 = np.ones(size)
    backoff2[seen] = freed2[seen] / context_total[seen]

    # Trigram level.
    uv3 = keys3 // size
    contexts, inverse = np.unique(uv3, return_inverse=True)
    total3 = np.bincount(inverse, weights=counts3)
    kept3, freed3 = _discounted(counts3, inverse, len(contexts))
    trigram_values = kept3 / total3[inverse]
    return Ngrams(
        size=size,
        unigram=unigram,
        bigram=dict(zip(keys2.tolist(), bigram_values.tolist())),
        bigram_backoff=dict(enumerate(backoff2.tolist())),
        trigram=dict(zip(keys3.tolist(), trigram_values.tolist())),
        trigram_backoff=dict(zip(contexts.tolist(), (freed3 / total3).tolist())),
    )


#: A pair is a collocation where it makes this share of its first syllable's pairs (or of its
#: second's), seen at least ``_COLLOCATION_MIN`` times; a triple, where it makes this share of
#: the triples that share its first two syllables (or its last two). Lower shares ("văn"
#: phòng, 0.09) also offered the debris channel's far readings to words that meant something
#: else ("có thể" for "Cổ Nhuế"): the engine set lost more than the letter gained. So did
#: offering a pair from the side whose share it is not ("thể" after any "có", as "có" makes most
#: of the pairs "thể" ends).
_COLLOCATION_SHARE = 0.3
_COLLOCATION_MIN = 20


def _collocations(
    keys2: np.ndarray, counts2: np.ndarray, keys3: np.ndarray, counts3: np.ndarray, size: int
) -> tuple[dict[int, frozenset[int]], ...]:
    """The syllables that one word, or a pair, nearly calls for, as (follows, precedes,
    follows_pair, precedes_pair); a pair by its key (``u * size + v``)."""
    first, second = _decode_keys(keys2, size, 2)
    return (
        _called_for(first, second, counts2),
        _called_for(second, first, counts2),
        _called_for(keys3 // size, keys3 % size, counts3),
        _called_for(keys3 % (size * size), keys3 // (size * size), counts3),
    )


def _called_for(
    context: np.ndarray, other: np.ndarray, counts: np.ndarray
) -> dict[int, frozenset[int]]:
    """For each context, the syllables beside it that make a collocation's share of its n-grams
    (grouped by sorting: the keys are in order of the first word, not of every context)."""
    order = np.argsort(context, kind="stable")
    context, other, counts = context[order], other[order], counts[order]
    starts = np.flatnonzero(np.r_[True, context[1:] != context[:-1]])
    totals = np.repeat(np.add.reduceat(counts, starts), np.diff(np.r_[starts, len(context)]))
    keep = (counts >= _COLLOCATION_MIN) & (counts / totals >= _COLLOCATION_SHARE)
    found: dict[int, set[int]] = defaultdict(set)
    for a, b in zip(context[keep].tolist(), other[keep].tolist()):
        found[a].add(b)
    return {a: frozenset(bs) for a, bs in found.items()}


def load_model(path: Path = ARTIFACT) -> SyllableModel:
    """Read the artifact and precompute the smoothed tables (costly: done once per process)."""
    if not path.exists():
        raise ModelUnavailable(
            f"{path} is missing: run `python scripts/build_diacritics.py` to rebuild it"
        )
    data = np.load(path, allow_pickle=False)
    vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
    size = len(vocab)
    index = {word: i for i, word in enumerate(vocab)}
    keys1, counts1 = data["keys1"], data["counts1"].astype(np.float64)
    keys2, counts2 = data["keys2"], data["counts2"].astype(np.float64)
    keys3, counts3 = data["keys3"], data["counts3"].astype(np.float64)
    unigram_counts = np.zeros(size)
    unigram_counts[keys1] = counts1
    ngrams = _smooth(keys2, counts2, keys3, counts3, size)

    # Candidates are tried in order of general-domain frequency (wordfreq), then of our counts:
    # our corpus alone would rank "dõi" before "đội".
    wordfreq = data["wordfreq"].astype(np.float64)
    rank = np.lexsort((-unigram_counts, -wordfreq))
    candidates: dict[str, list[int]] = defaultdict(list)
    for i in rank.tolist():
        word = vocab[i]
        if word.startswith("<"):
            continue
        candidates[strip_marks(word)].append(i)
    follows, precedes, follows_pair, precedes_pair = _collocations(
        keys2, counts2, keys3, counts3, size
    )
    return SyllableModel(
        vocab=vocab,
        index=index,
        candidates=dict(candidates),
        ngrams=ngrams,
        counts=unigram_counts.astype(np.int64).tolist(),
        wordfreq=wordfreq.tolist(),
        capitalized=data["capitalized"].tolist() if "capitalized" in data else [0] * size,
        known={w for w, ok in zip(vocab, data["known"].tolist()) if ok},
        follows=follows,
        precedes=precedes,
        follows_pair=follows_pair,
        precedes_pair=precedes_pair,
    )


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _cached(path: str) -> SyllableModel:
    return load_model(Path(path))


def get_model() -> SyllableModel:
    """The shared model, loaded on first use (experiments load others with ``load_model``)."""
    with _lock:
        return _cached(str(ARTIFACT))
