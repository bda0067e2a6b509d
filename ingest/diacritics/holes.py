"""Fill the holes a PDF's font left where it had no glyph for a marked vowel.

A text layer drawn with such a font reads "B  O HI  M XÃ H  I VI  T NAM" for BẢO HIỂM XÃ HỘI VIỆT
NAM: each missing letter became two spaces, and every letter that was drawn is right, accents
included. So this is no restoring guesswork: a hole is one vowel letter with marks that the font
lacked (never one the same text shows elsewhere, which the font had), the letters around it stay as
written, and only the syllable model's context chooses among the syllables that fit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from hoptac.vietnamese import VOWELS, strip_marks
from ingest.diacritics.decoder import PRIOR_WEIGHT, Slot
from ingest.diacritics.model import SyllableModel, get_model
from ingest.diacritics.runs import Word, decode_words
from ingest.diacritics.syllables import normalize_syllable, split_tone

#: Stands for the missing letter while a word with a hole is read: a letter to the tokenizer.
HOLE = "\u0294"
#: Spaces that may hold a hole: two inside a word ("hi  n") or at its end or start, three where the
#: hole ends or starts a word beside a space ("b   sung": bổ sung), four for a word of the missing
#: letter alone ("  ở  "); after punctuation, three where the hole starts a word ("tế,   y ban").
_RUN = re.compile(
    r"(?<=[^\W\d_]) {2,5}(?=\S|$)|(?<=[^\w\s]) {3}(?=[^\W\d_])|^ {2}(?=[^\W\d_])", re.MULTILINE
)
_WORDS = re.compile(r"[^\W\d_]+|\d+")
#: The letters beside a run of spaces, when they make a whole word's piece: not the "a" of "83a"
#: or the "B" of a code ("TT-B  ", "06:2020/B  ").
_LEFT_PIECE = re.compile(r"(?<![\w&/:-])[^\W\d_]+$")
_RIGHT_PIECE = re.compile(r"[^\W\d_]+(?![\w&/-])")
#: Holes needed before a text counts as drawn with such a font, at least this many and this share
#: of its words: a clean text layer puts two spaces between words here and there, and once in a
#: while those join into a syllable; a font without the glyphs leaves a hole in most lines.
MIN_HOLES = 2
MIN_HOLE_SHARE = 0.02
#: Share of a syllable's uses written with a capital inside a sentence from which a hole that took
#: its first letter is filled with a capital: "ủy" has one in ten (Ủy ban), "ở" and "ấy" none.
_NAME_SHARE = 0.05


#: The syllables that fill a word's hole, as ``_forms`` gives them, for one document.
_Forms = Callable[[str], list[tuple[int, str]]]


@dataclass(frozen=True)
class _Reading:
    text: str  # the text with each hole as ``HOLE``
    holes: int


def fill_holes(text: str) -> str:
    """``text`` with its holes filled, or as it came when it shows fewer than ``MIN_HOLES``."""
    return fill_holes_many([text])[0]


def fill_holes_many(texts: list[str]) -> list[str]:
    """The texts of one document, holes filled; the letters the document shows anywhere are
    letters its font had, so none of them fills a hole."""
    if not any("  " in text for text in texts) or any(HOLE in text for text in texts):
        return texts
    model = get_model()
    shown = frozenset(ch for text in texts for ch in text.lower() if not ch.isascii())

    @functools.cache
    def forms(word: str) -> list[tuple[int, str]]:
        return _forms(word, model, shown)

    readings = [_read_holes(text, forms) for text in texts]
    holes = sum(r.holes for r in readings)
    words = sum(len(_WORDS.findall(text)) for text in texts)
    if holes < MIN_HOLES or holes < MIN_HOLE_SHARE * words:
        return texts
    return [
        "\n".join(_fill_line(line, model, forms) for line in r.text.split("\n"))
        if r.holes
        else text
        for r, text in zip(readings, texts, strict=True)
    ]


def _read_holes(text: str, forms: _Forms) -> _Reading:
    """The text with each run of spaces that holds a hole written as one ``HOLE`` (and the space
    between words it leaves), where the pieces around it then read as a syllable."""
    count = 0
    out: list[str] = []
    done = 0
    for run in _RUN.finditer(text):
        out.append(text[done : run.start()])
        done = run.end()
        # The left piece as read so far, holes included: "c  a   y" is của ủy, no "cʔaʔ".
        left = _LEFT_PIECE.search("".join(out[-3:]))
        right = _RIGHT_PIECE.match(text, run.end())
        replacement = run.group()
        for words, filled in _placements(
            len(run.group()), left.group() if left else "", right.group() if right else ""
        ):
            if all(forms(word) for word in words):
                count += len(words)
                replacement = filled
                break
        out.append(replacement)
    out.append(text[done:])
    return _Reading("".join(out), count)


def _placements(spaces: int, left: str, right: str) -> list[tuple[tuple[str, ...], str]]:
    """(the words the holes make, what the run of spaces becomes) for each place they may sit:
    inside one word, ending the left one, starting the right one, a word alone, or both ends
    ("v     ng": về ứng)."""
    options: list[tuple[tuple[str, ...], str]] = []
    if spaces == 2 and (left or right):
        options.append(((left + HOLE + right,), HOLE))
    if spaces == 3 and left:
        options.append(((left + HOLE,), HOLE + " "))
    if spaces == 3 and right:
        options.append(((HOLE + right,), " " + HOLE))
    if spaces == 4:
        options.append(((HOLE,), " " + HOLE + " "))
    if spaces == 5 and left and right:
        options.append(((left + HOLE, HOLE + right), HOLE + " " + HOLE))
    return options


def _forms(word: str, model: SyllableModel, shown: frozenset[str]) -> list[tuple[int, str]]:
    """(syllable id, the form as the text writes it) for each syllable that fills the hole."""
    if word.count(HOLE) != 1 or len(word) > 8:
        return []
    written = word.lower()
    at = written.index(HOLE)
    found = []
    for key_vowel in "aeiouy":
        key = strip_marks(written.replace(HOLE, key_vowel))
        for i in model.candidates.get(key, []):
            for form in _tone_placements(model.vocab[i]):
                if len(form) != len(written):
                    continue
                missing = form[at]
                if missing.isascii() or missing in shown:
                    continue
                if all(a == b for k, (a, b) in enumerate(zip(form, written)) if k != at):
                    found.append((i, form))
                    break
    return found


def _tone_placements(form: str) -> list[str]:
    """The form with its tone mark on each of its vowels: the model writes "hủy", a text may
    write "huỷ"."""
    base, tone = split_tone(form)
    if not tone:
        return [form]
    placements = [form]
    for k, ch in enumerate(base):
        if ch in VOWELS:
            moved = unicodedata.normalize("NFC", base[: k + 1] + tone + base[k + 1 :])
            if moved != form:
                placements.append(moved)
    return placements


def _fill_line(line: str, model: SyllableModel, forms: _Forms) -> str:
    """The line with each word that has a hole written as the syllable the context chooses; the
    other words are context only, written as they came."""
    if HOLE not in line:
        return line
    capitals = not any(ch.islower() for ch in line)
    words: list[Word] = []
    for match in _WORDS.finditer(line):
        token = match.group()
        if HOLE in token and forms(token):
            kind = "garbled"
        elif token.isdigit():
            kind = "number"
        else:
            known = normalize_syllable(token.lower()) in model.index
            kind = "syllable" if known else "frozen"
        words.append(Word(match.start(), match.end(), token, kind))

    def slot_for(word: Word, named: bool) -> Slot:
        if word.kind == "syllable":
            return Slot((model.index[normalize_syllable(word.text.lower())],), (0.0,))
        ids = tuple(i for i, _ in forms(word.text))
        return Slot(ids, tuple(PRIOR_WEIGHT * model.wordfreq[i] for i in ids))

    out = list(line)
    for word, i in decode_words(line, words, model, slot_for):
        if word.kind == "garbled":
            form = dict(forms(word.text))[i]  # as long as the word with its hole
            named = model.capitalized[i] >= _NAME_SHARE * model.counts[i]
            out[word.start : word.end] = _cased(word.text, form, capitals, named)
    return "".join(out).replace(HOLE, "  ")  # holes no syllable fits, as they came


def _cased(written: str, form: str, capitals: bool, named: bool) -> str:
    """The form in the case the word is written in ("B" + hole + "O": BẢO); ``capitals``: the
    line is in capitals ("B   Y T  ": BỘ Y TẾ). A hole that took the word's first letter took its
    case too: then ``named``, whether the model's text writes this syllable with a capital inside
    a sentence often enough ("Ủy ban", but "ở")."""
    letters = [ch for ch in written if ch != HOLE]
    if capitals or len(letters) > 1 and all(ch.isupper() for ch in letters):
        return form.upper()
    if written[0] == HOLE:
        return form[:1].upper() + form[1:] if named else form
    if letters and letters[0].isupper():
        return form[:1].upper() + form[1:]
    return form
