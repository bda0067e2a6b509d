"""The accent- and case-insensitive form of a text, the one every text comparison goes through.

Why: a garbled OCR "quéc té", a stripped "quoc te", a clean "quốc tế" and a TCVN3 "quèc tÕ" are
the same words to a reader. Lexical search, the catalog's filters, metadata and header rules and
the knowledge base compare texts in this form, so they agree on what matches. It runs on every
chunk at index time and on candidate snippets at search time, so it works word by word through a
cache: an archive repeats a few tens of thousands of distinct words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

from hoptac.vietnamese.legacy import convert_legacy

#: Characters ``str.split`` takes for whitespace but unidecode does not ("\x85" -> ""): spelt
#: before the text is split into words, as transliterating the whole text first would. (No
#: whitespace lies above U+3000.)
_SPELT_SPACES = {
    ch: unidecode(ch)
    for ch in map(chr, range(0x3001))
    if ch.isspace() and not unidecode(ch).isspace()
}


def fold(text: str) -> str:
    """Return the accent-insensitive, lower-case form of ``text`` for matching. Idempotent.

    Legacy TCVN3/VNI mojibake is converted first, every character is transliterated to ASCII
    ("đ" -> "d", "Æ" -> "ae", symbols spelt out: "°" -> "deg"), and whitespace runs become one space.
    """
    text = convert_legacy(unicodedata.normalize("NFC", text))
    for space, spelt in _SPELT_SPACES.items():
        if space in text:
            text = text.replace(space, spelt)
    return " ".join(filter(None, map(_fold_word, text.split())))


@lru_cache(maxsize=262_144)
def _fold_word(word: str) -> str:
    return " ".join(unidecode(word).lower().split())


_TOKEN = re.compile(r"\w+")


@lru_cache(maxsize=262_144)
def fold_word(word: str) -> tuple[str, ...]:
    """The folded words of one word ("Hợp-tác" -> ("hop", "tac"))."""
    return tuple(_TOKEN.findall(fold(word)))


def folded_tokens(text: str) -> list[str]:
    """The words of ``fold(text)``, word by word (symbols such as ° or € are not spelt out): what
    lexical search counts, wherever its index is kept."""
    return [
        token
        for word in _TOKEN.findall(unicodedata.normalize("NFC", text))
        for token in fold_word(word)
    ]


@lru_cache(maxsize=4096)
def whole_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Where any of these folded words or phrases stands whole in folded text (no letter or
    digit on either side). An alternation backtracks through every alternative at each position,
    so it matches exactly where one of the words' own patterns would."""
    either = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(rf"(?<![a-z0-9])(?:{either})(?![a-z0-9])")
