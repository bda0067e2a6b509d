"""Detect and convert Vietnamese text typed in the legacy TCVN3 (ABC) and VNI encodings.

Why: Word files and PDFs made before Unicode was common in Vietnam (and many made since, with the old
fonts) store Vietnamese in 8-bit font encodings. Read as cp1252/latin-1 they become mojibake such as
TCVN3 "Hîp t¸c quèc tÕ" or VNI "Hôïp taùc quoác teá" for "Hợp tác quốc tế". No maintained PyPI package
converts these, so the two tables below are written out from the published code charts (TCVN 5712:1993
VN3 and VNI-Windows), one entry per character.

Every character of a French or English text is also a legal TCVN3/VNI character, so conversion happens
only when detection is confident: enough words carry characters or mark sequences that French and
English never use *and* convert into well-formed Vietnamese syllables.
"""

from __future__ import annotations

import re
import unicodedata

from hoptac.vietnamese.spelling import CODA, ONSET, TONE_MARKS, VOWELS

# TCVN3 byte (as the latin-1 character it shows as) -> Unicode. Lower-case letters plus the seven
# upper-case base letters; TCVN3 wrote other capitals with a separate upper-case font on the same codes.
_TCVN3 = {
    "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
    "¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\u00ad": "ư", "®": "đ",
    "µ": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
    "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
    "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
    "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
    "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
    "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
    "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
    "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
    "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
    "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
}  # fmt: skip
#: TCVN3 characters that French/English text does not use between letters: the detection evidence.
_TCVN3_SIGNS = frozenset("¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾ÆÇËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßãäåæìíñòõöøúüýþ÷")

# VNI-Windows: a base letter followed by mark bytes. Sequences (longest first) -> Unicode.
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT_TONES = {"à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
                    "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}  # fmt: skip


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
                             "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
                             "Ì": "Ì", "Í": "Í", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị"}  # fmt: skip
    for upper in (False, True):

        def case(s: str, up: bool = upper) -> str:
            return s.upper() if up else s

        for base in "aeiouy":
            for mark, tone in _VNI_TONES.items():
                table[case(base) + case(mark)] = case(base) + tone
        for base in "aeo":
            table[case(base) + case("â")] = case(base) + "\u0302"
            for mark, tone in _VNI_HAT_TONES.items():
                table[case(base) + case(mark)] = case(base) + "\u0302" + tone
        table[case("a") + case("ê")] = case("a") + "\u0306"
        for mark, tone in _VNI_BREVE_TONES.items():
            if mark in "èéúüë":
                table[case("a") + case(mark)] = case("a") + "\u0306" + tone
        for horn, letter in (("ô", "o"), ("ö", "u")):
            for mark, tone in _VNI_TONES.items():
                table[case(horn) + case(mark)] = case(letter) + "\u031b" + tone
    return {key: unicodedata.normalize("NFC", value) for key, value in table.items()}


_VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True)))
_TCVN3_PATTERN = re.compile("[" + re.escape("".join(_TCVN3)) + "]")

#: Anchored at the start of a word (the lookbehind): unanchored, the engine retries from every
#: position of a long run without spaces, quadratic in its length.
_NON_ASCII_WORD = re.compile(r"(?<!\S)\S*[\u00a1-\u00ff]\S*")
_UNICODE_VIETNAMESE = re.compile("[\u0100-\u1ef9]")
_SYLLABLE = re.compile(rf"^{ONSET}[{VOWELS}]{{1,3}}{CODA}$")
#: Share of accented words that must convert to Vietnamese syllables before we trust a detection.
MIN_SHARE = 0.4
MIN_WORDS = 2


def convert_legacy(text: str) -> str:
    """Return ``text`` converted to Unicode when it is confidently TCVN3 or VNI mojibake, else unchanged."""
    encoding = detect_legacy_encoding(text)
    if encoding == "tcvn3":
        return tcvn3_to_unicode(text)
    if encoding == "vni":
        return vni_to_unicode(text)
    return text


def detect_legacy_encoding(text: str) -> str | None:
    """Say which legacy encoding ``text`` is mojibake of: "tcvn3", "vni", or None when not confident.

    Text that already holds Vietnamese Unicode letters (beyond latin-1) is taken as Unicode.
    """
    if text.isascii() or _UNICODE_VIETNAMESE.search(text):
        return None
    candidates = _NON_ASCII_WORD.findall(text)
    if len(candidates) < MIN_WORDS:
        return None
    best: tuple[float, str | None] = (0.0, None)
    for name, convert, signs in (
        ("tcvn3", tcvn3_to_unicode, _has_tcvn3_sign),
        ("vni", vni_to_unicode, _has_vni_sign),
    ):
        good = sum(1 for w in candidates if signs(w) and _is_vietnamese_syllable(convert(w)))
        share = good / len(candidates)
        if good >= MIN_WORDS and share >= MIN_SHARE and share > best[0]:
            best = (share, name)
    return best[1]


def tcvn3_to_unicode(text: str) -> str:
    """Map every TCVN3 character of ``text`` (read as latin-1/cp1252) to its Unicode letter."""
    return _TCVN3_PATTERN.sub(lambda m: _TCVN3[m.group(0)], text)


def vni_to_unicode(text: str) -> str:
    """Map VNI letter+mark sequences of ``text`` (read as latin-1/cp1252) to Unicode letters."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: _VNI[m.group(0)], text))


def _has_tcvn3_sign(word: str) -> bool:
    return any(ch in _TCVN3_SIGNS for ch in word)


def _has_vni_sign(word: str) -> bool:
    return any(len(seq) == 2 or seq in "ñÑ" for seq in _VNI_PATTERN.findall(word))


def _is_vietnamese_syllable(word: str) -> bool:
    word = word.strip(".,;:!?()\"'«»“”")
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for ch in decomposed if ch in TONE_MARKS) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    return bool(_SYLLABLE.match(base))
