"""Catalog fields read from a document's own text: number, type, issuer, date, title, partner, topic.

Why: librarians search and filter by "137/KH-UBND", by issuing body and by date, and scans carry no
file metadata. Administrative documents say all of it in their official header (``ingest.header``);
articles and papers have a headline and a byline date instead. Partner country and technology area
come from the whole text, matched on folded text (``fold``) so OCR-garbled accents do not matter.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import get_month_names

from catalog import DocumentMetadata
from hoptac.vietnamese import STRIPPED_THRESHOLD, convert_legacy, fold
from ingest.diacritics import restore, stripped_score
from ingest.header import read_header
from ingest.readers.quality import text_quality

#: Partner countries: folded names in vi/en/fr -> English name.
_COUNTRIES = {
    "phap": "France", "france": "France", "nhat ban": "Japan", "japan": "Japan", "japon": "Japan",
    "han quoc": "South Korea", "korea": "South Korea", "coree": "South Korea", "duc": "Germany",
    "germany": "Germany", "allemagne": "Germany", "my": "United States", "hoa ky": "United States",
    "united states": "United States", "etats-unis": "United States", "trung quoc": "China",
    "china": "China", "chine": "China", "nga": "Russia", "russia": "Russia", "singapore": "Singapore",
    "australia": "Australia", "thai lan": "Thailand", "thailand": "Thailand",
    "vuong quoc anh": "United Kingdom", "united kingdom": "United Kingdom", "cuba": "Cuba",
}  # fmt: skip
#: Technology areas: folded keywords -> area.
_AREAS = {
    "AI": (
        "tri tue nhan tao",
        "(ai)",
        "(al)",
        "artificial intelligence",
        "intelligence artificielle",
        "machine learning",
    ),
    "telemedicine": (
        "telemedicine",
        "y te tu xa",
        "kham benh tu xa",
        "hoi chan tu xa",
        "telehealth",
    ),
    "imaging": ("chan doan hinh anh", "medical imaging", "imagerie", "mri", "ct scan"),
    "genomics": ("chinh sua gen", "genomic", "genome", "crispr", "giai trinh tu gen"),
    "digital health": (
        "chuyen doi so",
        "y te so",
        "digital health",
        "blockchain",
        "ho so suc khoe dien tu",
    ),
    "medical devices": ("thiet bi y te", "medical device"),
}
_DATE_WORDS = re.compile(
    r"ngay\s*(?P<day>[/l|i]?\d{1,2})\s*thang\s*(?P<month>[/l|i]?\d{1,2})\s*nam\s*(?P<year>\d{4})"
)
_DATE_NUMERIC = re.compile(r"\b(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})\b")
#: Month names of partner publications (English and French, from CLDR), folded: "12 March 2024",
#: "March 12, 2024", "le 5 juin 2023", "1er août 2022".
_MONTHS = {
    fold(name).rstrip("."): number
    for locale in ("en", "fr")
    for width in ("wide", "abbreviated")
    for number, name in get_month_names(width, locale=locale).items()
}
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_DATE_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b"
)
_DATE_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"
)
_TOC = re.compile(r"\.{4,}|…{2,}")  # "1. Introduction ........ 3": a table of contents
_PRODUCER_TITLE = re.compile(
    r"^(?:microsoft (?:word|excel|powerpoint)\b|untitled$)|\.(?:docx?|pdf)$"
)


#: How much of a document's start holds its official header: about a page.
HEADER_CHARS = 4000


def readable_head(text: str) -> str:
    """``text`` with its first page restored where it is accent-stripped or someone else's OCR.

    The header is read on folded text, so lost accents alone do no harm; but such OCR also mangles
    letters ("UYBANNHANDAN", "ngay 29 thdng 3 néim 2024"), which the restorer reads back.
    """
    end = len(text) if len(text) <= HEADER_CHARS else text.rfind("\n", 0, HEADER_CHARS)
    if end <= 0:
        end = min(len(text), HEADER_CHARS)
    head = text[:end]
    if stripped_score(head) <= STRIPPED_THRESHOLD:
        return text
    return restore(head) + text[end:]


def extract_metadata(
    text: str, title_hint: str | None = None, date_hint: str | None = None
) -> DocumentMetadata:
    """Read the catalog fields of a document from its text.

    A document with an official header (see ``ingest.header``) is described by its header alone:
    what the header leaves blank stays empty, since the file's own dates are when it was saved,
    not when it was signed. A document with a typed heading but no such header (an agreement)
    may take the first date its text gives. Articles and papers take the file's title and date
    (``title_hint``, ``date_hint``) where the text gives none.
    """
    header = read_header(text, date_hint)
    folded = fold(text)
    administrative = header.official or header.doc_type is not None
    if administrative:
        title = header.title
        doc_type = header.doc_type
        issue_date = header.issue_date
        if not header.official:  # an agreement or annex: a typed heading, no Decree 30 header
            issue_date = issue_date or _any_date(fold(text[:2000]))
    else:
        heading = _agreement_heading(text)
        doc_type = _article_or_paper(text)
        if heading and doc_type != "paper":
            doc_type = heading[0]
        title = _clean_hint(title_hint) or (heading[1] if heading else _first_sentence(text))
        issue_date = _any_date(fold(text[:2000])) or date_hint
    return DocumentMetadata(
        title=title or _clean_hint(title_hint),
        number=header.number,
        doc_type=doc_type,
        issuer=header.issuer if administrative else None,
        issue_date=issue_date,
        place=header.place,
        references=header.references,
        partner_country=_partner(folded),
        technology_area=_area(folded),
    )


#: The headings a partner's agreement opens with in English or French, folded, as the types a
#: Vietnamese agreement is filed under (``ingest.header.TYPES``), so one filter finds both. Never
#: "agreement" alone: a news headline ("Agreement signed in Seoul on ...") reports one.
_FOREIGN_AGREEMENTS = {
    "memorandum of understanding": "Bản ghi nhớ", "memorandum d'entente": "Bản ghi nhớ",
    "protocole d'accord": "Bản ghi nhớ", "cooperation agreement": "Thỏa thuận",
    "collaboration agreement": "Thỏa thuận", "framework agreement": "Thỏa thuận",
    "agreement between": "Thỏa thuận", "agreement on": "Thỏa thuận", "agreement for": "Thỏa thuận",
    "accord de": "Thỏa thuận", "accord entre": "Thỏa thuận", "accord-cadre": "Thỏa thuận",
    "convention de cooperation": "Thỏa thuận", "convention de partenariat": "Thỏa thuận",
}  # fmt: skip


def _agreement_heading(text: str) -> tuple[str, str] | None:
    """(type, title) where the text opens with an agreement's heading in English or French; the
    parties' line under a short heading belongs to the title ("MEMORANDUM OF UNDERSTANDING" /
    "between the Hanoi Department of Health and ...")."""
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    first = fold(lines[0])
    found = [key for key in _FOREIGN_AGREEMENTS if re.match(rf"{re.escape(key)}(?![a-z])", first)]
    if not found:
        return None
    title = lines[0]
    if len(lines) > 1 and re.match(r"(?:between|entre)\b", fold(lines[1])):
        title = f"{title} {lines[1]}"
    return _FOREIGN_AGREEMENTS[max(found, key=len)], title


def _article_or_paper(text: str) -> str:
    folded = fold(text[:3000])
    if re.search(r"\babstract\b|\bintroduction\b.*\bmethods\b|\breferences\b", folded, re.DOTALL):
        return "paper"
    return "article"


def _clean_hint(title_hint: str | None) -> str | None:
    """The file's own title, unless it is a producer's ("Microsoft Word - x.doc") or mojibake."""
    if not title_hint:
        return None
    hint = title_hint.lstrip("#").strip()
    if not hint or _PRODUCER_TITLE.search(fold(hint)) or text_quality(hint) < 0.8:
        return None
    if convert_legacy(hint) != hint:
        return None  # "Së V¨n hãa": a legacy-font title left over from the template
    return hint


def _first_sentence(text: str) -> str | None:
    """The headline of an article: the first line of six words or more that is not a byline
    time ("08:30"), a rubric or a table-of-contents entry."""
    for line in text.splitlines():
        line = line.lstrip("#").strip()
        if len(line.split()) < 6 or re.search(r"\d{2}:\d{2}", line) or _TOC.search(fold(line)):
            continue
        return line
    return None


#: What stands before a date that belongs to another document: its number ("Phiếu chuyển số
#: 3578/PC-VP ngày 09 tháng 02 năm 2021", "Nghị định số 55/2019/NĐ-CP ngày 24/6/2019").
#: The number may be garbled ("ZZZ|QĐ-BTP"), but keeps its shape: digits or a slash, and a code.
_CITED_BEFORE = re.compile(r"\S*[\d/|]\S*[a-z]-?[a-z]*\S*\s*,?\s*(?:(?:ngay|dated|du)\s*)?$")


def _any_date(folded: str) -> str | None:
    """The first date of a text without a header (an article's byline), passing over the dates
    of the documents it cites: like their numbers, they are never its own. A date that names its
    month (English, French) is trusted before a numeric one, whose order varies."""
    for pattern in (_DATE_WORDS, _DATE_DAY_MONTH, _DATE_MONTH_DAY, _DATE_NUMERIC):
        for found in pattern.finditer(folded):
            if _CITED_BEFORE.search(folded[max(0, found.start() - 40) : found.start()]):
                continue
            day, month, year = _day_month_year(found)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                continue
    return None


def _day_month_year(found: re.Match[str]) -> tuple[int, int, int]:
    """Any of the date patterns' named groups as numbers; OCR reads a leading "1" as "/", "l",
    "|" or "i"."""
    day, month, year = (re.sub(r"^[/l|i]", "1", found[g]) for g in ("day", "month", "year"))
    return int(day), _MONTHS.get(month) or int(month), int(year)


def _partner(folded: str) -> str | None:
    """The most mentioned partner country, if any is named."""
    counts: dict[str, int] = {}
    for name, country in _COUNTRIES.items():
        hits = len(re.findall(_country_pattern(name), folded))
        if (
            hits
            and name not in ("my", "duc", "nga")
            or hits
            and re.search(
                rf"\b(?:nuoc|quoc gia|nhu)\b(?:[\s,:;]+[a-z]+){{0,{_LIST_WORDS}}}?[\s,:;]+"
                + _country_pattern(name),
                folded,
            )
        ):
            counts[country] = counts.get(country, 0) + hits
    if not counts:
        return None
    top = max(counts.values())
    leaders = sorted(
        (c for c in counts if counts[c] == top), key=lambda c: _first_mention(folded, c)
    )
    return ", ".join(leaders)  # a plan that lists its partners equally names them all


def _first_mention(folded: str, country: str) -> int:
    positions = [
        m.start()
        for name, c in _COUNTRIES.items()
        if c == country
        for m in re.finditer(_country_pattern(name), folded)
    ]
    return min(positions, default=len(folded))


#: Folded, some country names are also common words, which make a compound with the syllable
#: before or after them: "pháp" (law, method: "Bộ Tư pháp", "giải pháp", "liệu pháp", "pháp luật",
#: "Tổ Pháp chế", "pháp nhân"), "mỹ" ("mỹ phẩm", "thẩm mỹ"), "đức" ("giáo dục" is "giao duc",
#: "đạo đức"), "hoa kỳ" (a verb in "-hóa" before "kỳ": "hệ thống hóa kỳ báo cáo"). An
#: administrative text writes them on every page: such a compound names no country.
_COMPOUNDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "phap": (
        ("tu", "giai", "bien", "phuong", "hop", "hien", "lap", "hanh", "ngu", "thu", "lieu"),
        ("luat", "ly", "che", "lenh", "nhan", "quy", "dien", "dinh", "tri", "y(?! te)"),
    ),
    "my": (("tham", "hoan"), ("pham", "thuat", "nghe", "quan", "dinh", "tho", "duc", "le")),
    "duc": (("giao", "dao", "my"), ()),
    "hoa ky": (("thong", "dai", "so", "chuan", "nghiep", "hoi"), ()),  # "hệ thống hóa kỳ báo cáo"
}
#: Short names ("my", "duc", "nga") count only in a list of countries: this many words at most
#: after "nước", "quốc gia" or "như" ("các nước như: Mỹ, Pháp, Đức, Nga").
_LIST_WORDS = 6


def _country_pattern(name: str) -> str:
    """A country name as a word, not inside one of the compounds ``_COMPOUNDS`` lists."""
    before, after = _COMPOUNDS.get(name, ((), ()))
    not_before = "".join(rf"(?<!\b{word} )" for word in before)
    not_after = "".join(rf"(?! {word}(?![a-z]))" for word in after)
    return rf"(?<![a-z]){not_before}{re.escape(name)}(?![a-z]){not_after}"


def _area(folded: str) -> str | None:
    counts = {
        area: sum(len(re.findall(rf"(?<![a-z]){re.escape(k)}(?![a-z])", folded)) for k in keywords)
        for area, keywords in _AREAS.items()
    }
    best = max(counts, key=lambda a: counts[a])
    return best if counts[best] else None
