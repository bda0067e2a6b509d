"""Typed records passed between the ingestion stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from catalog.records import Page


@dataclass
class ExtractedDocument:
    """What a reader returns: pages plus what the file itself says of its title and date."""

    source: Path
    kind: str
    pages: list[Page]
    title: str | None = None
    date: str | None = None  # ISO 8601 date, where the file's own metadata gives one
    warnings: list[str] = field(default_factory=list)
    #: Settings whose per-file bound cut this document short (e.g. "max_pages_per_file").
    limits_hit: list[str] = field(default_factory=list)
    #: Page number -> the words OCR read on that page with its confidence in each (0..1), for
    #: the accent corrector; only pages whose text came from OCR have an entry.
    ocr_words: dict[int, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)
