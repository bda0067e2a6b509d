"""File readers: one entry point, ``read``, that sniffs a file and hands it to the right reader."""

from __future__ import annotations

from pathlib import Path

from hoptac.errors import EmptyDocument, IngestError
from hoptac.settings import Settings
from ingest.readers.docx import read_docx
from ingest.readers.html import read_html
from ingest.readers.image import read_image
from ingest.readers.pdf import read_pdf
from ingest.readers.sniff import sniff
from ingest.readers.text import read_text
from ingest.records import ExtractedDocument

__all__ = ["read", "sniff"]


def read(path: Path, settings: Settings | None = None) -> ExtractedDocument:
    """Extract the raw text of a file, page by page, whatever its format.

    Raises UnsupportedFile (unknown format, or a name that contradicts the content),
    IngestError (damaged, encrypted, oversized) and EmptyDocument (nothing readable), each
    naming the file and the reason. Text is returned as found: normalisation is a later stage.
    """
    settings = settings or Settings()
    path = Path(path)
    if not path.is_file():
        raise IngestError(str(path), "no such file")
    kind = sniff(path)
    if kind == "pdf":
        document = read_pdf(path, settings)
    elif kind == "image":
        document = read_image(path, settings)
    elif kind == "docx":
        document = read_docx(path)
    elif kind == "html":
        document = read_html(path)
    else:
        document = read_text(path, settings.max_chars_per_file)
    if not any(page.text.strip() for page in document.pages):
        how = "OCR found no text" if kind in ("pdf", "image") else "it contains no text"
        raise EmptyDocument(str(path), f"{how}; nothing to index")
    return document
