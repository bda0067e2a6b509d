"""Per-file bounds on pages and characters, so that one odd file cannot hold an ingest for hours.

A file past a bound is still indexed up to it (the librarian can find what was read) and its report
says which setting cut it short, so the librarian can raise it or split the file.
"""

from __future__ import annotations

from dataclasses import replace

from hoptac.settings import Settings
from ingest.records import ExtractedDocument

PAGES = "max_pages_per_file"
CHARS = "max_chars_per_file"
OCR_SECONDS = "max_ocr_seconds_per_file"


def limit_message(setting: str, kept: int, total: int | None, unit: str) -> str:
    """The report's words for a bound that was hit, with the environment variable that raises it.

    ``total`` is None where the reader stopped reading at the bound, so the total is unknown.
    """
    of = f"of {total:,} " if total is not None else ""
    more = "" if total is not None else " of a longer file"
    return (
        f"only the first {kept:,} {of}{unit}{more} were indexed "
        f"(limit {setting}; raise it with HOPTAC_{setting.upper()})"
    )


def apply_limits(document: ExtractedDocument, settings: Settings) -> ExtractedDocument:
    """``document`` cut to the page and character bounds of ``settings``, the cut recorded."""
    pages = document.pages
    warnings = list(document.warnings)
    limits_hit = list(document.limits_hit)
    if len(pages) > settings.max_pages_per_file:
        warnings.append(limit_message(PAGES, settings.max_pages_per_file, len(pages), "pages"))
        limits_hit.append(PAGES)
        pages = pages[: settings.max_pages_per_file]
    total = sum(len(page.text) for page in pages)
    if total > settings.max_chars_per_file:
        room = settings.max_chars_per_file
        kept = []
        for page in pages:
            if room <= 0:
                break
            kept.append(page if len(page.text) <= room else replace(page, text=page.text[:room]))
            room -= len(page.text)
        if CHARS not in limits_hit:  # else the reader stopped at the bound and said so
            warnings.append(limit_message(CHARS, settings.max_chars_per_file, total, "characters"))
            limits_hit.append(CHARS)
        pages = kept
    return replace(document, pages=pages, warnings=warnings, limits_hit=limits_hit)
