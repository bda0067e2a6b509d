"""HTML reader: the main text of a saved web page, without menus, footers and share buttons."""

from __future__ import annotations

import re
from pathlib import Path

import trafilatura

from catalog import Page
from ingest.records import ExtractedDocument

#: Bold and italic marks around a run of text ("**SỐ: 12/QĐ-UBND**", "*Hà Nội, ngày ...*"); a rule
#: of asterisks ("*****") or a lone footnote mark is no emphasis.
_EMPHASIS = re.compile(r"(?<![*\w])(\*{1,3})(?=[^\s*])([^*\n]+?)(?<=[^\s*])\1(?![*\w])")


def read_html(path: Path) -> ExtractedDocument:
    """Extract the article with trafilatura (headings kept as Markdown); fall back to all visible text.

    The fallback matters for pages that are not articles (tables of contents, plain lists), where
    trafilatura finds no "main" text but the page still has words worth indexing.
    """
    raw = path.read_bytes()
    warnings: list[str] = []
    metadata = trafilatura.extract_metadata(raw)
    text = trafilatura.extract(
        raw, output_format="markdown", include_tables=True, include_comments=False
    )
    if not text or not text.strip():
        text = trafilatura.html2txt(raw) or ""
        warnings.append("no main article found; kept all visible text")
    # headings stay Markdown (chunking reads them); emphasis marks would stick to the words
    text = _EMPHASIS.sub(r"\2", text)
    title = getattr(metadata, "title", None) if metadata is not None else None
    date = getattr(metadata, "date", None) if metadata is not None else None
    return ExtractedDocument(
        path, "html", [Page(1, text, "html")], title=title, date=date, warnings=warnings
    )
