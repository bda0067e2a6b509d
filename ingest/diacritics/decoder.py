"""Choose accented forms for a run of syllables: beam search under the trigram model.

A run is a stretch of consecutive Vietnamese-shaped words with no punctuation between them; the
model was trained on runs cut the same way, so a run starts with the sentence-start symbol.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.diacritics.model import SyllableModel

#: How many decoding histories survive each step; 12 is where accuracy stops improving.
BEAM = 12
#: How many accented forms per syllable are tried (most frequent first).
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Slot:
    """One syllable to decode: its candidate ids and a prior bonus (log scale) for each."""

    candidates: tuple[int, ...]
    bonus: tuple[float, ...]


def decode(model: SyllableModel, slots: list[Slot]) -> list[int]:
    """The most probable sequence of candidate ids, one per slot."""
    if not slots:
        return []
    start = model.index["<s>"]
    end = model.index["</s>"]
    # state: (u, v) -> (score, back-pointer path)
    beam: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(start, start): (0.0, ())}
    for slot in slots:
        nxt: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
        for (u, v), (score, path) in beam.items():
            for w, bonus in zip(slot.candidates, slot.bonus):
                total = score + model.logprob(u, v, w) + bonus
                key = (v, w)
                held = nxt.get(key)
                if held is None or total > held[0]:
                    nxt[key] = (total, path + (w,))
        if len(nxt) > BEAM:
            beam = dict(sorted(nxt.items(), key=lambda item: -item[1][0])[:BEAM])
        else:
            beam = nxt
    best = max(beam.items(), key=lambda item: item[1][0] + model.logprob(item[0][0], item[0][1], end))
    return list(best[1][1])
