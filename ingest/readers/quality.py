"""Score how much a PDF text layer looks like real words, to decide whether to OCR the page.

Many Vietnamese PDFs carry a text layer that is useless: legacy TCVN3/VNI fonts give
"Hîp t¸c quèc tÕ", broken font maps give "(cid:12)" or private-use glyphs, and some scanners
embed a garbage OCR layer. Such pages read better through Tesseract than through pypdf.
"""

from __future__ import annotations

import re
import unicodedata

_VIETNAMESE_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵwfjz"
)
_FRENCH_LOWER = "çëïüûœæîäö"
_LETTERS = frozenset(_VIETNAMESE_LOWER + _FRENCH_LOWER)
_VOWELS = frozenset(
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵëïüûœæîäö"
)
_NUMBER = re.compile(r"^[\d.,:/%\-–]+$")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}<>.,;:!?…-–—*•·/"
_CONSONANT_RUN = re.compile(r"[^" + "".join(sorted(_VOWELS)) + r"]{6,}")
#: Typesetting, not words: the dashes and bullets of a list ("- Như trên;", "– Lưu: VT.") and the
#: dotted leaders of a form ("Số: ........"). They are neither words nor signs of bad OCR; counted
#: as either, the short "Nơi nhận" page that closes most documents reads as garbled.
_TYPESETTING = frozenset("-–—‒+•·●○▪■□►*.…")


def tokens(text: str) -> list[str]:
    """The whitespace-separated tokens of ``text`` that the page's scores count: all but
    typesetting marks."""
    return [token for token in text.split() if not set(token) <= _TYPESETTING]


def looks_like_word(token: str) -> bool:
    """True for a token shaped like a Vietnamese, English or French word, or a number.

    Shape only: letters from those alphabets, a vowel, no long consonant run, sane case
    (lower, UPPER or Title), optionally joined by "-" or "'" (e.g. "AI-assisted", "l'hôpital").
    """
    token = unicodedata.normalize("NFC", token.strip(_EDGE_PUNCTUATION))
    if not token:
        return False
    if _NUMBER.match(token):
        return True
    parts = re.split(r"[-'’/]", token)
    return all(_part_looks_like_word(part) for part in parts if part) and any(parts)


def _part_looks_like_word(part: str) -> bool:
    if _NUMBER.match(part):
        return True
    lower = part.lower()
    if len(part) > 25 or any(char not in _LETTERS for char in lower):
        return False
    if not (part.islower() or part.isupper() or part.istitle()):
        return False
    if len(part) > 1 and not any(char in _VOWELS for char in lower):
        return part.isupper()  # acronyms: "SYT", "QĐ", "UBND"
    return not _CONSONANT_RUN.search(lower)


def text_quality(text: str) -> float:
    """Share (0..1) of the tokens of ``text`` (``tokens``) that look like words; 0 for none."""
    counted = tokens(text)
    if not counted:
        return 0.0
    return sum(looks_like_word(token) for token in counted) / len(counted)


def word_count(text: str) -> int:
    """How many tokens in ``text`` look like words."""
    return sum(looks_like_word(token) for token in tokens(text))
