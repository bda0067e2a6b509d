"""Vietnamese diacritic restoration for accent-stripped and OCR-garbled text, and the correction
of the accents OCR gets wrong on otherwise well-read pages, and the holes a font without glyphs for
marked vowels leaves."""

from ingest.diacritics.detect import stripped_score
from ingest.diacritics.holes import fill_holes
from ingest.diacritics.ocr_correct import confidence_table, correct_ocr, correct_ocr_many
from ingest.diacritics.restorer import restore, restore_many, space_accented

__all__ = [
    "confidence_table",
    "correct_ocr",
    "correct_ocr_many",
    "fill_holes",
    "restore",
    "restore_many",
    "space_accented",
    "stripped_score",
]
