"""Facts about written Vietnamese shared by every stage: spelling, folding, legacy encodings."""

from hoptac.vietnamese.folding import fold, fold_word, folded_tokens, whole_words
from hoptac.vietnamese.legacy import convert_legacy
from hoptac.vietnamese.spelling import (
    CODA,
    CODE_ACCENTS,
    CONSONANTS,
    MOTTO_MIN_SCORE,
    NATIONAL_MOTTO,
    ONSET,
    QUALITY_MARKS,
    QUALITY_VOWELS,
    STRIPPED_THRESHOLD,
    TONE_MARKS,
    VIETNAMESE_LETTERS,
    VOWELS,
    has_marks,
    is_folded_syllable,
    is_vietnamese_syllable,
    mostly_upper,
    strip_marks,
)

__all__ = [
    "CODA",
    "CODE_ACCENTS",
    "CONSONANTS",
    "MOTTO_MIN_SCORE",
    "NATIONAL_MOTTO",
    "ONSET",
    "QUALITY_MARKS",
    "QUALITY_VOWELS",
    "STRIPPED_THRESHOLD",
    "TONE_MARKS",
    "VIETNAMESE_LETTERS",
    "VOWELS",
    "convert_legacy",
    "fold",
    "fold_word",
    "folded_tokens",
    "has_marks",
    "is_folded_syllable",
    "is_vietnamese_syllable",
    "mostly_upper",
    "strip_marks",
    "whole_words",
]
