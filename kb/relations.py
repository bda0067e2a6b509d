"""Documents cited by number: "Căn cứ Quyết định số 5369/QĐ-UBND", "Thực hiện Kế hoạch số 43/KH-UBND".

Why by number: Vietnamese administrative documents are identified by their number and cite each
other that way; the number is also what the catalog reads from each document's header, so a
citation links to the cited document when the archive holds it and is listed as missing otherwise.
Matching is on the folded form, so OCR text without accents ("Quyet dinh so 5369/QD-UBND") works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoptac.vietnamese import fold

#: Folded document kinds that cite by number, and how each is shown.
KINDS = {
    "quyet dinh": "Quyết định",
    "ke hoach": "Kế hoạch",
    "chuong trinh": "Chương trình",
    "nghi quyet": "Nghị quyết",
    "nghi dinh": "Nghị định",
    "thong tu": "Thông tư",
    "cong van": "Công văn",
    "chi thi": "Chỉ thị",
    "thong bao": "Thông báo",
    "decision": "Decision",
    "plan": "Plan",
}

_CITATION = re.compile(
    r"(?<![a-z])(" + "|".join(KINDS) + r")\s+(?:(?:so|s[e6bo0]?|number|no\.?)\s*:?\s*)?"
    r"(\d{1,5}\s*(?:[/-]\s*[a-z]+)+(?:-[a-z]+)*)"
)


@dataclass(frozen=True)
class Citation:
    """One document cited in a passage: its number as normalised, its kind, and how it is cited
    ("basis" after "Căn cứ", "implements" after "Thực hiện", else "cites")."""

    chunk_id: int
    number: str
    doc_type: str
    relation: str


def normalize_number(number: str) -> str:
    """The comparable form of a document number: folded, upper case, no spaces ("5369/QD-UBND")."""
    return re.sub(r"\s+", "", fold(number)).upper()


def find_citations(chunk_id: int, text: str, own_number: str | None = None) -> list[Citation]:
    """Documents a passage cites by number, once each, leaving out the document's own number."""
    folded = fold(text)
    own = normalize_number(own_number) if own_number else None
    found: dict[str, Citation] = {}
    for match in _CITATION.finditer(folded):
        number = normalize_number(match.group(2))
        if number == own or number in found:
            continue
        found[number] = Citation(
            chunk_id, number, KINDS[match.group(1)], _relation(folded, match.start())
        )
    return list(found.values())


def _relation(folded: str, position: int) -> str:
    """How the citing sentence introduces it: the last "can cu" / "thuc hien" before it."""
    sentence = folded[max(0, folded.rfind(".", 0, position) + 1) : position]
    basis, implements = sentence.rfind("can cu"), sentence.rfind("thuc hien")
    if basis < 0 and implements < 0:
        return "cites"
    return "basis" if basis > implements else "implements"
