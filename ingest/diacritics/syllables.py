"""Vietnamese syllable arithmetic: folding accents away, placing the tone mark, telling a syllable.

Both the model build and the restorer go through these functions, so training counts and decoded
output agree on one spelling: NFC, with the tone mark placed by the traditional convention
("hòa", "thúy", "khỏe"; the mark goes on the vowel that carries a quality mark, else on the last
vowel before a final consonant, else on the first of two vowels / the middle of three).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Combining marks that carry the tone (grave, acute, hook above, tilde, dot below).
TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
#: Combining marks that change vowel quality (breve, circumflex, horn).
QUALITY_MARKS = ("\u0306", "\u0302", "\u031b")
_VOWELS = set("aăâeêioôơuưy")
_QUALITY_VOWELS = set("ăâêôơư")

#: Letters that may appear in a Vietnamese syllable once folded.
_FOLDED_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
    r"(a|e|i|o|u|y|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|"
    r"iai|ieu|oai|oao|oay|oeo|uai|uay|uoi|uou|uya|uye|uyu|yeu|ye)"
    r"(ch|ng|nh|c|m|n|p|t)?$"
)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Drop every Vietnamese diacritic (tone and quality marks, đ -> d), as a bad OCR would."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def has_marks(text: str) -> bool:
    """True when ``text`` carries any Vietnamese diacritic."""
    return fold(text) != text


def split_tone(syllable: str) -> tuple[str, str]:
    """Split a lower-case syllable into (letters with quality marks, tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = ""
    kept = []
    for ch in decomposed:
        if ch in TONE_MARKS:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _nucleus_span(base: str) -> tuple[int, int]:
    """Index range of the vowel nucleus in ``base`` (lower case, tone removed)."""
    start = 0
    if (
        base.startswith("qu")
        and len(base) > 2
        and base[2] in _VOWELS
        or base.startswith("gi")
        and len(base) > 2
        and base[2] in _VOWELS
    ):
        start = 2
    while start < len(base) and base[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in _VOWELS:
        end += 1
    return start, end


def place_tone(base: str, tone: str) -> str:
    """Put ``tone`` on the right vowel of ``base`` (lower case) by the traditional convention."""
    if not tone:
        return base
    start, end = _nucleus_span(base)
    if start == end:
        return base + tone if base else base
    vowels = base[start:end]
    target = None
    for i in range(len(vowels) - 1, -1, -1):
        if vowels[i] in _QUALITY_VOWELS:
            target = i
            break
    if target is None:
        if end < len(base):  # a final consonant follows
            target = len(vowels) - 1
        elif len(vowels) == 3:
            target = 1
        else:
            target = 0
    pos = start + target
    return unicodedata.normalize("NFC", base[: pos + 1] + tone + base[pos + 1 :])


def normalize_syllable(syllable: str) -> str:
    """One spelling per syllable: NFC, lower case kept as given, tone on the conventional vowel."""
    lower = syllable.lower()
    base, tone = split_tone(lower)
    placed = place_tone(base, tone)
    return match_case(syllable, placed)


def match_case(model: str, word: str) -> str:
    """Give ``word`` the case pattern of ``model`` (lower, UPPER, Title, or letter by letter)."""
    if model.islower() or not model:
        return word
    if model.isupper():
        return word.upper()
    if model[0].isupper() and (len(model) == 1 or model[1:].islower()):
        return word[:1].upper() + word[1:]
    if len(model) == len(word):
        return "".join(w.upper() if m.isupper() else w for m, w in zip(model, word))
    return word


_BASE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", letter + tone)
    for letter in _BASE_LETTERS
    for tone in ("",) + (TONE_MARKS if letter in _VOWELS else ())
)


def is_vietnamese_syllable(word: str) -> bool:
    """True when lower-case ``word`` uses only Vietnamese letters and is shaped like a syllable."""
    return all(ch in VIETNAMESE_LETTERS for ch in word) and is_folded_syllable(fold(word))


def is_folded_syllable(word: str) -> bool:
    """True when the lower-case, accent-free ``word`` is shaped like a Vietnamese syllable.

    Beyond the onset-nucleus-coda shape, spelling rules catch OCR debris such as "cia" (Vietnamese
    writes k before e/i/y), "ngi" (ngh) or "ghu" (g).
    """
    match = _FOLDED_SYLLABLE.match(word)
    if not match:
        return False
    onset, nucleus = match.group(1) or "", match.group(2)
    front = nucleus[0] in "eiy"
    if onset in ("c", "ng", "g") and front and not (onset == "g" and word.startswith("gi")):
        return False
    return front or onset not in ("k", "ngh", "gh")
