"""Correct the accents Tesseract gets wrong on Vietnamese pages, word by word, in context.

Tesseract's ``vie`` model reads the letters of a scan well but confuses the marks: "thang" for
"tháng", "chuyên đôi số" for "chuyển đổi số", "Thành phó" for "Thành phố", "QUYET DINH" for
"QUYẾT ĐỊNH". Such a word is still a real syllable, so the restorer, which only touches stripped or
impossible text, leaves it alone. Here every Vietnamese syllable of an OCR'd page is a candidate:
the syllable model chooses among the forms with the same base letters (never other letters), and
the form OCR wrote is kept unless the context makes another clearly more likely. How much the
written form is trusted grows with Tesseract's own confidence in the word; its confidence alone
separates the errors badly (most wrong accents are read at 85-96%), the context does the rest.

Words that are not Vietnamese syllables (names in other languages, English, acronyms, codes,
numbers) are copied through, and so is every character between words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from hoptac.vietnamese import fold, strip_marks
from ingest.diacritics.decoder import MAX_CANDIDATES, Slot
from ingest.diacritics.model import SyllableModel, get_model
from ingest.diacritics.restorer import (
    decode_line,
    keep_foreign_phrases,
    line_shape,
    restore_many,
    split_words,
)
from ingest.diacritics.runs import Word
from ingest.diacritics.syllables import normalize_syllable, split_tone

#: Confidence (0..1) at and above which Tesseract is sure of a word, and below which it is not.
SURE = 0.95
UNSURE = 0.80
#: Bonus (natural log) for the form OCR wrote, when Tesseract was sure of it and when it was not;
#: in between it is interpolated. A word of unknown confidence gets the unsure bonus.
_KEEP_SURE = 5.0
_KEEP_UNSURE = 2.5
#: ... and extra for a capitalised word inside a sentence, most often a name ("Hòa Bình").
_KEEP_NAME = 1.5
#: Bonus for a candidate that shares the tone mark, or the vowel letters, that OCR wrote: OCR
#: more often gets one of the two wrong than both.
_SAME_TONE = 0.5
_SAME_LETTERS = 0.5
#: Cost of a candidate that drops the marks OCR saw ("quầy" -> "quay"): OCR loses marks far more
#: often than it invents them.
_UNMARK = 1.5
#: Weight of the general-domain frequency prior (log10); less than the restorer's, because the
#: written form is evidence of its own.
_PRIOR_WEIGHT = 0.5

_LETTERS = re.compile(r"[^\W\d_]+")
#: Syllables a line needs, none of them marked, to be read as one whose marks OCR lost.
_BARE_SYLLABLES = 4


def word_key(word: str) -> str:
    """The form under which a word's confidence is looked up: NFC, lower case, one tone placement."""
    return normalize_syllable(unicodedata.normalize("NFC", word).lower())


def confidence_table(words: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Lowest confidence per word form, from OCR words and their confidences (0..1).

    A word that OCR read several times on a page counts at its least sure reading, which is the
    one most likely to be wrong.
    """
    table: dict[str, float] = {}
    for text, confidence in words:
        for letters in _LETTERS.findall(text):
            key = word_key(letters)
            table[key] = min(confidence, table.get(key, 1.0))
    return table


def _keep_bonus(confidence: float | None, named: bool) -> float:
    if confidence is None:
        share = 0.0
    else:
        share = min(1.0, max(0.0, (confidence - UNSURE) / (SURE - UNSURE)))
    bonus = _KEEP_UNSURE + share * (_KEEP_SURE - _KEEP_UNSURE)
    return bonus + (_KEEP_NAME if named else 0.0)


def _slot(
    word: Word, named: bool, model: SyllableModel, confidence: Mapping[str, float]
) -> Slot | None:
    lower = unicodedata.normalize("NFC", word.text).lower()
    ids = model.candidates.get(strip_marks(lower), [])[:MAX_CANDIDATES]
    if not ids:
        return None
    written = normalize_syllable(lower)
    kept = model.index.get(written) if word.kind == "syllable" else None
    if kept is not None and kept not in ids:
        ids = [*ids, kept]  # a rare form OCR read may still be the right one
    letters, tone = split_tone(written)
    options: dict[int, float] = {}
    for i in ids:
        form = model.vocab[i]
        form_letters, form_tone = split_tone(form)
        bonus = _PRIOR_WEIGHT * model.wordfreq[i]
        if i == kept:
            bonus += _keep_bonus(confidence.get(word_key(word.text)), named)
        else:
            bonus += _SAME_TONE * (form_tone == tone) + _SAME_LETTERS * (form_letters == letters)
            if tone and not form_tone:
                bonus -= _UNMARK
        options[i] = bonus
    return Slot(tuple(options), tuple(options.values()))


def _correct_line(
    line: str, words: list[Word], model: SyllableModel, confidence: Mapping[str, float]
) -> str:
    if not line_shape(words).vietnamese:
        return line  # English, a table of numbers, a code list: nothing to choose
    words = keep_foreign_phrases(line, words)
    return decode_line(
        line, words, model, lambda word, named: _slot(word, named, model, confidence)
    )


def correct_ocr(text: str, confidence: Mapping[str, float] | None = None) -> str:
    """``text`` (OCR output) with implausible accents corrected; see ``correct_ocr_many``."""
    return correct_ocr_many([text], [confidence or {}])[0]


def correct_ocr_many(texts: Sequence[str], confidences: Sequence[Mapping[str, float]]) -> list[str]:
    """Correct each OCR'd text, given the confidence of its words (``confidence_table``).

    Only letters inside Vietnamese syllables change, and only to a form with the same base
    letters, so the output has the same length and folds to the same text as the input.
    """
    model = get_model()
    corrected = []
    for text, confidence in zip(texts, confidences, strict=True):
        lines = unicodedata.normalize("NFC", text).split("\n")
        words = [split_words(line, model) for line in lines]
        bare = [i for i, line_words in enumerate(words) if _lost_its_marks(line_words)]
        restored = (
            dict(zip(bare, restore_many([lines[i] for i in bare], context=[text]))) if bare else {}
        )
        corrected.append(
            "\n".join(
                restored[i]
                if i in restored and fold(restored[i]) == fold(line)
                else _correct_line(line, words[i], model, confidence)
                for i, line in enumerate(lines)
            )
        )
    return corrected


def _lost_its_marks(words: list[Word]) -> bool:
    """A Vietnamese line OCR read without a single mark ("VE VIEC BAN HANH BIEU MAU"), as it reads
    a heading set in bold capitals: its unmarked forms are no evidence, so the line is restored
    from its letters, as stripped text is, with the page's other lines as the document's evidence.
    Accented Vietnamese leaves about a third of its syllables unmarked, almost never a whole line
    of four or more."""
    shape = line_shape(words)
    return shape.vietnamese and shape.syllables >= _BARE_SYLLABLES and shape.marked == 0
