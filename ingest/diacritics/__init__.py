"""Vietnamese diacritic restoration for accent-stripped and OCR-garbled text."""

from ingest.diacritics.detect import stripped_score
from ingest.diacritics.restorer import restore, restore_many

__all__ = ["restore", "restore_many", "stripped_score"]
