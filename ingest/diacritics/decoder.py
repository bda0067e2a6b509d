"""Choose accented forms for a run of syllables: beam search under the trigram model.

A run is a stretch of consecutive Vietnamese-shaped words with no punctuation between them; the
model was trained on runs cut the same way, so a run starts with the sentence-start symbol.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.diacritics.model import PROBABILITY_FLOOR, SyllableModel

#: How many decoding histories survive each step; 12 is where accuracy stops improving on
#: stripped text, whose words have ten accented forms at most.
BEAM = 12
#: ... and in text that shows OCR debris, where a junk word is offered dozens of readings:
#: twelve histories drop the right one before the words after it can vouch for it ("Sf rt ph6p":
#: "sở" ranks thirteenth on its own, and "pháp" two words on is what picks it).
DEBRIS_BEAM = 48
#: How many accented forms per syllable are tried (most frequent first).
MAX_CANDIDATES = 10
#: Weight of a candidate's general-domain frequency (log10, ``SyllableModel.wordfreq``) in its
#: bonus, where text is restored from its letters alone.
PRIOR_WEIGHT = 1.0
#: A run longer than this (a page with no sentence punctuation) is decoded in pieces by the
#: callers: paths are copied at each step, so one huge run would cost quadratic time.
MAX_RUN = 200


@dataclass(frozen=True)
class Slot:
    """One syllable to decode: its candidate ids and a prior bonus (log scale) for each."""

    candidates: tuple[int, ...]
    bonus: tuple[float, ...]


def decode(
    model: SyllableModel,
    slots: list[Slot],
    pairs: Mapping[tuple[int, int], float] | None = None,
    beam_width: int = BEAM,
) -> list[int]:
    """The most probable sequence of candidate ids, one per slot; ``pairs``: a bonus for
    choosing a syllable right after another (the document's own phrases, ``restorer``).

    The smoothed trigram probability is inlined here (not ``model.logprob``): the bigram part is
    computed once per (previous, candidate) pair and step, which makes decoding about twice as fast.
    """
    if not slots:
        return []
    lm = model.ngrams
    size = lm.size
    bigram, bigram_backoff, unigram = lm.bigram, lm.bigram_backoff, lm.unigram
    trigram, trigram_backoff = lm.trigram, lm.trigram_backoff
    log = math.log
    start = model.index["<s>"]
    end = model.index["</s>"]
    # state (u, v) -> (score, path)
    beam: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(start, start): (0.0, ())}
    for slot in slots:
        choices = list(zip(slot.candidates, slot.bonus))
        nxt: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
        p2_by_v: dict[int, list[float]] = {}
        for (u, v), (score, path) in beam.items():
            p2s = p2_by_v.get(v)
            if p2s is None:
                back = bigram_backoff.get(v, 1.0)
                base = v * size
                p2s = [bigram.get(base + w, 0.0) + back * unigram[w] for w, _ in choices]
                p2_by_v[v] = p2s
            context = u * size + v
            back3 = trigram_backoff.get(context)
            for (w, bonus), p2 in zip(choices, p2s):
                if back3 is None:
                    p = p2
                else:
                    p = trigram.get(context * size + w, 0.0) + back3 * p2
                total = score + log(p + PROBABILITY_FLOOR) + bonus
                if pairs:
                    total += pairs.get((v, w), 0.0)
                key = (v, w)
                held = nxt.get(key)
                if held is None or total > held[0]:
                    nxt[key] = (total, path + (w,))
        if len(nxt) > beam_width:
            beam = dict(heapq.nlargest(beam_width, nxt.items(), key=lambda item: item[1][0]))
        else:
            beam = nxt
    best = max(
        beam.items(), key=lambda item: item[1][0] + model.logprob(item[0][0], item[0][1], end)
    )
    return list(best[1][1])
