"""Candidates for OCR-garbled words: which real syllables could the scanner have mangled into this?

OCR of Vietnamese scans turns marked vowels into look-alikes ("quéc" for "quốc", "lwgng" for
"lượng", "S6" for "Số", "cia" for "của"). We compare the word, folded, against every known folded
syllable with an edit distance whose costs are cheap for those look-alikes, and hand the close
ones to the language model, which chooses in context.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hoptac.vietnamese import CONSONANTS, strip_marks
from ingest.diacritics.model import SyllableModel

#: Cheap substitutions: (what OCR wrote, what was printed), folded.
_LOOKALIKE = frozenset(
    {
        ("e", "o"),
        ("e", "a"),
        ("a", "o"),
        ("o", "a"),
        ("a", "u"),
        ("o", "u"),
        ("u", "o"),
        ("i", "u"),
        ("u", "i"),
        ("w", "u"),
        ("g", "o"),
        ("b", "o"),
        ("d", "o"),
        ("6", "o"),
        ("0", "o"),
        ("1", "l"),
        ("p", "d"),
        ("b", "d"),
        ("t", "u"),
        ("c", "u"),
        ("&", "a"),
        ("¢", "o"),
        ("s", "o"),
        ("y", "u"),
        ("e", "u"),
        ("i", "y"),
        ("a", "e"),
        ("o", "e"),
        ("i", "a"),
        ("r", "u"),
        ("8", "o"),
        ("9", "o"),
    }
)
#: ... and those only a text that shows third-party OCR debris earns. Such an OCR writes a marked
#: vowel as whatever glyph its marks make it look like: a digit ("ph6p" pháp, "B9" Bộ, "ho4t"
#: hoạt), a currency sign ("n€u" nêu), a round letter ("ndm" năm, "dugc" được, "trq" trợ,
#: "ngey" ngày), a thin one ("pht" phủ, "lf" lý, "DFng" Đồng), or a capital inside the word
#: ("viQc" việc, "nghiCn" nghiên, "chuyiSn" chuyển): such a capital becomes ``ANY_VOWEL``, cheap
#: to read as any vowel or to drop. Each glyph maps to the vowels it is seen standing for.
#: Offered for clean stripped text, these turn names and loanwords into syllables ("Davis" Đại).
ANY_VOWEL = "*"
#: A Q that is no "qu" onset stands for a marked o or e, never an a, i or u ("BQ" Bộ, "viQc"
#: việc, "vQ" về).
_Q_VOWEL = "@"
_VOWELS = "aeiouy"
#: Stands for a junk glyph inside a word ("t.i+h" trình, "$nh" định): any letter, or none.
ANY_LETTER = "?"
_DEBRIS_GLYPHS: dict[str, str] = {
    "6": "oea",
    "9": "o",
    "8": "o",
    "5": "o",
    "0": "o",
    "4": "a",
    "3": "e",
    "€": "e",
    "¢": "o",
    "&": "a",
    "d": "ao",
    "g": "oue",
    "q": "o",
    "p": "a",
    "e": "aouc",
    "i": "auel",
    "t": "ue",
    "r": "u",
    "f": "uyo",
    "l": "i",
    "1": "il",
    ANY_VOWEL: _VOWELS,
    _Q_VOWEL: "oe",
    ANY_LETTER: "abcdeghiklmnopqrstuvxy",
}
_DEBRIS_LOOKALIKE = _LOOKALIKE | {
    (glyph, letter) for glyph, letters in _DEBRIS_GLYPHS.items() for letter in letters
}
#: Thin glyphs that a tone or quality mark is read as, one letter too many in the word ("cfra"
#: của, "trudrng" trưởng, "Thri" Thủ): in such text, cheap to drop.
_MARK_READINGS = frozenset("rftl")
_DROP_MARK = 0.5
#: Onsets that such an OCR writes otherwise, with what they stand for: "đ" as the two strokes it
#: is drawn with ("tlinh" định, "cton" đơn), "ng" with its g misread ("nehi€p", "Nshi" nghị).
_ONSET_READINGS = (("tl", "d"), ("ct", "d"), ("cl", "d"), ("ne", "ng"), ("ns", "ng"), ("np", "ng"))
_ONSET_COST = 0.4
#: Rhymes such an OCR writes otherwise: "ưng" as "img", the hook and the n read as an m ("timg"
#: từng, "nhimg" những; Tesseract's English model and the letter in ``bench/data/garbled`` alike),
#: and "ực" as a y, its c lost ("thy hién" thực hiện).
_RHYME_READINGS = (("img", "ung"), ("y", "uc"))
#: A capital that no Vietnamese word has there: after a lower-case letter, or a Q that is no
#: "qu" onset.
_VOWEL_CAPITAL = re.compile(r"(?<=[a-z])[A-Z]|Q(?![uU])")

_CHEAP = 0.6
#: A marked vowel OCR wrote as two characters ("Quytit" quyết, "thring" tháng, "trudrng"
#: trưởng), in text that shows debris.
_SPLIT_VOWEL = 1.2
#: A final c written as an e ("chite" chức, "thire" thức): at a word's end such an OCR makes
#: this slip more than any other, so it costs less than other look-alikes.
_FINAL_C = 0.3
#: Pairs of glyphs that such an OCR writes for one marked vowel, read at a look-alike's cost:
#: "ư" as the i or t its hook looks like plus an r, or as two thin letters ("chire" chức, "xir"
#: xử, "Can ctr" Căn cứ). Tesseract's English model writes "ư" most often as "it", "ir", "ti",
#: "ii" and "tr" (``python -m bench.ocr_channel``); "ri" and "fr" are the letter's in
#: ``bench/data/garbled``.
_TWO_GLYPHS = {
    ("i", "r"): "u", ("t", "r"): "u", ("i", "t"): "u", ("r", "i"): "u", ("f", "r"): "u",
    ("t", "i"): "u", ("i", "i"): "u",
}  # fmt: skip
_MAX_COST = 1.6
#: ... and for a syllable that makes one of the document's own phrases with a neighbour
#: (``fuzzy_partners``): the phrase is evidence that a single word's letters are not.
PARTNER_MAX_COST = 2.0
#: Penalty (log scale) per unit of look-alike cost, and per place down a key's accented forms.
_COST_WEIGHT = 2.5
_RANK_COST = 0.2
_MAX_RESULTS = 8
#: ... and for a word with a junk glyph, which may be any letter: many keys tie at its cost, and
#: the one the context wants ("Quy€t $nh": định) is cut with the first eight.
_MAX_RESULTS_JUNK = 16
#: Accented forms tried per folded syllable, most frequent first ("do": đó, độ, do, đồ, đô, ...).
_FORMS_PER_KEY = 10


def read_capitals(word: str) -> str:
    """The word with each capital that stands for a marked vowel put as a glyph the table reads."""
    return _VOWEL_CAPITAL.sub(lambda m: _Q_VOWEL if m.group() == "Q" else ANY_VOWEL, word)


def _distance(written: str, target: str, limit: float, debris: bool) -> float:
    """Weighted edit distance from what OCR wrote to a folded syllable, or more than ``limit``."""
    lookalike = _DEBRIS_LOOKALIKE if debris else _LOOKALIKE
    before: list[float] | None = None  # the row before ``previous``
    previous = [j * 1.0 for j in range(len(target) + 1)]
    for i in range(1, len(written) + 1):
        current = [i * 0.8] + [0.0] * len(target)
        a = written[i - 1]
        drop = _CHEAP if a in (ANY_VOWEL, ANY_LETTER) else 0.8
        if debris and a in _MARK_READINGS:
            drop = _DROP_MARK
        # A junk glyph may stand for two letters ("$nh" định).
        insert = _CHEAP if a == ANY_LETTER else 1.0
        for j in range(1, len(target) + 1):
            b = target[j - 1]
            if a == b:
                sub = 0.0
            elif (a, b) in lookalike:
                final = i == len(written) and j == len(target)
                sub = _FINAL_C if debris and final and (a, b) == ("e", "c") else _CHEAP
            else:
                sub = 1.0
            cost = min(previous[j - 1] + sub, previous[j] + drop, current[j - 1] + insert)
            if debris and before is not None and b in _VOWELS and a != b != written[i - 2]:
                pair = _TWO_GLYPHS.get((written[i - 2], a)) == b
                cost = min(cost, before[j - 1] + (_CHEAP if pair else _SPLIT_VOWEL))
            current[j] = cost
        if min(current) > limit and (before is None or min(previous) > limit):
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _readings(written: str, debris: bool) -> list[tuple[str, float]]:
    """What OCR wrote, and in text that shows debris the same with its onset read otherwise,
    each with what that reading costs."""
    readings = [(written, 0.0)]
    if debris:
        for glyphs, onset in _ONSET_READINGS:
            if written.startswith(glyphs) and len(written) > len(glyphs):
                readings.append((onset + written[len(glyphs) :], _ONSET_COST))
        for glyphs, rhyme in _RHYME_READINGS:
            if written.endswith(glyphs):
                readings.append((written[: -len(glyphs)] + rhyme, _ONSET_COST))
    return readings


@lru_cache(maxsize=20000)
def _closest(written: str, keys: tuple[str, ...], debris: bool) -> tuple[tuple[str, float], ...]:
    lookalike = _DEBRIS_LOOKALIKE if debris else _LOOKALIKE
    best: dict[str, float] = {}
    for reading, extra in _readings(written, debris):
        first = reading[:1]
        for key in keys:
            if abs(len(key) - len(reading)) > 2:
                continue
            # OCR keeps the first letter or swaps it for a look-alike ("P" for "Đ"): a cheap filter.
            if key[0] != first and ((first, key[0]) not in lookalike or _onset_and_digit(reading)):
                continue
            cost = _distance(reading, key, _MAX_COST - extra, debris) + extra
            if cost <= _MAX_COST and cost < best.get(key, _MAX_COST + 1):
                best[key] = cost
    scored = sorted((cost, key) for key, cost in best.items())
    limit = _MAX_RESULTS_JUNK if ANY_LETTER in written else _MAX_RESULTS
    return tuple((key, cost) for cost, key in scored[:limit])


def _onset_and_digit(reading: str) -> bool:
    """A consonant and a digit ("d6" để, "s6" số, "v6" về): the digit is the vowel, so the
    consonant is read as written ("d6" is never "a")."""
    return len(reading) == 2 and reading[1].isdigit() and reading[0] in CONSONANTS


_keys_cache: dict[int, tuple[str, ...]] = {}


def _keys(model: SyllableModel) -> tuple[str, ...]:
    """The model's folded syllables, sorted: the targets every garbled word is compared with."""
    keys = _keys_cache.get(id(model))
    if keys is None:
        keys = tuple(
            sorted(k for k in model.candidates if len(model.candidates[k]) and k.isalpha())
        )
        _keys_cache[id(model)] = keys
    return keys


