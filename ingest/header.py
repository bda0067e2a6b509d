"""The official header of a Vietnamese administrative document, read as a clerk reads it.

Why: Decree 30/2020/NĐ-CP fixes where each fact stands: the issuing body at top left (under its
parent body, if any), "Số: 123/QĐ-UBND" under it, the national motto at top right with "Hà Nội,
ngày 12 tháng 5 năm 2025" under it, then the type in capitals (QUYẾT ĐỊNH, KẾ HOẠCH...) and the
summary; an official letter has "V/v ..." under its number instead of a type. A clerk reads those
places and nothing else, so numbers and dates cited in the body ("Căn cứ Nghị định số
148/2025/NĐ-CP ngày 12/6/2025") never become the document's own; they are kept as references.

Text layers and OCR put the two columns of the header on the same lines ("UỶ BAN NHÂN DÂN CỘNG
HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), so the motto, the number and the place-and-date are cut out of
each line and what is left of the left column is the issuer. Everything is matched on folded text
(``fold``), so accent-stripped or garbled OCR ("CONG HOA XA HOI", "S6:") reads the same; values
are cut from the original text so they read as the document wrote them. A field the text leaves
blank or unreadable (a handwritten day read as "Jt") stays empty rather than taken from somewhere
else; numbers and dates that signing software stamps over blanks are filled in by the PDF reader
from the page image (``ingest.readers.stamps``) before the header is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from hoptac.vietnamese import (
    CODE_ACCENTS,
    FORMULA_MIN_SCORE,
    NATIONAL_MOTTO,
    fold,
    is_vietnamese_syllable,
)
from hoptac.vietnamese import mostly_upper as _upper
from ingest.bodies import (
    committee_of,
    committee_over_preamble,
    is_province,
    issuer_from_code,
    issuer_name,
    line_starts_body,
    name_runs_on,
    place_name,
)

#: Type names by the folded type heading.
TYPES = {
    "quyet dinh": "Quyết định", "ke hoach": "Kế hoạch", "chi thi": "Chỉ thị",
    "thong bao": "Thông báo", "nghi quyet": "Nghị quyết", "nghi dinh": "Nghị định",
    "thong tu": "Thông tư", "thong tu lien tich": "Thông tư liên tịch", "luat": "Luật",
    "bo luat": "Bộ luật", "phap lenh": "Pháp lệnh", "to trinh": "Tờ trình", "bao cao": "Báo cáo",
    "cong van": "Công văn", "cong dien": "Công điện", "chuong trinh": "Chương trình",
    "huong dan": "Hướng dẫn", "quy che": "Quy chế", "quy dinh": "Quy định", "de an": "Đề án",
    "danh muc": "Danh mục", "bien ban": "Biên bản", "giay moi": "Giấy mời",
    "thoa thuan": "Thỏa thuận", "bien ban ghi nho": "Biên bản ghi nhớ",
    "ban ghi nho": "Bản ghi nhớ", "ban thoa thuan": "Bản thỏa thuận", "hop dong": "Hợp đồng",
    "thong cao": "Thông cáo", "phuong an": "Phương án", "thu ngo": "Thư ngỏ",
    "giay gioi thieu": "Giấy giới thiệu", "giay uy quyen": "Giấy ủy quyền",
    "thong bao lien tich": "Thông báo liên tịch", "nghi quyet lien tich": "Nghị quyết liên tịch",
}  # fmt: skip
#: Type names by the first part of a number's code ("QĐ" in "2093/QĐ-BYT"), folded but for "HĐ"
#: (a contract), which folds to a guide's "HD".
NUMBER_TYPES = {
    "QD": "Quyết định", "KH": "Kế hoạch", "CT": "Chỉ thị", "TB": "Thông báo",
    "NQ": "Nghị quyết", "ND": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
    "TTR": "Tờ trình", "BC": "Báo cáo", "CV": "Công văn", "CD": "Công điện",
    "HD": "Hướng dẫn", "CTR": "Chương trình", "QH": "Luật", "HĐ": "Hợp đồng", "KL": "Kết luận",
    "VBHN": "Văn bản hợp nhất",
}  # fmt: skip
#: Types whose date is the day the legislature passed them, written at the end of the text.
PASSED_TYPES = ("Luật", "Bộ luật", "Pháp lệnh")
#: Titles that head the preamble ("BỘ TRƯỞNG BỘ Y TẾ") and end the summary.
_SIGNER_WORDS = (
    "bo truong", "chu tich", "giam doc", "thu tuong", "cuc truong", "vien truong",
    "hieu truong", "tong giam doc", "tong cuc truong", "chanh van phong",
)  # fmt: skip
#: The national motto, and how close (rapidfuzz partial ratio, folded) a line must come to it;
#: Party documents carry the Party's name in its place. The Party's name is short, so it must
#: come closer: "... của công dân Việt Nam" in a summary is not it.
_MOTTO = {
    fold(NATIONAL_MOTTO): FORMULA_MIN_SCORE,
    "doc lap - tu do - hanh phuc": FORMULA_MIN_SCORE,
    "dang cong san viet nam": 90.0,
}
#: "Số: 2093/QĐ-BYT", "S6: /QĐ-BYT", "Luật số: 64/2025/QH15", "Số: 3070. /KH-UBND", on folded text.
_OWN_NUMBER = re.compile(
    r"(?<![a-z0-9])(?P<lead>[a-z ]{0,20}?)[s5][o0-9e]?\s*[:;]\s*"
    r"(?P<digits>[^\s/]{1,6}(?:\s+[^\s/]{1,6})?)?\s*/\s*"
    r"(?P<code>(?:\d{4}\s*/\s*)?[a-z][a-z0-9&]*(?:\s*-\s*[a-z][a-z0-9&]*|[./][a-z][a-z0-9&]*)*)"
)
#: A Party document's "Số 57-NQ/TW" (number, dash, type and issuing committee), on folded text.
_PARTY_NUMBER = re.compile(
    r"(?<![a-z0-9])s[o0-9e]?\s*(?P<colon>[:;]?)\s*(?P<digits>\d{1,5})\s*-\s*"
    r"(?P<code>[a-z]{1,5}\s*/\s*[a-z]{1,8}(?:\s*-\s*[a-z0-9]{1,8})?)(?![a-z/])"
)
#: "148/2025/NĐ-CP", "15/2023/QH15", "5369/QĐ-UBND", "01/2004/TTLT/BVHTT-BYT", and the Party's
#: "57-NQ/TW".
_CITED_NUMBER = re.compile(
    r"(?<![\w/])\d{1,5}/(?:\d{4}/[A-ZĐ][\w&]*(?:-[A-ZĐ][\w&]*)*|[A-ZĐ][\w&]*(?:-[A-ZĐ][\w&]*)+)"
    r"(?:[./][A-ZĐ][\w&]*(?:-[A-ZĐ][\w&]*)*)*"
    r"|(?<![\w/])\d{1,5}-[A-Z]+/[A-Z]+\b"
)
#: The official gazette's heading line, under or after the type ("NGHỊ ĐỊNH" / "SỐ 136/2007/NĐ-CP
#: NGÀY 17 THÁNG 8 NĂM 2007", "QUYẾT ĐỊNH CỦA BỘ TRƯỞNG BỘ Y TẾ SỐ 23/2005/QĐ-BYT NGÀY ..."): the
#: number and date with no "Số:" line, no place, on folded text.
_GAZETTE = re.compile(
    r"(?:cua\s[a-z\s]{2,60}?\s)?so\s*:?\s*(?P<digits>\d{1,5})\s*/\s*"
    r"(?P<code>(?:\d{4}/)?[a-z][a-z0-9&]*(?:-[a-z][a-z0-9&]*)*)"
    r"\s+ngay\s*(?P<day>\d{1,2})\s*thang\s*(?P<month>\d{1,2})\s*nam\s*(?P<year>\d{4})"
)
#: The day and month slots take anything short, since OCR reads handwritten or stamped digits as
#: "Jt" or "‡†"; only clean digits count (``_slot``). Each word's vowel may be misread ("ndm" năm).
_DATE = re.compile(
    r"ng[a-z]y(?P<day>[^\n]{0,6}?)\s*th[a-z]ng(?P<month>[^\n]{0,6}?)\s*n[a-z]m\s*(?P<year>\d{4})"
)
#: The signing software's box: "Thời gian ký: 27.06.2025 17:00:19" (OCR: "ThO gian ký").
_SIGNED = re.compile(r"gian\s*ky\s*:?\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_PASSED = re.compile(r"thong qua\s+ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
#: The code of the National Assembly and its Standing Committee ("72/2025/QH15"), whose acts are
#: dated the day they were passed.
_ASSEMBLY_CODE = re.compile(r"/(?:UBTV)?QH\d*$")
_ANNEX_OF = re.compile(
    r"kem theo (?P<type>[a-z ]{2,20}?) so:?\s*(?P<number>\d{1,5}/[a-z0-9&/-]+)"
    r"(?:\s*ngay\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}))?"
)
#: How the body after the summary opens: the preamble, the addressees of a letter, or a
#: directive's or notice's first sentence ("Thời gian qua, ...", "Ngày 01/10/2025, ...").
_PREAMBLE = re.compile(
    r"(?:-\s*)?(?:(?:can cu|thuc hien|xet de nghi|theo de nghi|kinh gui|(?:trong )?thoi gian qua"
    r"|(?:trong )?nhung nam qua)\b|ngay \d{1,2}/\d{1,2}/\d{4}\s*,)"
)
#: A place-and-date line ("Hà Nội, ngày 5 tháng 6 năm 2024"): under an agreement's title, where
#: no Decree 30 header put it above, it ends the summary.
_PLACE_DATE = re.compile(r"^[a-z][a-z .'-]{1,40},\s*ng[a-z]y\b")
_HEAD_LINES = 80
#: Only the header's lines are joined where they wrapped; the body keeps its own lines.
_WRAP_LINES = 30
#: How far above the number the issuer's name may start: a page that stacks the header's cells
#: puts the motto, its rules and the cell marks between them.
_ISSUER_LINES = 12


@dataclass
class Header:
    """What the official header says; a field it does not say (or leaves blank) is None."""

    number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    place: str | None = None
    issue_date: str | None = None
    title: str | None = None
    #: The header has the layout of Decree 30 (a number line or the national motto).
    official: bool = False
    #: Numbers the text cites ("148/2025/NĐ-CP"), in order of first mention, never its own.
    references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Line:
    """One line of the head: as written, folded, and where each folded character came from."""

    text: str
    folded: str
    source: tuple[int, ...]
    after_blank: bool = False

    def cut(self, start: int, end: int) -> str:
        """The original text behind folded[start:end]."""
        if start >= end:
            return ""
        return self.text[self.source[start] : self.source[end - 1] + 1]


def read_header(text: str, date_hint: str | None = None) -> Header:
    """Read the official header of ``text``; ``date_hint`` (the file's own date) only completes a
    header date whose day the signing software left blank, when it falls in the printed month."""
    lines = _head(text)
    header = Header()
    number_at = _find_number(lines, header)
    motto_at = [i for i, line in enumerate(lines) if _is_motto_line(line)]
    header.official = number_at is not None or bool(motto_at)
    anchor = number_at if number_at is not None else (motto_at[0] if motto_at else None)
    # the type stands right under the header (or above it, where the layer moved the header down)
    type_at = _find_type(lines if anchor is None else lines[: anchor + 12], header)
    if anchor is None and type_at is not None:
        anchor = _dated_at(lines[:type_at])
        below = _dated_at(lines[type_at + 1 : type_at + 8]) if anchor is None else None
        if below is not None:  # an agreement: its place and date under its title, no header
            _find_date([lines[type_at + 1 + below]], header, None, date_hint)
    if anchor is not None:
        end = type_at if type_at is not None and type_at > anchor else anchor + 8
        signed = _signed_on(lines[: anchor + 1])
        _find_date(lines[max(0, anchor - 6) : end], header, signed, date_hint)
        header.issuer = _issuer(lines, anchor)
        if header.doc_type is None:
            # without a number line, a copy may set the "V/v" cell above the motto it anchors on
            _letter(lines, anchor if number_at is not None else max(0, anchor - 4), anchor, header)
    if header.issuer is None and header.number:
        header.issuer = issuer_from_code(header.number)
    header.place = _place_as_issuer_writes_it(header.place, header.issuer)
    if header.issuer in ("UBND", "HĐND") and type_at is not None:
        over = lines[type_at + 1 : type_at + 10]
        named = (committee_over_preamble(header.issuer, line.text) for line in over)
        header.issuer = next(filter(None, named), header.issuer)
    header.issuer = committee_of(header.issuer, header.place)
    if type_at is not None:
        header.title = _summary(lines, type_at)
    assembly = bool(header.number and _ASSEMBLY_CODE.search(header.number))
    if header.doc_type in PASSED_TYPES or (assembly and not header.issue_date):
        passed = _PASSED.search(fold(text))
        if passed:
            header.issue_date = _iso(*passed.groups())
    if not header.official:
        _annex(lines, header)
    header.references = [n for n in cited_numbers(text) if n != header.number]
    return header


def _head(text: str) -> list[_Line]:
    """The first lines of the text, folded, Markdown heading marks and empty lines aside, with the
    header's cells that wrapped onto a second line joined again (``_wraps``)."""
    lines: list[_Line] = []
    blank = False
    for raw in text.splitlines():
        line = raw.strip().lstrip("#").strip()
        if not line:
            blank = True
            continue
        folded = _fold_line(line, after_blank=blank)
        if lines and len(lines) < _WRAP_LINES and not blank and _wraps(lines[-1], folded):
            lines[-1] = _fold_line(f"{lines[-1].text} {line}", lines[-1].after_blank)
        else:
            lines.append(folded)
        blank = False
        if len(lines) == _HEAD_LINES:
            break
    return lines


def _wraps(first: _Line, second: _Line) -> bool:
    """True when ``second`` goes on with a header cell that ``first`` began. A narrow column
    wraps its cells, and a web page's text may break one after its first word, so the motto,
    the number, the place and date and the issuer's name can each come on two lines: "CỘNG HÒA
    XÃ HỘI" / "CHỦ NGHĨA VIỆT NAM", "Số:" / "33/2009/QĐ-UBND", "Sơn" / "La, ngày 11 tháng 3" /
    "năm 2020", "ỦY" / "BAN NHÂN DÂN"."""
    a, b = first.folded, second.folded
    if re.search(r"(?:^|\s)s[o0-9e]?\s*[:;]$", a):
        return bool(re.match(r"[\d/ ]", b))  # "Số:" with its number under it
    if _date_begun(a):
        return bool(re.match(r"(?:\d|thang\b|nam\b)", b))
    if a.endswith(",") and re.match(r"ngay\b", b):
        return True  # "Quảng Bình," / "ngày 25 tháng 5 năm 2015"
    words = first.text.split()
    if (
        len(words) <= 3
        and not _upper(first.text)
        and all(word[:1].isupper() for word in words)
        and re.match(r"[^\W\d_]+(?: [^\W\d_]+){0,3}, ?ngay\b", b)
    ):
        return True  # "Mỹ" / "Tho, ngày 24 ...": the place cut before its last word
    if first.text.isupper() and second.text.isupper() and re.match(r"cua\b", a):
        numbered = re.search(r"\bso\s*\d", a)  # the gazette's "CỦA THỦ" / "TƯỚNG ... SỐ 16/..."
        if re.search(r"\bso\s*\d", b) or (numbered and re.match(r"ngay\b", b)):
            return True
    if _motto_span(a) is None or _motto_span(b) is None:
        span = _motto_span(f"{a} {b}")
        if span and span[0] < len(a) and span[1] > len(a) + 1:
            return True
    return first.text.isupper() and second.text.isupper() and name_runs_on(a, b)


def _date_begun(folded: str) -> bool:
    """A header date cut before its year: "Kon Tum, ngày 27" (its place before a comma)."""
    begun = re.search(r"(?:^|,)\s*ngay\b", folded)
    return bool(begun) and not _DATE.search(folded)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return " " if char.isspace() else fold(char)


def _fold_line(line: str, after_blank: bool = False) -> _Line:
    folded: list[str] = []
    source: list[int] = []
    for index, char in enumerate(line):
        for piece in _fold_char(char):
            folded.append(piece)
            source.append(index)
    return _Line(line, "".join(folded), tuple(source), after_blank)


def _motto_span(folded: str) -> tuple[int, int] | None:
    """Where the national motto (either line of it) stands in a folded line, OCR slips allowed."""
    for motto, min_score in _MOTTO.items():
        if len(folded) < len(motto) * 0.6:
            continue
        found = fuzz.partial_ratio_alignment(motto, folded)
        if found is not None and found.score >= min_score:
            start, end = found.dest_start, found.dest_end
            while start > 0 and not folded[start - 1].isspace():
                start -= 1  # an OCR slip at the edge ("Péc 1ap") still belongs to the motto
            while end < len(folded) and not folded[end].isspace():
                end += 1
            return start, end
    return None


def _is_motto_line(line: _Line) -> bool:
    """A header's motto line: printed in capitals, or alone on its line ("Độc lập - Tự do -
    Hạnh phúc"), unlike "nước Cộng hòa xã hội chủ nghĩa Việt Nam" in running text."""
    span = _motto_span(line.folded)
    if span is None:
        return False
    return _upper(line.cut(*span)) or span[1] - span[0] >= 0.6 * len(line.folded)


def _find_number(lines: list[_Line], header: Header) -> int | None:
    """The line of "Số: ..." under the issuer; its number is the document's own (None if blank).
    A web page's title or banner may give it first ("Công văn Số: 2728/TCT-DNL V/v: ..."); where
    the same number stands again below, that is the header's line."""
    index = _first_number(lines, header)
    if index is None or not header.number:
        return index
    again = Header()
    later = _first_number(lines[index + 1 :], again)
    if later is None or again.number != header.number:
        return index
    header.issue_date = again.issue_date or header.issue_date
    return index + 1 + later


def _first_number(lines: list[_Line], header: Header) -> int | None:
    for index, line in enumerate(lines):
        named = re.match(r"([a-z ]{2,20}?)\s+(?=s[o0-9e]?\s*:)", line.folded)
        start = named.end() if named and named.group(1) in TYPES else 0  # "Nghị quyết số: 11-NQ/TW"
        party = _PARTY_NUMBER.match(line.folded, start)
        if party and (party["colon"] or line.text.startswith("S")):  # not "số 57-NQ/TW" cited
            code = re.sub(r"\s+", "", line.cut(*party.span("code")))
            header.number = f"{party['digits']}-{code}"
            header.doc_type = NUMBER_TYPES.get(_number_kind(code))
            return index
        gazette = _gazette(lines, index)
        if gazette:
            code = re.sub(r"\s+", "", line.cut(*gazette.span("code")))
            header.number = f"{gazette['digits']}/{code}"
            header.doc_type = NUMBER_TYPES.get(_number_kind(code))
            header.issue_date = _iso(gazette["day"], gazette["month"], gazette["year"])
            return index
        for found in _OWN_NUMBER.finditer(line.folded):
            if not _own_lead(line, found):
                continue
            code = re.sub(r"\s+", "", line.cut(*found.span("code")))
            code = "-".join(_restore_accents(part) for part in code.split("-"))
            digits = (found.group("digits") or "").rstrip(".")
            # blank, stamped by the signing software, or handwritten and misread: left empty
            header.number = f"{digits}/{code}" if re.fullmatch(r"\d{1,5}", digits) else None
            header.doc_type = NUMBER_TYPES.get(_number_kind(code))
            return index
    return None


def _number_kind(code: str) -> str:
    """The type's part of a number's code: "QĐ" in "QĐ-BYT", "TTLT" in "2004/TTLT/BVHTT-BYT" (a
    joint circular), "QH" in "2025/QH15"."""
    kind = re.sub(r"\d+$", "", code.split("/")[1 if code[:1].isdigit() else 0].split("-")[0])
    kind = kind.upper()
    return kind if kind in NUMBER_TYPES else fold(kind).upper()  # "HĐ" a contract, "HD" a guide


def _gazette(lines: list[_Line], index: int) -> re.Match[str] | None:
    """The gazette's heading line at ``index``, in capitals, after its type: on the same line
    ("NGHỊ ĐỊNH SỐ 136/2007/NĐ-CP NGÀY ...") or on the line above ("QUYẾT ĐỊNH CỦA BỘ TRƯỞNG BỘ Y
    TẾ" / "SỐ 23/2005/QĐ-BYT NGÀY ..."). Its match is on the line's folded text."""
    line = lines[index]
    if not _upper(line.text):
        return None
    bare = _bare(line.folded)
    start = line.folded.find(bare)
    named = _type_match(bare)
    if named:
        start += len(" ".join(bare.split()[: named[1]])) + 1
    else:
        above = lines[index - 1] if index else None
        if not (above and _upper(above.text) and _type_match(_bare(above.folded))):
            return None
    return _GAZETTE.match(line.folded, start)


def _own_lead(line: _Line, found: re.Match[str]) -> bool:
    """True when the words before "Số:" leave it the document's own number: none, its type
    heading ("Luật số: 64/2025/QH15"), or another cell of the header that the text set on the
    same line, the issuer in capitals ("BỘ Y TẾ Số: 12/QĐ-BYT") or the motto ("... Hạnh phúc
    Số: 12/QĐ-BYT"). "Kèm theo Quyết định số: ..." cites another document."""
    lead = found.group("lead").strip()
    if not lead or (found.start() == 0 and lead in TYPES):
        return True
    if any(lead == name or lead.endswith(" " + name) for name in TYPES):
        return False
    start = found.start("lead")
    return _upper(line.cut(start, start + len(lead))) or lead.endswith("hanh phuc")


def _restore_accents(part: str) -> str:
    """Accent-stripped OCR writes "QD-HDND" for "QĐ-HĐND"."""
    return CODE_ACCENTS.get(part, part)


def _find_type(lines: list[_Line], header: Header) -> int | None:
    """The first heading line in capitals that names a type: "QUYẾT ĐỊNH", "KẾ HOẠCH"."""
    for index, line in enumerate(lines):
        name = _type_heading(line)
        if name:
            if not (header.doc_type or "").startswith(name + " "):
                header.doc_type = name  # "THÔNG TƯ" heads a joint circular, "01/2004/TTLT/..."
            return index
    return None


def _type_heading(line: _Line) -> str | None:
    if not _upper(line.text):
        return None
    bare = _bare(line.folded)
    found = _type_match(bare)
    if not found:
        return None
    words = bare.split()
    rest = " ".join(words[found[1] :])
    if len(words) <= found[1] + 3 or rest.startswith("cua ") or _GAZETTE.match(rest):
        return found[0]  # "QUYẾT ĐỊNH CỦA UBND TỈNH LÀO CAI" heads an older decision
    return None


def _type_match(bare: str) -> tuple[str, int] | None:
    """The type a folded heading line starts with, and how many of the line's words name it. A
    heading set with its letters spaced out ("Q U Y Ế T Đ Ị N H"), or whose text layer lost its
    spaces ("KẾHOẠCH"), names it with the spaces taken out."""
    words = bare.split()
    squeezed = "".join(words) if all(len(w) == 1 for w in words) else None
    for word, name in sorted(TYPES.items(), key=lambda item: -len(item[0])):
        if bare == word or bare.startswith(word + " "):
            return name, len(word.split())
        if word.replace(" ", "") in (squeezed, bare):
            return name, len(words)
    return None


def _bare(folded: str) -> str:
    """A folded line without OCR debris or punctuation at either end."""
    return re.sub(r"^[^a-z0-9]+|[^a-z0-9]+$", "", folded.strip())


def _signed_on(lines: list[_Line]) -> str | None:
    """The day the signing software's box above the header says the document was signed
    ("Thời gian ký: 09.02.2021 12:16:11"), as an ISO date; None when there is no such box."""
    for line in lines:
        found = _SIGNED.search(line.folded)
        if found:
            return _iso(*found.groups())
    return None


def _find_date(
    lines: list[_Line], header: Header, signed: str | None, date_hint: str | None
) -> None:
    """The place and date under the motto ("Hà Nội, ngày 12 tháng 5 năm 2025"), from the header.

    A day (or month) the clerk wrote by hand is often unreadable; the day the signing software's
    box says the document was signed (``signed``) then completes it, when it falls in the printed
    year, and in the printed month where that can be read. The file's own date (``date_hint``)
    is weaker evidence: it only completes a day left blank in a printed month."""
    for line in lines:
        found = _DATE.search(line.folded)
        if not found:
            continue
        before = line.folded[: found.start()].rstrip()
        if before and not before.endswith(","):
            continue  # "Luật ... ngày 19 tháng 6 năm 2015" is cited, not the header date
        header.place = place_name(_place(line, len(before) - 1)) or None
        day, month, year = _slot(found.group("day")), _slot(found.group("month")), found["year"]
        if day and month:
            header.issue_date = _iso(day, month, year)
        elif signed and signed.startswith(f"{year}-{int(month):02d}-" if month else f"{year}-"):
            header.issue_date = signed  # a blank or handwritten day: the day it was signed
        elif (
            month
            and not found["day"].strip()
            and date_hint
            and date_hint.startswith(f"{year}-{int(month):02d}-")
        ):
            header.issue_date = date_hint  # the day left blank: signed the day the file was made
        return


def _dated_at(lines: list[_Line]) -> int | None:
    """The header's place-and-date line ("Mai Châu, ngày 19 tháng 12 năm 2019"), where a copy
    lost both the number and the motto but kept the type heading under them."""
    for index, line in enumerate(lines):
        found = _DATE.search(line.folded)
        if found and line.folded[: found.start()].rstrip().endswith(","):
            return index
    return None


def _place(line: _Line, comma: int) -> str:
    """The capitalised words just before the comma of the date: "Cao Bằng" in "... Cao Bằng, ngày",
    "Thành phố Hồ Chí Minh" (a level's second word is written small)."""
    words: list[str] = []
    before = line.cut(0, comma).split()
    while before and len(words) < 6:
        word = before.pop()
        if word.isdigit() and before and fold(before[-1]) in ("quan", "phuong"):
            words[:0] = [before.pop(), word]  # "Quận 8, ngày ..."
            break
        if "/" in word or any(char.isdigit() for char in word) or fold(word) in ("so", "s6"):
            break
        if words and len(word) > 1 and word.isupper() and fold(word) not in ("tp", "tp."):
            break  # "TẠO Tp.Hồ Chí Minh": the left column's last word in capitals
        if word[0].isupper():
            words.insert(0, word)
        elif before and fold(f"{before[-1]} {word}") in ("thanh pho", "thi xa", "thi tran"):
            words[:0] = [before.pop(), word]
        else:
            break
    # "... UBND tỉnh Lai Châu Hà Nội, ngày": the letter's V/v cell beside the date ends in a name
    for start in range(1, len(words)):
        if is_province(" ".join(words[start:])) and not is_province(" ".join(words)):
            return " ".join(words[start:])
    return " ".join(words)


#: How close (rapidfuzz ratio, folded) the place must be to the issuer's locality to be the same
#: name misread.
_SAME_PLACE = 75.0


def _place_as_issuer_writes_it(place: str | None, issuer: str | None) -> str | None:
    """The place, spelled as the issuer's own name spells it where the two are the same name read
    apart. A local body writes its seat's name as the place (Decree 30/2020/NĐ-CP), so "Người
    Giao" beside "UBND thị trấn Ngãi Giao" is a misreading of "Ngãi Giao"."""
    if not place or not issuer:
        return place
    size = len(place.split())
    words = issuer.split()
    folded = fold(place)
    for start in range(len(words) - size, -1, -1):
        name = " ".join(words[start : start + size])
        if fold(name) == folded:
            return place
        if name[:1].isupper() and fuzz.ratio(fold(name), folded) >= _SAME_PLACE:
            return name
    return place


def _iso(day: str, month: str, year: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _slot(field: str) -> str | None:
    """A day or month as digits, or None when blank or unreadable. OCR reads a leading "1" as
    "/", "l", "|" or "i": "/5" is 15."""
    field = re.sub(r"^[/l|i](?=\d)", "1", field.strip(" ."))
    return field if re.fullmatch(r"\d{1,2}", field) else None


def _left_column(line: _Line) -> str:
    """What is left of a header line once the motto, the number and the place-and-date are cut."""
    keep = [True] * len(line.folded)
    spans = []
    motto = _motto_span(line.folded)
    if motto:
        spans.append(motto)
    for pattern in (_OWN_NUMBER, _DATE):
        found = pattern.search(line.folded)
        if found:
            start = found.end("lead") if pattern is _OWN_NUMBER else found.start()
            if pattern is _DATE:  # the place before ", ngày" belongs to the date
                comma = line.folded.rfind(",", 0, start)
                if comma >= 0:
                    start = comma - len(_place(line, comma))
            spans.append((start, found.end()))
    for start, end in spans:
        for i in range(max(0, start), min(end, len(keep))):
            keep[i] = False
    return _clean(_dedupe_source(line, keep))


def _dedupe_source(line: _Line, keep: list[bool]) -> str:
    """The original characters whose folded form is kept (one folded char may share a source)."""
    out: list[str] = []
    last = -1
    for i, source in enumerate(line.source):
        if source == last:
            continue
        last = source
        out.append(line.text[source] if keep[i] else " ")
    return "".join(out)


def _clean(fragment: str) -> str:
    """A column fragment without rule lines and OCR debris: "SỞ Y TE TT °° °°" is "SỞ Y TE"."""
    words: list[str] = []
    for word in fragment.split():
        if word in ("-", "–", "—") and words:
            words.append(word)  # "BỘ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI"
            continue
        if not any(char.isalnum() for char in word):
            if not words:
                continue  # a cell mark or rule before the name: "| ỦY BAN NHÂN DÂN"
            last = words[-1]
            if len(last) <= 2 and last.isalpha() and not set(fold(last)) & set("aeiouy"):
                words.pop()  # "TT" before "°°": the underline under the body read as letters
            break
        words.append(word)
    text = " ".join(words).strip(" -_—–.:;,|")
    if words[-2:-1] and words[-1] == "-" and _upper(text):
        return f"{text} -"  # "SỞ GIÁO DỤC VÀ ĐÀO TẠO -": a joint name goes on below
    return text


def _issuer(lines: list[_Line], anchor: int) -> str | None:
    """The body named at top left: what the left column holds above the number, read up to the
    first line that is not in capitals (named by ``issuer_name``)."""
    fragments: list[str] = []
    number = _OWN_NUMBER.search(lines[anchor].folded)
    if number:  # "BỘ Y TẾ Số: 12/QĐ-BYT" on one line
        before = _left_column(_fold_line(lines[anchor].cut(0, number.end("lead"))))
        if before and _upper(before):
            fragments.append(before)
    for line in reversed(lines[max(0, anchor - _ISSUER_LINES) : anchor]):
        column = _left_column(line)
        fragment = _without_rule_debris(column)
        if not fragment or re.match(r"v/v\b|s[o0-9e]?\s*[:;]", line.folded):
            continue  # a rule, a "V/v" cell set above the motto, a "Số:" line OCR garbled
        if _short_capitals(fragment):
            if fragment == column and is_vietnamese_syllable(fragment.lower()):
                fragments.insert(0, fragment)  # "VĂN PHÒNG BỘ CÔNG" / "AN": a name's last word
            continue  # "TY ng tin", "ST": the rule under the name, read as letters
        if not _upper(fragment) or _type_heading(_fold_line(fragment)):
            break
        fragments.insert(0, fragment)
    return issuer_name(fragments)


def _short_capitals(fragment: str) -> bool:
    """One or two capital letters alone, too short for ``mostly_upper`` to call them capitals."""
    return len(fragment) <= 2 and fragment.isalpha() and fragment.isupper()


def _without_rule_debris(fragment: str) -> str:
    """A left-column fragment without the letters OCR makes of the rule under the issuer or the
    motto ("mm", "na.", "oe a", "2à", "`WẲ"): short words not all capitals at either end of a name
    that is set in capitals ("MINH oe a" is "MINH")."""
    words = fragment.split()

    def debris(word: str) -> bool:
        word = word.strip(".,:;")
        return len(word) <= 3 and not (word.isalnum() and not any(c.islower() for c in word))

    while words and debris(words[-1]) and not (words[-1] == "-" and words[1:]):
        words.pop()  # a joint name's dash after it stays: "SỞ GIÁO DỤC VÀ ĐÀO TẠO -"
    while words and debris(words[0]):
        words.pop(0)
    return " ".join(words)


def _letter(lines: list[_Line], start: int, anchor: int, header: Header) -> None:
    """An official letter has no type heading: "V/v ..." (or "Về ...") under its number."""
    for index in range(start, min(anchor + 6, len(lines))):
        folded = lines[index].folded
        found = re.search(r"(?<![a-z])(v/v|ve viec|ve)(?:\s|(?<=v/v)(?::|$))", folded)
        if not found:
            continue
        opens = _fold_line(_left_column(lines[index])).folded.startswith(found.group(1))
        if found.group(1) != "v/v" and not opens:
            continue  # "Về việc ..." opens the left column; "... về việc ..." in a sentence cites
        rest = _left_column(_fold_line(lines[index].cut(found.start(), len(folded))))
        title = [rest]
        for line in lines[index + 1 : index + 8]:
            if (
                _PREAMBLE.match(line.folded)
                or _motto_span(line.folded)
                or _DATE.search(line.folded)
            ):
                break
            if line.folded.startswith("kinh gui"):
                break
            title.append(line.text)
        header.doc_type = "Công văn"
        header.title = re.sub(
            r"^(v/v)\s*:\s*", r"\1 ", " ".join(title).strip(), flags=re.IGNORECASE
        )
        return
    if header.number and header.doc_type is None:
        header.doc_type = "Công văn"  # a numbered header with neither type nor V/v: a letter


def _summary(lines: list[_Line], type_at: int) -> str | None:
    """The summary under the type heading: to the preamble, the signer's heading, a label line
    ("Địa điểm: ...") or a change of case (a capitals title above a sentence-case preamble)."""
    heading = lines[type_at]
    found = _type_match(_bare(heading.folded))
    type_words = found[1] if found else 0
    rest = _bare(heading.text.casefold()).split(maxsplit=type_words)[type_words:]
    title: list[str] = []
    first: _Line | None = None
    gazette = _gazette(lines, type_at)
    if gazette:  # "NGHỊ ĐỊNH SỐ 136/2007/NĐ-CP NGÀY 17 THÁNG 8 NĂM 2007 VỀ ..."
        title, first = _after_gazette(heading, gazette)
    elif rest and not fold(rest[0]).startswith("cua "):  # "QUYẾT ĐỊNH CỦA UBND ...": its organ
        after = heading.text.split(maxsplit=type_words)[-1]
        # "THỎA THUẬN HỢP TÁC" is one heading; "QUYẾT ĐỊNH Về việc ..." is a heading and a summary
        title.append(heading.text if _upper(after) else after)
    for index in range(type_at + 1, min(type_at + 8, len(lines))):
        line = lines[index]
        below = _gazette(lines, index)
        if first is None and not title and _upper(line.text) and below:
            title, first = _after_gazette(line, below)  # "... NĂM 2001 VỀ VIỆC ..."
            continue
        if first is None and not title and _upper(line.text) and line.folded.startswith("cua "):
            continue  # "NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ": the heading names its organ
        # A line that closes a bracket left open above goes on the summary, whatever it looks
        # like: "(MÃ QUY TRÌNH 803" / "VÀ PGN: 208, 607, 803)" is no label line.
        if not _closes_bracket(title, line) and (
            _ends_summary(line, first)
            or (first is not None and line.after_blank and len(line.text.split()) < 4)
        ):
            break  # a summary runs on in full lines; a scrap after a gap is a stamp or signature
        first = first or line
        title.append(_without_margin_debris(line.text))
    text = re.sub(r"^(?:[^\w“\"(]|_)+", "", " ".join(title)).strip()  # OCR debris: "„ Triển khai"
    return text or None


def _closes_bracket(title: list[str], line: _Line) -> bool:
    """True when ``line`` closes a bracket the summary above it left open."""
    above = " ".join(title)
    return above.count("(") > above.count(")") and ")" in line.text


def _after_gazette(line: _Line, gazette: re.Match[str]) -> tuple[list[str], _Line | None]:
    """The summary's start after the gazette's number and date on their line, if any."""
    tail = line.cut(gazette.end(), len(line.folded)).strip()
    return ([tail], _fold_line(tail)) if tail else ([], None)


def _without_margin_debris(text: str) -> str:
    """A summary line without the lone letter OCR makes of a stamp in the margin beside it
    ("J địa phương hai cấp"); a one-letter Vietnamese word ("y tế", "ở") is kept."""
    words = text.split(maxsplit=1)
    lone = len(words) == 2 and len(words[0]) == 1 and words[0].isalpha()
    return words[1] if lone and not is_vietnamese_syllable(words[0].lower()) else text


def _ends_summary(line: _Line, first: _Line | None) -> bool:
    folded = line.folded
    preamble = _PREAMBLE.match(folded) and not _upper(line.text)  # "THỰC HIỆN ..." in capitals
    if preamble or _motto_span(folded) or not any(c.isalnum() for c in folded):
        return True  # the preamble (in sentence case), or the rule drawn under the summary
    if _PLACE_DATE.match(folded) and _DATE.search(folded):
        return True  # "Hà Nội, ngày 5 tháng 6 năm 2024" under an agreement's title
    if re.match(r"^[\w ]{2,20}:\s", line.text) and not folded.startswith(("v/v", "ve ")):
        return True  # "Địa điểm: ..." is a label under the summary, not part of it
    if re.match(r"^(?:(?:[ivx]+|\d+)\.|(?:dieu|chuong|phan|muc)\s+[0-9ivx]+\b)", folded):
        return True  # "I. MỤC ĐÍCH", "Điều 1.", "Phần II" open the body, "PHÂN VÙNG" does not
    if _upper(line.text) and any(folded.startswith(w + " ") for w in _SIGNER_WORDS):
        return True
    if first is not None and _upper(line.text) and line_starts_body(line.text, folded):
        return True  # "HỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG" heads the preamble
    if first is None or sum(char.isalpha() for char in first.text) < 3:
        return False  # "VỀ" alone on the summary's first line says nothing of its case
    letters = sum(char.isalpha() for char in line.text)
    return letters >= 3 and _upper(line.text) != _upper(first.text)


def _annex(lines: list[_Line], header: Header) -> None:
    """An annex without a header of its own: "(Ban hành kèm theo Công văn số 1043/BTP-... ngày
    9/4/2021)" gives the number and date of the document it came with."""
    for line in lines[:10]:
        found = _ANNEX_OF.search(line.folded)
        if not found or not found.group("number"):
            continue
        number = re.sub(r"\s+", "", line.cut(*found.span("number")))
        header.number = number.rstrip(".,;)")
        header.issuer = header.issuer or issuer_from_code(header.number)
        if found.group("year"):
            header.issue_date = _iso(found.group("day"), found.group("month"), found.group("year"))
        return


def cited_numbers(text: str) -> list[str]:
    """Document numbers cited anywhere in the text, each once, in order of first mention, spelled
    as the numbers they cite ("5369/QD-UBND" in accent-stripped OCR is "5369/QĐ-UBND")."""
    seen: dict[str, None] = {}
    for found in _CITED_NUMBER.finditer(text):
        parts = re.split(r"([-/])", found.group(0))
        seen.setdefault("".join(_restore_accents(part) for part in parts), None)
    return list(seen)
