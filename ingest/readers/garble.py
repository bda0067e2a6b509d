"""How garbled a page's text reads: the signs of someone else's bad OCR in a PDF text layer.

Why: scanned PDFs often carry an OCR layer made by another program, and a bad one reads
"CQNG HOA xX HQI CHiTNGHiA VI:¢TNAM", "djnh dang dfr li~u" or, where the font lacked glyphs,
"B  O HI  M XÃ H  I VI  T NAM". Most of its tokens still look like words, so a share of
word-shaped tokens alone trusts it. Three signs tell such a layer from real text, and the same
score then tells which of the layer and a fresh OCR of the page image reads better:

- a token that is not word-shaped: capitals or symbols inside a word ("CHiTNGHiA", "li~u");
- a lone consonant standing for a word that lost letters to missing glyphs ("B  O HI  M");
- a word marked as Vietnamese that no Vietnamese syllable is spelled like ("dẢu", "thiêt").
"""

from __future__ import annotations

import unicodedata

from hoptac.vietnamese import has_marks, is_vietnamese_syllable
from ingest.readers.quality import looks_like_word

_EDGE = "\"'“”‘’«»()[]{}<>.,;:!?…*•·"
_CONSONANTS = frozenset("bcdđghklmnpqrstvx")


def garbled_tokens(text: str) -> int:
    """How many whitespace-separated tokens of ``text`` show a sign of garbled OCR."""
    return sum(_garbled(token) for token in text.split())


def garble_score(text: str) -> float:
    """Share (0..1) of the tokens of ``text`` that show a sign of garbled OCR; 1 for no tokens."""
    tokens = text.split()
    return garbled_tokens(text) / len(tokens) if tokens else 1.0


def _garbled(token: str) -> bool:
    if not looks_like_word(token):
        return True
    if token.lower() in _CONSONANTS:  # "b)" and "c." are list markers; bare "B" is a hole
        return True
    word = unicodedata.normalize("NFC", token.strip(_EDGE)).lower()
    return any(
        has_marks(part) and not is_vietnamese_syllable(part)
        for part in word.split("-")
        if part.isalpha()
    )
