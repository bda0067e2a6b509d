"""Split the words someone else's OCR ran together ("chitiStdichvuky": chi tiết dịch vụ kỹ).

No Vietnamese syllable has more than seven letters, so in a text that shows OCR debris a longer
run of letters is syllables that lost the spaces between them, or a foreign word. The split
chosen is the one whose pieces are the likeliest syllables (general-domain frequency, less the
cost of reading a garbled piece through the look-alike table, less a cost per piece so that
longer syllables win over fragments); the restorer then chooses each piece's accents in context.
A foreign word ("international") finds no split made mostly of real syllables, and one that
does ("Telemedicine": te le me di cine) makes no likely phrase under the syllable model: either
way it is kept.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from hoptac.vietnamese import strip_marks
from ingest.diacritics.decoder import MAX_CANDIDATES, Slot, decode
from ingest.diacritics.garble import fuzzy_candidates
from ingest.diacritics.model import SyllableModel, get_model

#: The longest Vietnamese syllable ("nghiêng"); a longer run of letters is several words.
LONGEST_SYLLABLE = 7
#: Cost (log10 frequency units) of each piece: without it, splits into short, frequent syllables
#: ("chi ti ...") beat the real ones.
_PIECE_COST = 1.5
#: Extra cost of a piece that is no syllable as written: a split into real syllables comes first.
_GARBLED_PIECE = 3.0
#: Share of pieces that must be syllables as written (only their accents missing), by default.
MIN_EXACT_SHARE = 0.5
#: Mean log-probability (natural log, trigram model, likeliest accents) of each piece after the
#: one before it that a split must reach: "dịch vụ kỹ thuật" or "nghiên cứu" hold together well
#: above it, a foreign word cut into syllables ("tế lễ mễ di căn", "cầm bỏ đĩa") falls below.
_MIN_MEAN_LOGPROB = -6.0
#: Longest run that is read as words that lost their spaces: a printed line's worth of letters.
#: A longer one is junk, left as written rather than searched at a cost that grows with it.
LONGEST_RUN = 300


def _slot(piece: str, model: SyllableModel) -> Slot:
    ids = model.candidates.get(strip_marks(piece.lower()), [])[:MAX_CANDIDATES]
    if ids:
        return Slot(tuple(ids), tuple(0.0 for _ in ids))
    options = fuzzy_candidates(piece, model, debris=True)
    return Slot(tuple(i for i, _ in options), tuple(-penalty for _, penalty in options))


def mean_logprob(pieces: tuple[str, ...], model: SyllableModel) -> float:
    """Mean log-probability of each piece after the one before it, read with the likeliest
    accents: how well the pieces hold together as a phrase, wherever it stands in its sentence."""
    path = decode(model, [_slot(piece, model) for piece in pieces])
    u = model.index["<s>"]
    total = 0.0
    for v, w in pairwise(path):
        total += model.logprob(u, v, w)
        u = v
    return total / (len(path) - 1)


def _piece_score(piece: str, model: SyllableModel) -> tuple[float, bool] | None:
    """(score, written as a syllable) for one piece, or None when no syllable is near it."""
    ids = model.candidates.get(strip_marks(piece.lower()), [])
    if ids:
        return max(model.wordfreq[i] for i in ids), True
    if len(piece) < 2:
        return None
    options = fuzzy_candidates(piece, model, debris=True)
    if not options:
        return None
    return max(model.wordfreq[i] - penalty for i, penalty in options) - _GARBLED_PIECE, False


@lru_cache(maxsize=4096)
def split_run_together(
    token: str, min_exact_share: float = MIN_EXACT_SHARE
) -> tuple[str, ...] | None:
    """The syllables ``token`` (letters, longer than any syllable) is made of, as written, or
    None when it reads better as one (foreign) word. ``min_exact_share``: the share of pieces
    that must be syllables as written."""
    if len(token) > LONGEST_RUN:
        return None
    model = get_model()
    # best[end]: (score, where its last piece starts, exact pieces) of the best split of
    # token[:end]
    best: list[tuple[float, int, int] | None] = [None] * (len(token) + 1)
    best[0] = (0.0, 0, 0)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - LONGEST_SYLLABLE), end):
            before = best[start]
            if before is None:
                continue
            scored = _piece_score(token[start:end], model)
            if scored is None:
                continue
            score = before[0] + scored[0] - _PIECE_COST
            held = best[end]
            if held is None or score > held[0]:
                best[end] = (score, start, before[2] + scored[1])
    found = best[-1]
    if found is None:
        return None
    cuts = [len(token)]
    while cuts[-1] > 0:
        held = best[cuts[-1]]
        assert held is not None  # every end on the best path was reached
        cuts.append(held[1])
    pieces = tuple(token[start:end] for end, start in pairwise(cuts))[::-1]
    if len(pieces) < 2 or found[2] < min_exact_share * len(pieces):
        return None
    if mean_logprob(pieces, model) < _MIN_MEAN_LOGPROB:
        return None
    return pieces
