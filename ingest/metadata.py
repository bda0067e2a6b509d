"""Catalog fields read from a document's own text: number, type, issuer, date, title, partner, topic.

Why: librarians search and filter by "137/KH-UBND", by issuing body and by date, and scans carry no
file metadata. Vietnamese administrative documents follow one layout (Decree 30/2020/NĐ-CP): issuer
and national motto at the top, "Số: N/XX-YY" and "Hà Nội, ngày D tháng M năm Y", then the type word
and the title. Everything is matched on folded text (``fold``), so OCR-garbled accents do not matter;
values are cut from the original text so they read as the document wrote them.
"""

from __future__ import annotations

import re
from datetime import date

from ingest.normalize import fold
from ingest.records import DocumentMetadata

#: Type names by the folded type word, and by the abbreviation in a document number.
_TYPES = {
    "ke hoach": "Kế hoạch", "quyet dinh": "Quyết định", "thoa thuan": "Thỏa thuận",
    "bien ban ghi nho": "Biên bản ghi nhớ", "cong van": "Công văn", "nghi quyet": "Nghị quyết",
    "thong tu": "Thông tư", "nghi dinh": "Nghị định", "luat": "Luật", "chi thi": "Chỉ thị",
    "thong bao": "Thông báo", "bao cao": "Báo cáo", "to trinh": "Tờ trình",
}  # fmt: skip
_NUMBER_TYPES = {
    "KH": "Kế hoạch", "QD": "Quyết định", "CV": "Công văn", "NQ": "Nghị quyết", "TT": "Thông tư",
    "ND": "Nghị định", "CT": "Chỉ thị", "TB": "Thông báo", "BC": "Báo cáo", "TTR": "Tờ trình",
}  # fmt: skip
#: Known issuing bodies: folded header pattern -> proper name.
_ISSUERS = (
    (r"(?:uy ban nhan dan|ubnd)(?:\s+\S+){0,8}?\s+thanh pho ha noi", "UBND thành phố Hà Nội"),
    (r"so y te\s+(?:thanh pho )?ha noi", "Sở Y tế Hà Nội"),
    (r"bo y te", "Bộ Y tế"),
    (r"chinh phu", "Chính phủ"),
    (r"thu tuong chinh phu", "Thủ tướng Chính phủ"),
    (r"hoi dong nhan dan\s+thanh pho ha noi", "HĐND thành phố Hà Nội"),
    (r"world health organization", "World Health Organization"),
)
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
_NUMBER = re.compile(
    r"\bs[o0-9]\s*:?\s*(\d{1,5})\s*/\s*((?:\d{4}/)?[a-z]{1,5}(?:\s*-\s*[a-z]{1,6}){1,2})\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(r"ngay\s*([/l|i]?\d{1,2})\s*thang\s*([/l|i]?\d{1,2})\s*nam\s*(\d{4})")
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_HEAD_LINES = 12


def extract_metadata(
    text: str, title_hint: str | None = None, date_hint: str | None = None
) -> DocumentMetadata:
    """Read the catalog fields of a document from its text; hints (file metadata) fill what is missing."""
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines()]
    head = "\n".join([line for line in lines if line][:_HEAD_LINES])
    folded_head = fold(head)
    number = _number(head)
    doc_type = _doc_type(head, number, text)
    title = _title(lines, doc_type)
    if doc_type in ("article", "paper") and title_hint:
        title = title_hint.lstrip("#").strip()  # the page's or file's own title beats a guess
    return DocumentMetadata(
        title=title or title_hint,
        number=number,
        doc_type=doc_type,
        issuer=None if doc_type in ("article", "paper") else _issuer(folded_head, head),
        issue_date=_issue_date(folded_head) or _issue_date(fold(text[:2000])) or date_hint,
        partner_country=_partner(fold(text)),
        technology_area=_area(fold(text)),
    )


def _number(head: str) -> str | None:
    """The document's own number, after "Số:" in its header (not the numbers it cites later)."""
    found = _NUMBER.search(fold(head).replace(" /", "/"))
    if not found:
        return None
    parts = re.split(r"([-/])", re.sub(r"\s+", "", found.group(2)).upper())
    suffix = "".join({"QD": "QĐ", "ND": "NĐ"}.get(part, part) for part in parts)
    return f"{found.group(1)}/{suffix}"


