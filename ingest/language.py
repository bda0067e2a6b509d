"""Language detection that also recognises accent-stripped and OCR-garbled Vietnamese.

Why: the archive's scans often lose their diacritics ("Hop tac quoc te"), which statistical detectors
read as Indonesian, Tagalog or Italian. We ask py3langid (its bundled model, restricted to the
languages this archive holds) and, where it does not say Vietnamese, check the accent-folded text
against the most frequent Vietnamese syllables, which stay recognisable without their accents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from hoptac.vietnamese import fold

#: Languages expected in an international-cooperation health archive in Hanoi.
LANGUAGES = (
    "vi",
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "ru",
    "zh",
    "ja",
    "ko",
    "th",
    "lo",
    "km",
)
UNDETERMINED = "und"
#: Fewer letters than this cannot be told apart reliably.
MIN_LETTERS = 12
#: Probability of its first guess under which the detector counts as unsure, and how many of its
#: guesses ``may_be_vietnamese`` reads then.
_UNSURE = 0.5
_FIRST_GUESSES = 4
#: Share of words that are common Vietnamese syllables above which folded text is Vietnamese.
VIETNAMESE_SHARE = 0.3

# Frequent Vietnamese syllables, accent-folded, leaving out those that are also common English or
# French words ("la", "de", "to", "the", "an", "con", "va" is kept: French "va" is rare in running text).
_VIETNAMESE_SYLLABLES = frozenset(
    [
        "cua",
        "va",
        "cac",
        "trong",
        "nhung",
        "duoc",
        "cho",
        "voi",
        "thanh",
        "pho",
        "nam",
        "ngay",
        "cong",
        "nghe",
        "linh",
        "vuc",
        "hop",
        "tac",
        "quoc",
        "te",
        "nhan",
        "dan",
        "phat",
        "trien",
        "khoa",
        "hoc",
        "thuc",
        "hien",
        "ke",
        "hoach",
        "dung",
        "ung",
        "tri",
        "tue",
        "viec",
        "nang",
        "cao",
        "chat",
        "luong",
        "co",
        "so",
        "dich",
        "vu",
        "nhu",
        "mot",
        "nhieu",
        "da",
        "se",
        "khong",
        "tai",
        "theo",
        "tu",
        "ve",
        "vao",
        "ra",
        "dao",
        "tao",
        "chuyen",
        "giao",
        "benh",
        "vien",
        "kham",
        "chua",
        "doi",
        "moi",
        "sang",
        "thong",
        "tin",
        "quan",
        "ly",
        "tinh",
        "xa",
        "hoi",
        "nganh",
        "don",
        "vi",
        "nguoi",
        "nuoc",
        "ngoai",
        "dau",
        "trien",
        "khai",
        "lien",
        "chinh",
        "sach",
        "kinh",
        "phi",
        "nghien",
        "cuu",
        "hoat",
        "dong",
        "chi",
        "dao",
        "uy",
        "ban",
        "tong",
        "hop",
        "cap",
        "dinh",
        "quyet",
        "dieu",
        "luat",
        "nghi",
        "dinh",
        "thu",
        "tuong",
        "bo",
        "y",
        "tham",
        "gia",
        "xay",
        "dung",
        "giai",
        "doan",
        "hoach",
        "tiep",
        "can",
        "mang",
        "luoi",
        "cung",
        "nhat",
        "nay",
        "do",
        "khi",
        "ma",
        "thi",
        "cung",
        "nhung",
        "hon",
        "viet",
        "hanh",
        "phuc",
        "lap",
        "chu",
        "nghia",
        "cham",
        "soc",
        "suc",
        "khoe",
        "phong",
        "chong",
        "dich",
        "benh",
        "nhan",
        "lam",
        "sang",
        "ho",
        "tro",
    ]
)
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text``'s language, or "und" when there is too little text."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return UNDETERMINED
    language, _ = _identifier().classify(text)
    if language != "vi" and vietnamese_syllable_share(text) >= VIETNAMESE_SHARE:
        return "vi"
    return str(language)


def may_be_vietnamese(text: str) -> bool:
    """Whether ``text`` may be Vietnamese: detected so, too short to tell, or the detector unsure
    and Vietnamese among its first guesses. A line of someone else's OCR of Vietnamese ("Chitieu
    chitiStdichvuky thuat vav~ttu y ts") has too few whole syllables to be detected as such, but
    it leaves the detector unsure, where English, French or German prose does not."""
    language = detect_language(text)
    if language in ("vi", UNDETERMINED):
        return True
    ranked = _identifier().rank(text)
    return ranked[0][1] < _UNSURE and "vi" in [code for code, _ in ranked[:_FIRST_GUESSES]]


def vietnamese_syllable_share(text: str) -> float:
    """Share of ``text``'s words that are frequent Vietnamese syllables once accents are folded away.

    High for Vietnamese with or without diacritics, garbled or not; near zero for English or French.
    """
    found = _WORD.findall(fold(text))
    if not found:
        return 0.0
    return sum(word in _VIETNAMESE_SYLLABLES for word in found) / len(found)


def detect_languages(texts: Iterable[str], min_share: float = 0.1) -> list[str]:
    """Return a document's languages, most words first, from the texts of its chunks.

    Each text votes with its word count, so a long Vietnamese plan with an English abstract gives
    ["vi", "en"]; a language under ``min_share`` of the words (stray headers, names) is left out.
    """
    return main_languages(((detect_language(text), text) for text in texts), min_share)


def main_languages(labelled: Iterable[tuple[str | None, str]], min_share: float = 0.1) -> list[str]:
    """``detect_languages`` for texts whose language is already known: (language, text) pairs."""
    weights: Counter[str] = Counter()
    for language, text in labelled:
        if language and language != UNDETERMINED:
            weights[language] += len(text.split())
    total = sum(weights.values())
    if not total:
        return []
    return [lang for lang, count in weights.most_common() if count / total >= min_share]
