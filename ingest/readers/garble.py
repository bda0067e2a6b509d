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

from hoptac.vietnamese import CONSONANTS, has_marks, is_vietnamese_syllable
from ingest.readers.quality import looks_like_word, tokens

_EDGE = "\"'“”‘’«»()[]{}<>.,;:!?…*•·"


#: The signs, in the words a librarian reads on the document page.
MISSHAPEN = "capitals or symbols inside words"
HOLES = "words with holes"
IMPOSSIBLE = "impossible syllables"


def garbled_tokens(text: str) -> int:
    """How many tokens of ``text`` show a sign of garbled OCR."""
    return sum(_sign(token) is not None for token in tokens(text))


def garble_score(text: str) -> float:
    """Share (0..1) of the tokens of ``text`` that show a sign of garbled OCR; 1 for no tokens."""
    counted = tokens(text)
    return garbled_tokens(text) / len(counted) if counted else 1.0


def garble_signs(text: str) -> dict[str, float]:
    """Share (0..1) of the tokens of ``text`` showing each sign, largest first; signs not seen
    are left out. A token counts under the first sign it shows, so the shares add up to
    ``garble_score``."""
    counted = tokens(text)
    counts: dict[str, int] = {}
    for token in counted:
        sign = _sign(token)
        if sign is not None:
            counts[sign] = counts.get(sign, 0) + 1
    return {
        sign: count / len(counted)
        for sign, count in sorted(counts.items(), key=lambda item: -item[1])
    }


def describe_signs(text: str, most: int = 2) -> str:
    """The main signs of garbling in ``text`` with their shares: "impossible syllables 38%"."""
    signs = list(garble_signs(text).items())[:most]
    return ", ".join(f"{sign} {share:.0%}" for sign, share in signs) or "no sign of garbling"


def _sign(token: str) -> str | None:
    if not looks_like_word(token):
        return MISSHAPEN
    if token.lower() in CONSONANTS:  # "b)" and "c." are list markers; bare "B" is a hole
        return HOLES
    word = unicodedata.normalize("NFC", token.strip(_EDGE)).lower()
    impossible = any(
        has_marks(part) and not is_vietnamese_syllable(part)
        for part in word.split("-")
        if part.isalpha()
    )
    return IMPOSSIBLE if impossible else None
