"""Text normalisation: one spelling for the same Vietnamese text, whatever produced it.

Why: the archive mixes Word files typed with legacy fonts, PDFs from several generations of software and
OCR of scans. The same word reaches us as NFC or NFD Unicode, with the tone mark on either vowel of
"hoà"/"hòa", in TCVN3 or VNI mojibake, with soft hyphens and zero-width characters. Search, chunk
boundaries and diacritic restoration all assume one form, so every text goes through ``normalize``.

Tone placement (the one canonical form, and why)
    For the open syllables ending in the clusters **oa, oe, uy** (no final consonant), the tone mark goes on
    the FIRST vowel: "hoà" -> "hòa", "thuý" -> "thúy", "khoẻ" -> "khỏe", "Thuỷ" -> "Thủy". This is the
    traditional placement that Vietnamese government documents and most press still use (the seed news
    article writes "sức khỏe", "tối ưu hóa", "thỏa thuận"), so normalising to it changes the fewest
    documents. Closed syllables keep the tone on the second vowel in both styles ("hoàng", "toán",
    "quyết") and are left alone, as is "qu" + y ("quý": the u belongs to the onset).

The accent-insensitive form for matching, ``fold``, lives with the other facts of written Vietnamese
in ``hoptac.vietnamese``.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

from hoptac.vietnamese import ONSET, TONE_MARKS, convert_legacy

_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"), None
)  # soft hyphen, zero-width space/joiners, word joiner, BOM, Mongolian vowel separator
_KEEP_CONTROLS = {"\n", "\t", "\f"}
_SPACES = re.compile(r"[^\S\n\t\f]+")  # whitespace except the separators we keep
# Each pattern that starts with a repeated class is anchored at the start of its run (the lookbehind),
# else the regex engine retries from every position inside a long run: quadratic time on a
# 1,000,000-letter "word" or a line of 100,000 tabs.
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+(?=\n|\f|$)")
_HYPHEN_BREAK = re.compile(r"(?<!\w)(\w+)-[ \t]*\n[ \t]*([a-zà-öø-ÿ]\w*)")
_WORD = re.compile(r"\w+")

_OPEN_CLUSTER = re.compile(rf"^{ONSET}(oa|oe|uy)$", re.IGNORECASE)


def normalize(text: str) -> str:
    """Return ``text`` in the one form every later stage expects.

    Legacy TCVN3/VNI mojibake is converted first (only when detection is confident), then NFC, the
    canonical tone placement, invisible and control characters dropped (``\\n``, ``\\t`` and ``\\f`` as
    page separator kept), words hyphenated across a line break re-joined and runs of spaces collapsed.
    Line breaks are kept because the chunker follows them. Idempotent: a step may uncover what an
    earlier one needed (a soft hyphen dropped leaves TCVN3 text confident to convert), so the steps
    run again until the text stays the same.
    """
    for _ in range(_MAX_PASSES):
        once = _normalize_once(text)
        if once == text:
            break
        text = once
    return text


#: Passes of ``normalize``'s steps at most; two reach the fixed point on anything seen so far.
_MAX_PASSES = 4


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = convert_legacy(text)  # before dropping soft hyphens: TCVN3 writes "ư" as 0xAD
    text = text.translate(_INVISIBLE)
    text = "".join(
        ch
        for ch in text
        if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    text = (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
    )
    text = _rejoin_hyphenated(text)
    text = canonical_tone(text)
    text = _SPACES.sub(" ", text)
    text = _TRAILING_SPACE.sub("", text)
    return unicodedata.normalize("NFC", text)


def canonical_tone(text: str) -> str:
    """Put the tone mark of open oa/oe/uy syllables on the first vowel ("hoà" -> "hòa"), see module doc."""
    return _WORD.sub(_retone_word, text)


def _retone_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(word) > 5 or word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    found = _OPEN_CLUSTER.match(base)
    if not found:  # "quý": the u belongs to the onset, no cluster
        return word
    first_vowel = found.start(1)
    toned = base[: first_vowel + 1] + tones[0] + base[first_vowel + 1 :]
    return unicodedata.normalize("NFC", toned)


def _rejoin_hyphenated(text: str) -> str:
    """Join "tech-\\nnology" into "technology"; keep "y-\\ntế" style breaks of real compounds apart.

    Vietnamese syllables are written apart, so a hyphen at a line end before a lower-case letter is
    almost always a Western word broken by typesetting. Only Latin words without Vietnamese diacritics
    on both sides are joined, so Vietnamese text is left as it was.
    """

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if not (_is_western_word(left) and _is_western_word(right)):
            return match.group(0)
        return f"{left}{right}"

    joined = _HYPHEN_BREAK.sub(join, text)
    while joined != text:  # "a-\nb-\nc": the second break only shows once the first is joined
        text, joined = joined, _HYPHEN_BREAK.sub(join, joined)
    return joined


def _is_western_word(word: str) -> bool:
    if not word.isalpha() or len(word) < 2:
        return False
    stripped = unidecode(word)
    return stripped.isalpha() and all(
        unicodedata.name(ch, "").startswith("LATIN") and not _is_vietnamese_only(ch) for ch in word
    )


_VIETNAMESE_ONLY = set("ăđơưĂĐƠƯ")


def _is_vietnamese_only(ch: str) -> bool:
    if ch in _VIETNAMESE_ONLY:
        return True
    decomposed = unicodedata.normalize("NFD", ch)
    return any(m in "\u0309\u0323\u0303\u031b\u0306" for m in decomposed[1:])
