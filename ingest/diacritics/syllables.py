"""Vietnamese syllable arithmetic: taking the tone mark off and placing it back.

Both the model build and the restorer go through these functions, so training counts and decoded
output agree on one spelling: NFC, with the tone mark placed by the traditional convention
("hòa", "thúy", "khỏe"; the mark goes on the vowel that carries a quality mark, else on the last
vowel before a final consonant, else on the first of two vowels / the middle of three).
"""

from __future__ import annotations

import unicodedata

from hoptac.vietnamese import QUALITY_VOWELS, TONE_MARKS, VOWELS


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
        and base[2] in VOWELS
        or base.startswith("gi")
        and len(base) > 2
        and base[2] in VOWELS
    ):
        start = 2
    while start < len(base) and base[start] not in VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in VOWELS:
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
        if vowels[i] in QUALITY_VOWELS:
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
