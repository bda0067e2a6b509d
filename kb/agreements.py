"""What an agreement, MoU or decision approving a project says about its term and funding.

Why these fields: the department reports to the city which agreements run, which expire soon and
who funds them. The text states them in a few set phrasings ("có hiệu lực năm năm kể từ ngày ký",
"for a period of three years", "pour une durée de cinq ans", "từ tháng 7 năm 2025 đến tháng 6 năm
2027", "tài trợ 1,2 triệu USD"),
read here on the folded text so OCR without accents reads the same. A signing date the text does not
give comes from the document's (librarian-correctable) issue date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from hoptac.vietnamese import fold

#: Folded phrases that make a document an agreement (its type, title or opening passage).
AGREEMENT_MARKERS = (
    "thoa thuan",
    "ban ghi nho",
    "bien ban ghi nho",
    "hop dong hop tac",
    "memorandum of understanding",
    "cooperation agreement",
    "agreement",
    "phe duyet du an",
    "phe duyet chuong trinh",
    "mou",
    "accord de cooperation",
    "accord de partenariat",
    "accord-cadre",
    "convention de cooperation",
    "convention de partenariat",
    "protocole d'accord",
    "memorandum d'entente",
)

#: Document types that report on agreements without being one.
NOT_AGREEMENTS = ("article", "paper", "thong bao")

_NUMBER_WORDS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "un": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}
_COUNT = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_DURATION = re.compile(
    rf"(?:hieu luc|thoi han|thoi gian thuc hien|trong thoi gian|trong vong|period of|term of|valid for|duration of"
    rf"|duree de|duree d'|periode de)"
    rf"\s*(?:la|:)?\s*(?:\()?{_COUNT}\)?\s*(nam|thang|years?|months?|ans?|annees?|mois)(?![a-z])"
)
_SPAN = re.compile(
    r"tu thang (\d{1,2}) nam (\d{4}) den thang (\d{1,2}) nam (\d{4})"
    r"|from (?:[a-z]+ )?(\d{4}) to (?:[a-z]+ )?(\d{4})"
)
_PERIOD = re.compile(r"giai doan (\d{4})\s*[-–]\s*(\d{4})")
_FROM_SIGNING = re.compile(
    r"hieu luc (?:ke )?tu ngay ky|effective (?:from|upon|on) (?:the date of )?signature|upon signing"
    r"|entre en vigueur (?:a|des) (?:la date de )?(?:sa )?signature"
)
_EFFECTIVE = re.compile(r"hieu luc (?:ke )?tu ngay (\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_AMOUNT = re.compile(
    r"(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?)\s*(trieu|ty|nghin|million|billion)?\s*"
    r"(usd|eur|euro|vnd|dong|krw|jpy|yen|won|do la my)(?![a-z])"
)
_FUNDING_WORDS = ("tai tro", "vien tro", "kinh phi", "funded", "funding", "grant", "financed")
_CURRENCIES = {
    "usd": "USD",
    "do la my": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "vnd": "VND",
    "dong": "VND",
    "krw": "KRW",
    "won": "KRW",
    "jpy": "JPY",
    "yen": "JPY",
}
_SCALE = {"trieu": 1e6, "million": 1e6, "ty": 1e9, "billion": 1e9, "nghin": 1e3}


@dataclass(frozen=True)
class Term:
    """The term an agreement states: dates as ISO strings, duration in months; None when unsaid."""

    effective: str | None
    duration_months: int | None
    expires: str | None
    duration_text: str | None


@dataclass(frozen=True)
class Funding:
    """An amount the text states (in units of ``currency``) and the sentence it stands in."""

    amount: float | None
    currency: str | None
    sentence: str


def is_agreement(doc_type: str | None, title: str | None, opening: str) -> bool:
    """Whether a document records an agreement or approves a cooperation project (a news article
    or paper that reports one is a mention, not the agreement)."""
    opening_folded = fold(opening[:200])
    if any(opening_folded.startswith(m) for m in AGREEMENT_MARKERS):
        return True
    if fold(doc_type or "") in NOT_AGREEMENTS:
        return False
    head = fold(" ".join(filter(None, [doc_type, title, opening[:600]])))
    return any(re.search(rf"(?<![a-z]){re.escape(m)}(?![a-z])", head) for m in AGREEMENT_MARKERS)


def read_term(text: str, signed: str | None) -> Term:
    """Effective date, duration and expiry from the text; ``signed`` (ISO) anchors "from signing"."""
    folded = fold(text)
    effective = None
    if match := _EFFECTIVE.search(folded):
        effective = _iso(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    elif _FROM_SIGNING.search(folded) or signed:
        effective = signed
    if match := _SPAN.search(folded):
        if match.group(1):
            start = date(int(match.group(2)), int(match.group(1)), 1)
            end_year, end_month = int(match.group(4)), int(match.group(3))
        else:
            start = date(int(match.group(5)), 1, 1)
            end_year, end_month = int(match.group(6)), 12
        end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return Term(effective or start.isoformat(), months, end.isoformat(), match.group(0))
    if match := _DURATION.search(folded):
        count = _count(match.group(1))
        months = count * 12 if match.group(2).startswith(("nam", "year", "an")) else count
        expires = _add_months(effective, months) if effective else None
        return Term(effective, months, expires, match.group(0))
    if match := _PERIOD.search(folded):
        first, last = int(match.group(1)), int(match.group(2))
        return Term(effective, (last - first + 1) * 12, f"{last}-12-31", match.group(0))
    return Term(effective, None, None, None)


def read_funding(text: str) -> list[Funding]:
    """Sentences about funding, with the amount and currency where one is stated."""
    found = []
    for sentence in re.split(r"(?<=[.;])\s+", text):
        folded = fold(sentence)
        if not any(word in folded for word in _FUNDING_WORDS):
            continue
        match = _AMOUNT.search(folded)
        amount = currency = None
        if match:
            amount = _number(match.group(1)) * _SCALE.get(match.group(2) or "", 1)
            currency = _CURRENCIES[match.group(3)]
        if match or "tai tro" in folded or "vien tro" in folded or "funded" in folded:
            found.append(Funding(amount, currency, sentence.strip()[:400]))
    return found


def status(expires: str | None, today: date, months: int) -> str:
    """ "expired", "expiring" (within ``months``), "active", or "unknown" without an expiry date."""
    if not expires:
        return "unknown"
    end = date.fromisoformat(expires)
    if end < today:
        return "expired"
    horizon = date.fromisoformat(_add_months(today.isoformat(), months))
    return "expiring" if end <= horizon else "active"


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _number(text: str) -> float:
    """ "1,2" and "1.2" are 1.2; "1.200.000" and "1,200,000" are 1200000."""
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _add_months(iso: str, months: int) -> str:
    start = date.fromisoformat(iso)
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1])).isoformat()