def _doc_type(head: str, number: str | None, text: str) -> str | None:
    for line in head.split("\n"):
        name = _type_heading(fold(line))
        if name:
            return name
    if number:
        code = fold(number.split("/")[-1].split("-")[0]).upper()
        if code in _NUMBER_TYPES:
            return _NUMBER_TYPES[code]
    folded = fold(text[:3000])
    if re.search(r"\babstract\b|\bintroduction\b.*\bmethods\b|\breferences\b", folded, re.DOTALL):
        return "paper"
    return "article"


def _type_heading(folded_line: str) -> str | None:
    """The type a heading line announces: "KE HOACH", ". QUYET DINH:", "THOA THUAN HOP TAC"."""
    line = _bare(folded_line)
    for word, name in _TYPES.items():
        if line == word or (
            line.startswith(word + " ") and len(line.split()) <= len(word.split()) + 3
        ):
            return name
    return None


def _bare(folded_line: str) -> str:
    """A folded line without OCR debris or punctuation at either end."""
    return re.sub(r"^[^a-z0-9]+|[^a-z0-9]+$", "", folded_line.strip())


def _issuer(folded_head: str, head: str) -> str | None:
    """The known body named first in the header (the issuer stands before anything it cites)."""
    joined = " ".join(folded_head.split())
    found = [(m.start(), name) for pattern, name in _ISSUERS if (m := re.search(pattern, joined))]
    return min(found)[1] if found else None


def _issue_date(folded: str) -> str | None:
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        found = pattern.search(folded)
        if found:
            day, month, year = (_ocr_digits(g) for g in found.groups())
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                continue
    return None


def _ocr_digits(field: str) -> int:
    """OCR reads a leading "1" as "/", "l", "|" or "i": "/5" is 15."""
    return int(re.sub(r"^[/l|i]", "1", field))


def _title(lines: list[str], doc_type: str | None) -> str | None:
    """The line(s) after the type word, up to the first blank line, as found in the text."""
    if not doc_type or doc_type in ("article", "paper"):
        # Skip the rubric ("Y tế - Giáo dục") and the byline: the headline is the first real sentence.
        return next(
            (
                line
                for line in lines
                if len(line.split()) >= 6 and not re.search(r"\d{2}:\d{2}", line)
            ),
            None,
        )
    for index, line in enumerate(lines[:40]):
        if _type_heading(fold(line)) != doc_type:
            continue
        rest = _bare(line.casefold()).split(maxsplit=len(doc_type.split()))[len(doc_type.split()) :]
        title_lines = [" ".join(rest)] if rest else []
        body = lines[index + 1 :]
        while body and not body[0]:
            body = body[1:]
        for next_line in body:
            if not next_line or _ends_title(next_line, body[0]):
                break
            title_lines.append(next_line)
        if title_lines:
            return f"{doc_type} " + " ".join(title_lines)
    return None


def _ends_title(line: str, first: str) -> bool:
    """A title runs until a blank line, the preamble ("Căn cứ", "Thực hiện"), or a change of case:
    "GIÁM ĐỐC SỞ Y TẾ" under a sentence-case title is the signer's heading, not the title."""
    if re.match(r"(?:-\s*)?(?:can cu|thuc hien|xet de nghi)\b", fold(line)):
        return True
    return _upper(line) != _upper(first)


def _upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _partner(folded: str) -> str | None:
    """The most mentioned partner country, if any is named."""
    counts: dict[str, int] = {}
    for name, country in _COUNTRIES.items():
        hits = len(re.findall(_country_pattern(name), folded))
        if (
            hits
            and name not in ("my", "duc", "nga")
            or hits
            and re.search(rf"(?:nuoc|quoc gia|nhu:?)\s*[^.]*\b{name}\b", folded)
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


def _country_pattern(name: str) -> str:
    """A country name as a word; "phap" not in "phap luat" (law) or "giai phap" (solution)."""
    if name == "phap":
        return r"(?<![a-z])(?<!giai )(?<!bien )(?<!phuong )phap(?![a-z])(?! luat)(?! ly)"
    return rf"(?<![a-z]){re.escape(name)}(?![a-z])"


def _area(folded: str) -> str | None:
    counts = {
        area: sum(len(re.findall(rf"(?<![a-z]){re.escape(k)}(?![a-z])", folded)) for k in keywords)
        for area, keywords in _AREAS.items()
    }
    best = max(counts, key=lambda a: counts[a])
    return best if counts[best] else None
