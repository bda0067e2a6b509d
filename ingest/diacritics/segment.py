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

from hoptac.vietnamese import has_marks, is_vietnamese_syllable, strip_marks
from ingest.diacritics.decoder import MAX_CANDIDATES, Slot, decode
from ingest.diacritics.garble import fuzzy_candidates
from ingest.diacritics.model import SyllableModel, get_model
from ingest.diacritics.syllables import normalize_syllable, split_tone
from ingest.diacritics.tokens import FOREIGN

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
    return _mean_along(tuple(decode(model, [_slot(piece, model) for piece in pieces])), model)


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


#: Splits of one accented run tried at most: past that the run is no text that lost its spaces.
_MAX_SPLITS = 64
#: ``_MIN_MEAN_LOGPROB`` for a run in lower or upper case in a Vietnamese line: the marks already
#: pin the cuts down, and two words a lost space joined are often a pair the syllable model has
#: not seen ("giáp tuyến", "chỉnh cục"); a foreign word cut into syllables ("san té") stands in
#: a line that is no Vietnamese.
_LOOSE_MEAN_LOGPROB = -13.0
#: The tone mark (sắc) the loanwords written joined carry, where they carry one ("axít").
_RISING = "\u0301"


@lru_cache(maxsize=8192)
def split_accented(token: str, loose: bool = False) -> tuple[str, ...] | None:
    """The syllables an accented run that lost its spaces is made of, each exactly as written
    ("phápluật": pháp luật, "THỰCHIỆN": THỰC HIỆN), an acronym kept whole where the case changes
    ("UBNDtỉnh": UBND tỉnh); None where the run is one syllable, where some piece would be no
    known syllable with its marks, or where the pieces make no likely phrase. ``loose``: the run
    stands in a Vietnamese line (``restorer.space_accented``), so a phrase may be less likely;
    not for a capitalised run, which may be a foreign name ("Bogotá" is no "Bo go tá").

    A text layer drawn without space glyphs loses its spaces while every letter and mark stays
    right, so unlike ``split_run_together`` no piece is read through the look-alike table.
    """
    model = get_model()
    if len(token) > LONGEST_RUN or not has_marks(token) or as_written(token) is not None:
        return None
    # pieces[start]: each (syllable id, end) of a piece that starts there and leaves a rest that
    # can be cut too, found from the end backwards, so that the splits below meet no dead end
    # (a run of ambiguous cuts with junk at its end would cost exponential time).
    pieces: list[list[tuple[int, int]]] = [[] for _ in range(len(token) + 1)]
    viable = [False] * len(token) + [True]
    for start in range(len(token) - 1, -1, -1):
        if start and _inside_vowels(token, start):
            continue  # a cut inside a vowel cluster: a misread mark ("chuyén"), not a lost space
        for end in range(start + 1, min(len(token), start + LONGEST_SYLLABLE) + 1):
            if not viable[end]:
                continue
            found = as_written(token[start:end])
            if found is None and _acronym(token, start, end):
                found = model.index[FOREIGN]  # an acronym reads as a foreign word
            if found is not None:
                pieces[start].append((found, end))
                viable[start] = True
    #: Each split as (syllable id, where its piece ends).
    splits: list[tuple[tuple[int, int], ...]] = []

    def extend(start: int, cuts: tuple[tuple[int, int], ...]) -> None:
        if len(splits) > _MAX_SPLITS:
            return
        if start == len(token):
            splits.append(cuts)
            return
        for found, end in pieces[start]:
            extend(end, (*cuts, (found, end)))

    extend(0, ())
    if not splits or len(splits) > _MAX_SPLITS:
        return None
    score, best = max((_mean_along(tuple(i for i, _ in cuts), model), cuts) for cuts in splits)
    floor = _LOOSE_MEAN_LOGPROB if loose and not token.istitle() else _MIN_MEAN_LOGPROB
    if score < floor:
        return None
    starts = [0, *(end for _, end in best[:-1])]
    words = [token[start:end] for start, (_, end) in zip(starts, best)]
    return tuple(words) if _words_run_together(words) else None


def _acronym(token: str, start: int, end: int) -> bool:
    """Whether ``token[start:end]`` is an acronym run together with a word in lower or title case
    ("UBNDtỉnh", "UBNDThành", "tịchUBND")."""
    piece = token[start:end]
    if len(piece) < 2 or not piece.isupper():
        return False
    before = start > 0 and token[start - 1].islower()
    following = token[end : end + 2]
    after = following[:1].islower() or (following[:1].isupper() and following[1:].islower())
    whole = (start == 0 or before) and (end == len(token) or after)
    return whole and (before or after)


def _inside_vowels(token: str, at: int) -> bool:
    """Whether a cut at ``at`` falls between two vowels of one word: not where the case changes
    ("SởYTế")."""
    left, right = token[at - 1], token[at]
    return _is_vowel(left) and _is_vowel(right) and not (left.islower() and right.isupper())


def _words_run_together(pieces: list[str]) -> bool:
    """Whether the pieces look like words a lost space joined rather than one loanword, which
    Vietnamese writes joined ("kilôgam", "côca", "axít", "sôcôla"): a loanword is built of open
    syllables, the first without a tone, and one rising tone at most, where joined words mostly
    meet after a final consonant ("phápluật"), carry a tone each ("Bộtrưởng"), one no loanword
    takes ("phêduyệt") or one on the first word ("chếtrong")."""
    after_final = any(not _is_vowel(piece[-1]) for piece in pieces[:-1])
    tones = [split_tone(piece.lower())[1] for piece in pieces]
    toned = sum(1 for tone in tones if tone)
    other = any(tone not in ("", _RISING) for tone in tones)
    return after_final or toned >= 2 or other or bool(tones[0])


def _is_vowel(letter: str) -> bool:
    return strip_marks(letter.lower()) in "aeiouy"


@lru_cache(maxsize=65536)
def as_written(piece: str) -> int | None:
    """The model's id of ``piece`` where it is a known syllable exactly as written, in one case."""
    if not (piece.islower() or piece.isupper() or piece.istitle()):
        return None
    lower = piece.lower()
    if not is_vietnamese_syllable(lower):
        return None
    form = normalize_syllable(lower)
    model = get_model()
    return model.index.get(form) if form in model.known else None


def _mean_along(ids: tuple[int, ...], model: SyllableModel) -> float:
    """Mean log-probability of each syllable after the one before it."""
    u = model.index["<s>"]
    total = 0.0
    for v, w in pairwise(ids):
        total += model.logprob(u, v, w)
        u = v
    return total / (len(ids) - 1)
