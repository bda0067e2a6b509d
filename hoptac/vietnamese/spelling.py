"""How Vietnamese is spelt: its letters and marks, the shape of a syllable, and marks stripped.

Why here: normalisation, legacy-encoding detection, diacritic restoration, lexical search and the
catalog's filters all reason about the same alphabet and the same syllable shape; one definition
keeps them agreeing on what a Vietnamese word looks like.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Combining marks that carry the tone (grave, acute, hook above, tilde, dot below).
TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
#: Combining marks that change vowel quality (breve, circumflex, horn).
QUALITY_MARKS = ("\u0306", "\u0302", "\u031b")
#: The vowel letters, lower case, without tone.
VOWELS = "aăâeêioôơuưy"
#: Vowels that carry a quality mark: the tone goes on them when a syllable has one.
QUALITY_VOWELS = frozenset("ăâêôơư")

#: Onsets of a syllable, longest first so "ngh" wins over "ng" ("q" only ever as "qu").
ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
#: Vowel nuclei of a syllable once folded (no marks).
FOLDED_NUCLEUS = (
    r"(?:a|e|i|o|u|y|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|"
    r"iai|ieu|oai|oao|oay|oeo|uai|uay|uoi|uou|uya|uye|uyu|yeu|ye)"
)
#: Final consonants of a syllable.
CODA = r"(?:ng|nh|ch|[cmnpt])?"

_FOLDED_SYLLABLE = re.compile(rf"^({ONSET})({FOLDED_NUCLEUS}){CODA}$")

#: The ``stripped_score`` (ingest/diacritics/detect.py) above which a text is treated as
#: accent-stripped: its passages are restored at ingest, fusion leans on lexical evidence for it,
#: and the web page says its diacritics are missing. Accented and English text score 0 and fully
#: stripped text 1; a chunk mixing accented and stripped lines lands in between, by its share of
#: stripped syllables, and the scan's signature and timestamp blocks score low.
STRIPPED_THRESHOLD = 0.5

#: Parts of official documents' codes that abbreviate words with a Đ ("2093/QĐ-BYT" Quyết định,
#: "55/2019/NĐ-CP" Nghị định, "HĐND" Hội đồng nhân dân), as accent-stripped text writes them.
CODE_ACCENTS = {"QD": "QĐ", "ND": "NĐ", "HDND": "HĐND", "BGDDT": "BGDĐT"}

#: The national motto that heads every administrative document (Decree 30/2020/NĐ-CP), the
#: formula that closes every official letter, the labels that open its lines ("Kính gửi:"), and
#: how close OCR of a line must come to one of them to be read as it (rapidfuzz, 0-100: the
#: partial ratio for the motto, which shares its line with the issuer; the ratio for the others).
NATIONAL_MOTTO = "Cộng hòa xã hội chủ nghĩa Việt Nam"
CLOSING = "Trân trọng"
LABELS = ("Kính gửi", "Nơi nhận", "Đính kèm")
#: What a recipient in "Nơi nhận" receives the document for, in brackets after its name
#: ("- UBND TP (để b/c);").
PURPOSES = (
    "để báo cáo",
    "để b/c",
    "để biết",
    "để thực hiện",
    "để t/h",
    "để phối hợp",
    "để chỉ đạo",
    "để theo dõi",
)
FORMULA_MIN_SCORE = 75.0

#: Abbreviations that official documents write with a slash ("V/v" về việc, "UBND TP (để b/c)"
#: báo cáo, "T/M" thay mặt), lower case: the restorer reads them as their words, context for
#: the words around them, and writes them as they are.
SLASH_ABBREVIATIONS = {
    "v/v": "về việc",
    "b/c": "báo cáo",
    "t/h": "thực hiện",
    "p/h": "phối hợp",
    "k/g": "kính gửi",
    "t/m": "thay mặt",
}

_BASE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
#: Every lower-case Vietnamese letter, with each tone mark its vowel may carry (NFC).
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", letter + tone)
    for letter in _BASE_LETTERS
    for tone in ("",) + (TONE_MARKS if letter in VOWELS else ())
)

#: The consonant letters, lower case ("q" only ever begins "qu").
CONSONANTS = frozenset(_BASE_LETTERS) - frozenset(VOWELS)


@lru_cache(maxsize=200_000)
def strip_marks(text: str) -> str:
    """Drop every Vietnamese diacritic (tone and quality marks, đ -> d) and keep case and the rest,
    as a bad OCR would: the form the diacritics model looks its syllables up by."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def mostly_upper(text: str) -> bool:
    """True when ``text`` is set in capitals, as official documents set headings, issuers and
    titles; a few letters that OCR slipped to lower case do not count against it."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def has_marks(text: str) -> bool:
    """True when ``text`` carries any Vietnamese diacritic."""
    return strip_marks(text) != text


def is_vietnamese_syllable(word: str) -> bool:
    """True when lower-case ``word`` uses only Vietnamese letters and is shaped like a syllable."""
    return all(ch in VIETNAMESE_LETTERS for ch in word) and is_folded_syllable(strip_marks(word))


def is_folded_syllable(word: str) -> bool:
    """True when the lower-case, accent-free ``word`` is shaped like a Vietnamese syllable.

    Beyond the onset-nucleus-coda shape, spelling rules catch OCR debris such as "cia" (Vietnamese
    writes k before e/i/y), "ngi" (ngh) or "ghu" (g).
    """
    match = _FOLDED_SYLLABLE.match(word)
    if not match:
        return False
    onset, nucleus = match.group(1), match.group(2)
    front = nucleus[0] in "eiy"
    if onset in ("c", "ng", "g") and front and not (onset == "g" and word.startswith("gi")):
        return False
    return front or onset not in ("k", "ngh", "gh")
