"""Plain-text reader (TXT, Markdown): encoding detection that does not miss Vietnamese CP1258."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from catalog import Page
from hoptac.errors import IngestError
from ingest.limits import CHARS, limit_message
from ingest.records import ExtractedDocument

#: Letters only Vietnamese uses among the Latin-script languages we meet, plus CP1258's tone marks.
_VIETNAMESE_MARKS = frozenset("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


#: Valid non-ASCII UTF-8 characters needed, and at most one bad byte per this many of them, for a
#: file that is not strict UTF-8 to be read as UTF-8 with replacements.
MIN_VALID_UTF8 = 3
VALID_PER_BAD_BYTE = 10


@dataclass(frozen=True)
class Decoded:
    """Text with the encoding it was decoded from."""

    text: str
    encoding: str
    #: Bytes that fit no character of ``encoding``, each shown as U+FFFD in ``text``.
    replaced: int = 0


def looks_like_cp1258(raw: bytes) -> bool:
    """True when ``raw`` decodes as Windows-1258 into Vietnamese: tone marks that all sit on letters.

    Detectors usually call such files Windows-1252 (the byte sets overlap), which turns "Hợp tác"
    into "Hôòp taìc"; the tell is CP1258's combining tone marks, which must follow a vowel.
    """
    try:
        decoded = raw.decode("cp1258")
    except UnicodeDecodeError:
        return False
    marks = sum(1 for char in decoded if char in _VIETNAMESE_MARKS)
    if marks < 3:
        return False
    composed = unicodedata.normalize("NFC", decoded)
    stray = sum(1 for char in composed if unicodedata.combining(char))
    return stray <= marks * 0.02


def mostly_utf8_text(raw: bytes) -> Decoded | None:
    """UTF-8 with its few undecodable bytes replaced, when the rest is plainly UTF-8; else None.

    One stray byte (a Windows 0x92 apostrophe pasted into Vietnamese UTF-8) must not make the whole
    file decode as CP1258 ("Sá»Ÿ Y táº¿"): many valid multi-byte characters against a few bad
    bytes is UTF-8, damaged. A real CP1258 file hardly ever holds a valid multi-byte sequence.
    """
    text = raw.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - raw.count("\ufffd".encode())
    valid = sum(1 for char in text if ord(char) > 0x7F and char != "\ufffd")
    if valid >= MIN_VALID_UTF8 and replaced * VALID_PER_BAD_BYTE <= valid:
        return Decoded(text, "utf-8", replaced=replaced)
    return None


def decode(raw: bytes) -> Decoded:
    """Decode bytes: BOM, BOM-less UTF-16, strict UTF-8, UTF-8 with a few bad bytes,
    CP1258 if it fits, else charset-normalizer.

    CP1258 text is composed to NFC, since the codec's decomposed output is an artefact of the
    encoding, not of the document (every later stage expects composed Vietnamese).
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return Decoded(raw.decode(encoding), encoding)
    if raw.count(b"\x00") > len(raw) // 4:  # BOM-less UTF-16: NUL high bytes of ASCII letters
        encoding = (
            "utf-16-le" if raw[1::2].count(b"\x00") > raw[0::2].count(b"\x00") else "utf-16-be"
        )
        try:
            return Decoded(raw.decode(encoding), encoding)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mostly_utf8 = mostly_utf8_text(raw)
    if mostly_utf8 is not None:
        return mostly_utf8
    if looks_like_cp1258(raw):
        return Decoded(unicodedata.normalize("NFC", raw.decode("cp1258")), "cp1258")
    best = from_bytes(raw).best()
    if best is None:
        raise ValueError("no text encoding fits these bytes")
    return Decoded(str(best), best.encoding)


def read_head(path: Path, max_chars: int | None) -> tuple[bytes, bool]:
    """The file's bytes, or only as many as ``max_chars`` characters can take; and whether cut.

    A multi-gigabyte log file must not be read whole when only its first ``max_chars`` characters
    will be indexed. The cut keeps UTF-16/32 code units whole (a multiple of 4 bytes) and, where the
    head is UTF-8, drops a character split by it, so the cut is never reported as damage.
    """
    with path.open("rb") as handle:
        if max_chars is None:
            return handle.read(), False
        limit = max_chars * 4 + 4  # no encoding we read spends more than 4 bytes on a character
        raw = handle.read(limit + 1)
    if len(raw) <= limit:
        return raw, False
    raw = raw[:limit]
    for back in range(1, 4):  # a UTF-8 lead byte whose sequence the cut left short
        if raw[-back] & 0xC0 != 0x80:
            if raw[-back] >= 0xC0:
                trimmed = raw[:-back]
                try:
                    trimmed.decode("utf-8")
                    return trimmed, True
                except UnicodeDecodeError:
                    pass
            break
    return raw, True


def read_text(path: Path, max_chars: int | None = None) -> ExtractedDocument:
    """Read a TXT/MD file; form feeds (\\f) separate pages, as in pdftotext output.

    With ``max_chars``, only the head of a huge file is read (see ``read_head``); the pipeline's
    character limit then cuts it exactly and names the limit in the report.
    """
    raw, cut = read_head(path, max_chars)
    try:
        decoded = decode(raw)
    except ValueError as error:
        raise IngestError(str(path), f"the text encoding cannot be recognised ({error})") from error
    texts = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()
    warnings = (
        []
        if decoded.encoding in ("utf-8", "utf-8-sig", "ascii")
        else [f"decoded as {decoded.encoding}"]
    )
    if decoded.replaced:
        warnings.append(
            f"{decoded.replaced} byte{'s' if decoded.replaced > 1 else ''} not valid "
            f"{decoded.encoding} replaced by U+FFFD; the rest decoded as {decoded.encoding}"
        )
    limits_hit = []
    if cut and max_chars is not None:
        warnings.append(limit_message(CHARS, max_chars, None, "characters"))
        limits_hit.append(CHARS)
    pages = [Page(number, text, "plain") for number, text in enumerate(texts, start=1)]
    return ExtractedDocument(
        path,
        "text",
        pages,
        title=markdown_title(texts[0]),
        warnings=warnings,
        limits_hit=limits_hit,
    )


_HEADING = re.compile(r"#\s+(\S.*)")


def markdown_title(text: str) -> str | None:
    """The first-level heading a Markdown file opens with ("# Sample corpus"): its title, however
    short, where the first long line is only its first list item."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    found = _HEADING.fullmatch(first)
    return found.group(1).strip() if found else None
