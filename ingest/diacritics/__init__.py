"""Vietnamese diacritic restoration for accent-stripped and OCR-garbled text."""

from ingest.diacritics.detect import STRIPPED_THRESHOLD, stripped_score
from ingest.diacritics.restorer import restore, restore_many

__all__ = ["STRIPPED_THRESHOLD", "restore", "restore_many", "stripped_score"]
