"""How a line becomes the token stream the syllable model sees, for training and restoring alike.

Vietnamese syllables stand for themselves (lower case, one tone convention). What is not a
syllable still matters as context, so it becomes a placeholder instead of breaking the stream:
a foreign word or name is ``<w>`` ("Steelers ở vòng" teaches "<w> ở"), a number ``<n>``, a comma
``<c>``. Sentence punctuation ends a run; quotes, brackets and dashes are transparent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hoptac.vietnamese import is_vietnamese_syllable
from ingest.diacritics.syllables import normalize_syllable

FOREIGN = "<w>"
NUMBER = "<n>"
COMMA = "<c>"
PLACEHOLDERS = (FOREIGN, NUMBER, COMMA)
SENTENCE_END = frozenset(".!?;:…\n")

_TOKEN = re.compile(r"[^\W\d_]+|\d+|\S")
#: After these a capital is a sentence or heading start, not a sign of a name.
OPENERS = frozenset("\"“”'‘’-–—•*#|(")


def gap_placeholder(gap: str) -> str | None:
    """What the text between two words contributes: a run break (""), a comma, or nothing."""
    if any(ch in SENTENCE_END for ch in gap):
        return ""
    if "," in gap:
        return COMMA
    return None


def training_runs(line: str) -> Iterator[list[str]]:
    """Runs of model tokens in an accented line, cut at sentence punctuation."""
    run: list[str] = []
    for token in _TOKEN.findall(line):
        if token[0].isdigit():
            item = NUMBER
        elif token.isalpha():
            lower = token.lower()
            item = normalize_syllable(lower) if is_vietnamese_syllable(lower) else FOREIGN
        elif token in SENTENCE_END:
            if run:
                yield run
            run = []
            continue
        elif token == ",":
            item = COMMA
        else:
            continue
        if item in (FOREIGN, NUMBER) and run and run[-1] == item:
            continue
        run.append(item)
    if run:
        yield run


def capitalized_inside_sentences(line: str) -> Iterator[str]:
    """Syllables written with a capital inside a sentence: names ("nước Anh", "Đảng", "Tây Tạng").

    Their counts tell the restorer which accented form a capitalised word usually takes, which is
    often not the form the same letters take in lower case ("Anh" England, "ảnh" photo).
    """
    first = True
    for token in _TOKEN.findall(line):
        if token.isalpha():
            if not first and token[0].isupper() and token[1:].islower():
                lower = token.lower()
                if is_vietnamese_syllable(lower):
                    yield normalize_syllable(lower)
            first = False
        elif token in SENTENCE_END or token in OPENERS:
            first = True
