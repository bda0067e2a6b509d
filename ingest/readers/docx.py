"""DOCX reader: paragraphs and tables in document order, headings as Markdown, pages at hard breaks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from catalog import Page
from hoptac.errors import IngestError
from ingest.records import ExtractedDocument

_HEADING = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def heading_level(style_name: str | None) -> int | None:
    """Markdown level for a Word style: "Title" -> 1, "Heading N" -> N; None for body styles."""
    if not style_name:
        return None
    if style_name.strip().lower() == "title":
        return 1
    match = _HEADING.match(style_name.strip())
    return min(int(match.group(1)), 6) if match else None


def _paragraph_pieces(paragraph: Paragraph) -> list[str | None]:
    """The paragraph's text split at explicit page breaks; None marks a break."""
    pieces: list[str | None] = []
    current: list[str] = []
    if paragraph.paragraph_format.page_break_before:
        pieces.append(None)
    for element in paragraph._p.iter():
        if element.tag == qn("w:t"):
            current.append(element.text or "")
        elif element.tag == qn("w:tab"):
            current.append("\t")
        elif element.tag in (qn("w:br"), qn("w:cr")):
            if element.get(qn("w:type")) == "page":
                pieces.append("".join(current))
                pieces.append(None)
                current = []
            else:
                current.append("\n")
    pieces.append("".join(current))
    return pieces


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or cells[-1] != text:  # merged cells repeat; keep one copy
                cells.append(text)
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _paragraph_style_names(document: DocumentObject) -> dict[str | None, str]:
    """Style id -> name of every paragraph style, None -> the default one, looked up once.

    ``Paragraph.style`` searches the whole style list on every call, so a file of 200,000 empty
    paragraphs took minutes; a dictionary built once keeps reading linear in the file's size.
    """
    names: dict[str | None, str] = {}
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH and style.style_id and style.name:
            names[style.style_id] = style.name
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    if default is not None and default.name:
        names[None] = default.name
    return names


def read_docx(path: Path) -> ExtractedDocument:
    """Read a Word document; explicit page breaks start a new page, else it is one page."""
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise IngestError(
            str(path), f"the DOCX is damaged or not a Word document ({error})"
        ) from error
    except Exception as error:  # lxml XMLSyntaxError and friends on damaged parts
        raise IngestError(
            str(path), f"the DOCX cannot be parsed ({type(error).__name__}: {error})"
        ) from error
    pages: list[list[str]] = [[]]
    first_heading: str | None = None
    style_names = _paragraph_style_names(document)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            pages[-1].extend(_table_lines(block))
            continue
        level = heading_level(style_names.get(block._p.style, style_names.get(None)))
        for piece in _paragraph_pieces(block):
            if piece is None:
                pages.append([])
                continue
            if not piece.strip():
                continue
            if level:
                first_heading = first_heading or piece.strip()
                piece = "#" * level + " " + " ".join(piece.split())
            pages[-1].append(piece)
    texts = ["\n\n".join(lines) for lines in pages]
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()  # a trailing page break leaves no page behind
    core = document.core_properties
    created = core.created or core.modified
    return ExtractedDocument(
        path,
        "docx",
        [Page(number, text, "docx") for number, text in enumerate(texts, start=1)],
        title=(core.title or "").strip() or first_heading,
        date=created.date().isoformat() if created else None,
    )
