"""Numbers and dates stamped onto a page by signing software, read back from the page image.

Why: Vietnamese offices sign PDFs with software that stamps the document's number and day into the
header when it signs, as widgets over the page. The text layer keeps the blanks the clerk left
("Số: /QĐ-BYT", "Hà Nội, ngày tháng năm 2025") while the rendered page shows "2093" and
"24 tháng 6". A librarian searching "2093/QĐ-BYT" must find it, so the page's text gets the
values the page shows: the header of the rendered page is OCR'd and each blank is filled only
where OCR reads a value for the same code and year; a blank OCR cannot read stays blank.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from hoptac.vietnamese import fold

#: "Số: /QĐ-BYT" (capital S: the header's own number line, not "Kèm theo Quyết định số: /...").
BLANK_NUMBER = re.compile(
    r"(?P<lead>S[ốôoỐÔO]\s*:?\s*)(?P<code>/\s*[A-ZĐ][\w&]*(?:\s*-\s*[\w&]+)*)"
)
#: "ngày tháng năm 2025", or "ngày tháng 02 năm 2021" with the day alone left blank.
BLANK_DATE = re.compile(r"ngày\s+tháng\s+(?P<month>\d{1,2}\s+)?năm\s+(?P<year>\d{4})")
#: A day or month as OCR reads it: a leading "1" often comes out as "/", "l", "|" or "i".
_SLOT = r"[/l|i]?\d{1,2}"
#: Pages where an official header (and so a stamped or handwritten number or date) may stand.
HEADER_PAGES = 2
#: Share of the page's height, from the top, that holds the header.
HEADER_SHARE = 0.35


def has_blanks(text: str) -> bool:
    """True when the header of a text layer has a number or date left blank for the stamp."""
    text = unicodedata.normalize("NFC", text)
    return bool(BLANK_NUMBER.search(text) or BLANK_DATE.search(text))


def fill_blanks(text: str, image_text: str) -> tuple[str, list[str]]:
    """``text`` with its blank number and date filled from the OCR of the same page's header,
    and the names of the fields filled ("number", "date")."""
    text = unicodedata.normalize("NFC", text)
    seen = fold(image_text)
    filled: list[str] = []
    number = BLANK_NUMBER.search(text)
    if number:
        code = re.sub(r"\s+", "", number["code"])
        code_pattern = r"\s*".join(re.escape(char) for char in fold(code)[1:])
        found = re.search(rf"(?<![\d/])(\d{{1,5}})\s*\.?\s*/\s*{code_pattern}(?![a-z])", seen)
        if found:
            text = f"{text[: number.start()]}{number['lead']}{found[1]}{code}{text[number.end() :]}"
            filled.append("number")
    blank_date = BLANK_DATE.search(text)
    if blank_date:
        month = (blank_date["month"] or "").strip()
        year = blank_date["year"]
        found = re.search(rf"ngay\s*({_SLOT})\s*thang\s*({_SLOT})\s*nam\s*{year}", seen)
        day, seen_month = (_digits(found[1]), _digits(found[2])) if found else (0, 0)
        if _is_date(year, seen_month, day) and (not month or int(month) == seen_month):
            written = f"ngày {day:02d} tháng {month or seen_month} năm {year}"
            text = text[: blank_date.start()] + written + text[blank_date.end() :]
            filled.append("date")
    return text, filled


def _digits(slot: str) -> int:
    return int(re.sub(r"^[/l|i]", "1", slot))


def _is_date(year: str, month: int, day: int) -> bool:
    try:
        date(int(year), month, day)
    except ValueError:
        return False
    return True
