"""Split a document into passages that follow its own structure.

Why: a Vietnamese plan or decision is organised in parts ("I. MỤC ĐÍCH, YÊU CẦU"), numbered sections
("1.", "1.1.") or legal units ("Chương", "Mục", "Điều"); a passage cut along them is understandable on
its own and its section path ("II. NỘI DUNG > 1.1. Trí tuệ nhân tạo (AI) trong y tế") tells the reader
where it stands. Headings are recognised on folded text, so OCR-garbled ones ("|. MUC PICH, YEU CAU",
"Il. NOI DUNG", "Dieu 5") count too. A heading line is short and starts a line; numbers in running
text are not headings.

Sizes are in words (whitespace-separated tokens, which for Vietnamese are syllables): a section longer
than ``max_words`` splits at paragraph, then sentence boundaries, with about ``overlap_words`` of overlap;
small sections merge with the following sibling (same parent, never across parts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog import Chunk, Page
from hoptac.errors import InvalidInput
from hoptac.vietnamese import fold, mostly_upper
from ingest.language import detect_language

#: Words of a heading shown in a section path; longer headings (numbered paragraphs) are cut with "…".
PATH_HEADING_WORDS = 14
#: A heading (with its wrapped continuation lines) never exceeds this many words.
MAX_HEADING_WORDS = 60
#: A heading line this long probably wrapped, so the next line continues it.
WRAPPED_LINE_WORDS = 9
_MARKDOWN = re.compile(r"^(#{1,6})\s+\S")
_ROMAN = re.compile(r"^([IVX]{1,5})\.\s*\S")
# OCR reads I as |, l or 1: "|. MUC PICH", "Il. NOI DUNG", "111. KINH PHI" (only with an upper-case title).
_GARBLED_ROMAN = re.compile(r"^([IVXl1|]{1,5})\.\s*(\S.*)$")
_NUMBERED = re.compile(
    r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.\s*[^\W\d_]"
)  # "1.1. Trí tuệ", not "12.02.2023"
_LEGAL = re.compile(r"^(phan|chuong|muc|dieu|khoan)\s+([0-9ivxl]{1,6})\b(.*)$")
_LEGAL_RANK = {"phan": 10, "chuong": 12, "muc": 13, "dieu": 14, "khoan": 18}
_BULLET = re.compile(
    r"^(?:[-+•*–]\s|\d{1,2}(?:\.\d{1,2})*\.\s|[a-zđ]\)\s)"
)  # list items start paragraphs
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


@dataclass(frozen=True)
class _Line:
    text: str
    page: int


@dataclass
class _Section:
    """A heading and the paragraphs under it, with the path of enclosing headings."""

    path: tuple[str, ...]
    heading: str
    heading_pages: tuple[int, int] | None
    paragraphs: list[tuple[str, int, int]] = field(default_factory=list)
    prefix: list[tuple[str, int]] = field(default_factory=list)  # headings of body-less ancestors

    @property
    def parent(self) -> tuple[str, ...]:
        return self.path[:-1]

    def head_lines(self) -> list[str]:
        return [text for text, _ in self.prefix] + ([self.heading] if self.heading else [])

    def words(self) -> int:
        return sum(len(h.split()) for h in self.head_lines()) + sum(
            len(p[0].split()) for p in self.paragraphs
        )


@dataclass
class _Unit:
    """A sentence (or a piece of one) with its pages; ``new_paragraph`` says how to join it."""

    text: str
    page_start: int
    page_end: int
    new_paragraph: bool

    @property
    def words(self) -> int:
        return len(self.text.split())


def chunk(pages: list[Page], max_words: int = 280, overlap_words: int = 40) -> list[Chunk]:
    """Cut ``pages`` into chunks along the document's headings, each at most ``max_words`` words.

    Every chunk starts with its heading(s), carries its section path and page range, and its language.
    The pages' text is expected normalised (``ingest.normalize``), as the pipeline hands it on.
    """
    if max_words < 20 or not 0 <= overlap_words <= max_words // 2:
        raise InvalidInput(
            f"chunk sizes max_words={max_words}, overlap_words={overlap_words}: "
            "use max_words >= 20 and 0 <= overlap_words <= max_words / 2"
        )
    lines = [
        _Line(line.strip(), page.number)
        for page in pages
        for line in page.text.replace("\f", "\n").split("\n")
    ]
    sections = _sections(lines)
    chunks: list[Chunk] = []
    for group in _merge_small(sections, max_words):
        for text, start, end in _split(group, max_words, overlap_words):
            chunks.append(
                Chunk(
                    ordinal=len(chunks),
                    text=text,
                    section=_group_path(group),
                    page_start=start,
                    page_end=end,
                    language=detect_language(text),
                )
            )
    return chunks


def heading_rank(line: str) -> int | None:
    """Return the nesting rank of a heading line (smaller encloses larger), or None for body text."""
    line = line.strip()
    if not line or len(line.split()) > 25:
        return None
    markdown = _MARKDOWN.match(line)
    if markdown:
        return len(markdown.group(1))
    if _ROMAN.match(line) and len(line.split()) <= 15:
        return 11
    garbled = _GARBLED_ROMAN.match(line)
    if garbled and mostly_upper(garbled.group(2)) and len(line.split()) <= 15:
        return 11
    legal = _LEGAL.match(fold(line))
    if legal:
        kind, rest = legal.group(1), legal.group(3).strip()
        original_rest = line[len(line) - len(rest) :] if rest else ""
        if (
            not rest
            or rest[0] in ".:-"
            or (kind not in ("dieu", "khoan") and mostly_upper(original_rest))
        ):
            return _LEGAL_RANK[kind]
        return None  # "Điều 2 của Quy chế ..." in running text, "Mục đích" as a word
    numbered = _NUMBERED.match(line)
    if (
        numbered and " " in line and not (line.endswith(".") and len(line.split()) >= 6)
    ):  # "1. A full sentence." is a list item
        return 15 + numbered.group(1).count(".")
    return None


def roman_heading(heading: str) -> str:
    """Write an OCR-garbled part number as the Roman numeral it was: "Il." -> "II.", "111." -> "III."."""
    garbled = _GARBLED_ROMAN.match(heading)
    if not garbled or _ROMAN.match(heading) or heading_rank(heading) != 11:
        return heading
    numeral = re.sub(r"[l1|]", "I", garbled.group(1))
    return f"{numeral}. {garbled.group(2)}"


def _sections(lines: list[_Line]) -> list[_Section]:
    """Group lines into sections: a stack of open headings, paragraphs attached to the innermost."""
    stack: list[tuple[int, str]] = []
    current = _Section(path=(), heading="", heading_pages=None)
    sections = [current]
    paragraph: list[_Line] = []

    def close_paragraph() -> None:
        if paragraph:
            text = " ".join(line.text for line in paragraph)
            current.paragraphs.append((text, paragraph[0].page, paragraph[-1].page))
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        rank = heading_rank(line.text)
        if rank is None:
            if not line.text:
                close_paragraph()
            else:
                if _BULLET.match(line.text):
                    close_paragraph()
                paragraph.append(line)
            i += 1
            continue
        close_paragraph()
        heading_lines = [line]
        i += 1
        if rank > 6:  # wrapped heading: "2. Thiết lập, mở rộng ... về chuyển\ngiao công nghệ ..."
            while (
                i < len(lines)
                and (
                    len(heading_lines[-1].text.split()) >= WRAPPED_LINE_WORDS
                    or mostly_upper(lines[i].text)
                )
                and lines[i].text
                and heading_rank(lines[i].text) is None
                and not _BULLET.match(lines[i].text)
                and heading_lines[-1].text[-1:] not in ".:;"
                and sum(len(h.text.split()) for h in heading_lines) + len(lines[i].text.split())
                <= MAX_HEADING_WORDS
            ):
                heading_lines.append(lines[i])
                i += 1
        heading = " ".join(h.text for h in heading_lines)
        if rank <= 6:
            heading = heading.lstrip("#").strip()
        while stack and stack[-1][0] >= rank:
            stack.pop()
        # The path names a garbled part by its Roman numeral; the chunk text keeps what the OCR read.
        stack.append((rank, roman_heading(heading)))
        prefix: list[tuple[str, int]] = []
        if not current.paragraphs and current.heading and len(current.path) < len(stack):
            # The previous heading had no text of its own and encloses this one: carry it along.
            prefix = current.prefix + [
                (current.heading, current.heading_pages[0] if current.heading_pages else line.page)
            ]
            sections.pop()
        current = _Section(
            path=tuple(h for _, h in stack),
            heading=heading,
            heading_pages=(heading_lines[0].page, heading_lines[-1].page),
            prefix=prefix,
        )
        sections.append(current)
    close_paragraph()
    return [s for s in sections if s.paragraphs or s.heading]


#: Below this many words a section is a fragment that merges with its next sibling.
MIN_PASSAGE_WORDS = 40


def _merge_small(sections: list[_Section], max_words: int) -> list[list[_Section]]:
    """Group consecutive small sections that share a parent, keeping each group within ``max_words``."""
    # Only a fragment too small to stand alone as a passage (a heading and a line or two) absorbs its
    # next sibling: a 60-word numbered section is kept whole and alone, so a query about its topic
    # finds it rather than a long mixture of neighbours that dilutes its embedding.
    small = min(MIN_PASSAGE_WORDS, max_words // 3)
    groups: list[list[_Section]] = []
    for section in sections:
        if groups:
            last = groups[-1]
            size = sum(s.words() for s in last)
            same_parent = last[-1].parent == section.parent and section.parent != ()
            if same_parent and size < small and size + section.words() <= max_words:
                last.append(section)
                continue
        groups.append([section])
    return groups


def _group_path(group: list[_Section]) -> str:
    path = [_short(h) for h in group[0].path]
    if len(group) > 1 and path:
        path[-1] = f"{path[-1]} – {_short(group[-1].heading)}"
    return " > ".join(path)


def _short(heading: str) -> str:
    words = heading.split()
    return (
        heading if len(words) <= PATH_HEADING_WORDS else " ".join(words[:PATH_HEADING_WORDS]) + "…"
    )


def _split(group: list[_Section], max_words: int, overlap_words: int) -> list[tuple[str, int, int]]:
    """Pack a group's headings and sentences into chunks of at most ``max_words`` words."""
    head: list[_Unit] = []
    body: list[_Unit] = []
    for index, section in enumerate(group):
        pages = section.heading_pages or (0, 0)
        heads = [_Unit(text, page, page, True) for text, page in section.prefix]
        if section.heading:
            heads.append(_Unit(section.heading, pages[0], pages[1], True))
        (head if index == 0 else body).extend(heads)
        for text, start, end in section.paragraphs:
            body.extend(_sentences(text, start, end, max_words // 2))
    repeated = head
    if sum(u.words for u in head) > max_words // 4:
        # A long heading (a numbered paragraph) is read once in full, then repeated shortened.
        body = [_Unit(u.text, u.page_start, u.page_end, True) for u in head] + body
        repeated = _cap_heading(head, max_words // 4)
        head = []
    pieces: list[list[_Unit]] = []
    current: list[_Unit] = []
    budget = max_words - sum(u.words for u in head)
    for unit in body:
        if current and sum(u.words for u in current) + unit.words > budget:
            pieces.append(head + current)
            head = repeated
            budget = max_words - sum(u.words for u in head)
            current = _overlap(current, overlap_words)
            while current and sum(u.words for u in current) + unit.words > budget:
                current = current[1:]
        current.append(unit)
    if current or not pieces:
        pieces.append(head + current)
    results = []
    for units in pieces:
        if not units:
            continue
        numbers = [u.page_start for u in units if u.page_start] + [
            u.page_end for u in units if u.page_end
        ]
        results.append((_join(units), min(numbers, default=0), max(numbers, default=0)))
    return results


def _sentences(text: str, page_start: int, page_end: int, longest: int) -> list[_Unit]:
    units: list[_Unit] = []
    for sentence in _SENTENCE_END.split(text):
        tokens = sentence.split()
        for start in range(0, len(tokens), longest):
            units.append(
                _Unit(" ".join(tokens[start : start + longest]), page_start, page_end, not units)
            )
    return units


def _overlap(units: list[_Unit], overlap_words: int) -> list[_Unit]:
    """Return the tail of ``units`` to repeat at the start of the next chunk (about ``overlap_words``)."""
    if overlap_words == 0:
        return []
    tail: list[_Unit] = []
    for unit in reversed(units):
        if sum(u.words for u in tail) + unit.words > overlap_words:
            break
        tail.insert(0, unit)
    if not tail:
        last = units[-1]
        words = last.text.split()[-overlap_words:]
        tail = [_Unit(" ".join(words), last.page_start, last.page_end, False)]
    return [_Unit(u.text, u.page_start, u.page_end, u.new_paragraph) for u in tail]


def _cap_heading(head: list[_Unit], limit: int) -> list[_Unit]:
    capped: list[_Unit] = []
    left = limit
    for unit in reversed(head):  # keep the innermost headings
        if left <= 0:
            break
        words = unit.text.split()
        text = unit.text if len(words) <= left else " ".join(words[: left - 1]) + " …"
        capped.insert(0, _Unit(text, unit.page_start, unit.page_end, True))
        left -= len(words)
    return capped


def _join(units: list[_Unit]) -> str:
    text = units[0].text
    for unit in units[1:]:
        text += ("\n" if unit.new_paragraph else " ") + unit.text
    return text