def fuzzy_candidates(
    word: str, model: SyllableModel, debris: bool = False
) -> list[tuple[int, float]]:
    """(accented syllable id, penalty) for each syllable the garbled ``word`` may stand for;
    ``debris``: the text shows third-party OCR debris, so the wider look-alikes apply."""
    keys = _keys(model)
    if debris:
        word = read_capitals(word)
    written = strip_marks(word.lower())
    results: list[tuple[int, float]] = []
    for key, cost in _closest(written, keys, debris):
        for rank, i in enumerate(model.candidates[key][:_FORMS_PER_KEY]):
            results.append((i, _COST_WEIGHT * cost + _RANK_COST * rank))
    return results


def fuzzy_partners(
    word: str, targets: frozenset[int], model: SyllableModel
) -> list[tuple[int, float]]:
    """(id, penalty) for each of ``targets`` that the ``word``, in text that shows debris, may
    stand for at up to ``PARTNER_MAX_COST``: the syllables that make one of the document's own
    phrases with a neighbour, reached further than ``fuzzy_candidates`` reaches ("doanh nphiQn":
    nghiệp, with its g and final p both misread)."""
    written = strip_marks(read_capitals(word).lower())
    found: list[tuple[int, float]] = []
    for i in targets:
        cost = _partner_cost(written, strip_marks(model.vocab[i]))
        if cost <= PARTNER_MAX_COST:
            found.append((i, _COST_WEIGHT * cost))
    return found


@lru_cache(maxsize=20000)
def _partner_cost(written: str, key: str) -> float:
    """``_distance`` over the written word's readings, cached: a long page asks for the same
    word and phrase again and again."""
    if abs(len(key) - len(written)) > 2:
        return PARTNER_MAX_COST + 1
    return min(
        _distance(reading, key, PARTNER_MAX_COST - extra, True) + extra
        for reading, extra in _readings(written, True)
    )


def closest_cost(word: str, model: SyllableModel) -> float | None:
    """How cheaply the debris channel reads ``word`` as some syllable (0: it is one as written),
    or None when no syllable is near it."""
    written = strip_marks(read_capitals(word).lower())
    if written in model.candidates:
        return 0.0
    found = _closest(written, _keys(model), True)
    return found[0][1] if found else None
