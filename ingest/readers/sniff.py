"""Decide what a file is from its bytes first and its name second.

Users rename files, download scans with the wrong extension and drop Word 97 files into the
archive; sniffing the magic bytes lets us name the real problem ("a PNG image named .pdf")
instead of failing deep inside a parser.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from hoptac.errors import EmptyDocument, UnsupportedFile

EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".gif": "image",
    ".bmp": "image",
    ".webp": "image",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
}

_IMAGE_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BM", "BMP image"),
]

_UNSUPPORTED_MAGIC: list[tuple[bytes, str]] = [
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Microsoft Office file (.doc/.xls); save it as .docx or PDF",
    ),
    (b"{\\rtf", "an RTF document; save it as .docx or PDF"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
]

_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _describe(kind: str, label: str) -> str:
    return (
        label
        if kind == "image"
        else {"pdf": "PDF", "docx": "DOCX", "html": "HTML", "text": "text"}[kind]
    )


def sniff_bytes(head: bytes, path: Path) -> tuple[str, str]:
    """Return (kind, label) for the first bytes of a file, e.g. ("image", "PNG image").

    Raises UnsupportedFile for formats we recognise but do not read, and for binary data.
    """
    if b"%PDF-" in head[:1024]:
        return "pdf", "PDF"
    for magic, label in _IMAGE_MAGIC:
        if head.startswith(magic):
            return "image", label
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image", "WEBP image"
    for magic, what in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise UnsupportedFile(str(path), f"the content is {what}")
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith(_TEXT_BOMS) or b"\x00" not in head:
        lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:2048]:
            return "html", "HTML"
        return "text", "text"
    # NULs without a BOM: maybe BOM-less UTF-16 text, which the text reader can still detect.
    if head[1::2].count(b"\x00") > len(head) // 4 or head[0::2].count(b"\x00") > len(head) // 4:
        return "text", "text"
    raise UnsupportedFile(
        str(path), "binary content of an unknown format (not PDF, image, DOCX, HTML or text)"
    )


def _sniff_zip(path: Path) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise UnsupportedFile(str(path), f"a damaged ZIP/Office file ({error})") from error
    if "word/document.xml" in names:
        return "docx", "DOCX"
    if "xl/workbook.xml" in names:
        raise UnsupportedFile(
            str(path), "the content is an Excel workbook (.xlsx), which is not read"
        )
    if "ppt/presentation.xml" in names:
        raise UnsupportedFile(
            str(path), "the content is a PowerPoint file (.pptx), which is not read"
        )
    raise UnsupportedFile(str(path), "the content is a ZIP archive; unpack it first")


def sniff(path: Path) -> str:
    """Return the reader kind for ``path``: content decides, and a name that contradicts it is an error.

    A file whose extension claims one family (say ``.pdf``) but whose bytes are another (a PNG) is
    refused with a message naming both, because silently reading it would hide a filing mistake.
    Images named with another image extension (.jpg holding PNG) are accepted.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise UnsupportedFile(str(path), f"cannot be opened ({error.strerror or error})") from error
    if not head:
        raise EmptyDocument(str(path), "the file is empty (0 bytes)")
    kind, label = sniff_bytes(head, path)
    claimed = EXTENSIONS.get(path.suffix.lower())
    if claimed is None or claimed == kind:
        return kind
    if {claimed, kind} == {"html", "text"}:
        return claimed  # a .txt holding markup is read as text; a .html holding plain text as HTML
    raise UnsupportedFile(
        str(path),
        f"the name ends in {path.suffix} but the content is {_describe(kind, label)}; "
        f"rename the file to match its content",
    )
