"""How much a page or chunk looks like accent-stripped or OCR-garbled Vietnamese.

Properly accented Vietnamese leaves only about a quarter to a third of its syllables unmarked
("cho", "trong", "các" is marked...), stripped text leaves all of them unmarked, and a bad OCR
leaves marks on syllables that cannot exist ("quéc", "hién"). English has too few
Vietnamese-shaped words to count at all. The score combines the two signals.
"""

from __future__ import annotations

import unicodedata

from ingest.diacritics.model import get_model
from ingest.diacritics.restorer import line_shape, read_as_ocr, shows_debris_glyphs, split_words
from ingest.language import detect_language

_NATURAL_UNMARKED = 0.4  # unmarked share that accented Vietnamese reaches at most
_SPAN = 0.45
_GARBLE_WEIGHT = 4.0


def stripped_score(text: str) -> float:
    """0..1: 0 for English or properly accented Vietnamese, near 1 for stripped or garbled text."""
    model = get_model()
    lines = unicodedata.normalize("NFC", text).split("\n")
    # Someone else's OCR of Vietnamese is read as the restorer reads it: "ph6p", "viQc" are
    # garbled syllables, not foreign words, or a page of it would score as English and never be
    # restored. English with such glyphs ("tCO2e", "b2b") is no OCR of Vietnamese.
    split = [split_words(line, model) for line in lines]
    debris = shows_debris_glyphs(lines, split) and detect_language(text) == "vi"
    words = syllables = marked = garbled = 0
    for line_words in split:
        shape = line_shape(read_as_ocr(line_words, True) if debris else line_words)
        words += shape.words
        if not shape.vietnamese:
            continue
        syllables += shape.syllables
        marked += shape.marked
        garbled += shape.garbled
    candidates = syllables + garbled
    if candidates < 3 or candidates < 0.5 * words:
        return 0.0
    unmarked = (syllables - marked) / max(syllables, 1)
    score = (unmarked - _NATURAL_UNMARKED) / _SPAN + _GARBLE_WEIGHT * garbled / candidates
    return round(min(1.0, max(0.0, score)), 3)
