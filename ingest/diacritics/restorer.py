"""Put Vietnamese diacritics back on accent-stripped or OCR-garbled text, line by line.

The promise: only letters inside Vietnamese-looking words change; every other character (spaces,
punctuation, numbers, codes such as "137/KH-UBND", URLs, English words, names the model does not
know) is copied through, so output aligns with input token by token. Lines that are already
properly accented are returned unchanged. The exceptions: a document code's "QD" gets its Đ back
("81/QĐ-TTg", same length), and in text that shows someone else's OCR debris, syllables that OCR
ran together get their spaces back ("chitiStdichvuky": chi tiết dịch vụ kỹ), a code's misread
type is read ("546/OD-UBND": QĐ-UBND) and "số" written as digits before a number is read ("86
50/2024/NĐ-CP"), each in the same number of characters.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

from hoptac.vietnamese import (
    CLOSING,
    CODA,
    CODE_ACCENTS,
    CONSONANTS,
    FORMULA_MIN_SCORE,
    LABELS,
    NATIONAL_MOTTO,
    ONSET,
    PURPOSES,
    SLASH_ABBREVIATIONS,
    VIETNAMESE_LETTERS,
    has_marks,
    is_vietnamese_syllable,
    mostly_upper,
    strip_marks,
)
from ingest.diacritics.decoder import BEAM, DEBRIS_BEAM, MAX_CANDIDATES, PRIOR_WEIGHT, Slot
from ingest.diacritics.garble import (
    ANY_LETTER,
    ANY_VOWEL,
    closest_cost,
    fuzzy_candidates,
    fuzzy_partners,
)
from ingest.diacritics.holes import fill_holes_many
from ingest.diacritics.model import SyllableModel, get_model
from ingest.diacritics.runs import Phrases, Word, decode_words
from ingest.diacritics.segment import (
    LONGEST_SYLLABLE,
    as_written,
    mean_logprob,
    split_accented,
    split_run_together,
)
from ingest.diacritics.syllables import match_case, normalize_syllable, split_tone
from ingest.diacritics.tokens import (
    FOREIGN,
    NUMBER,
    PLACEHOLDERS,
    SENTENCE_END,
    training_runs,
)
from ingest.language import may_be_vietnamese

_CHUNK = re.compile(r"\S+")
_WORD = re.compile(r"[^\W\d_][\w&¢€]*|\d+[^\W\d_]+|\d+|[&¢]")
#: The mark that closes an official document's last sentence ("Trân trọng./."): no code's slash.
_CLOSING_MARK = re.compile(r"\.?/\.$")
_CODE_CHUNK = re.compile(r"[/@\\]|://|\.[a-z]{2,4}\b|(?<![A-Z])[A-Z]{2,}-[A-Z]|\d[-.]\d")
#: A part of a document's code that stripped text writes without its Đ ("2093/QD-BYT").
_CODE_PART = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(CODE_ACCENTS)})(?![^\W\d_])")
#: The type part of a document's code as OCR for another language misreads its Q and Đ ("913/OD-UBND",
#: "72/2019/NB-CP", "8l/QE-TTg"), read back where a number and a slash stand before it, so only
#: document numbers change; and the issuer's part after the type's hyphen ("33/2022/NQ-HBND").
#: Same length, so the line's words stay in place.
_MISREAD_CODE_PARTS = {"OD": "QĐ", "0D": "QĐ", "QB": "QĐ", "QE": "QĐ", "QP": "QĐ", "NB": "NĐ"}
_MISREAD_ISSUERS = {"HBND": "HĐND"}
_MISREAD_CODE = re.compile(
    rf"(?<=[\dlIO]/)(?:{'|'.join(_MISREAD_CODE_PARTS)})(?=-[A-Z])"
    rf"|(?<=\d/[A-Z]{{2}}-)(?:{'|'.join(_MISREAD_ISSUERS)})(?![^\W\d_])"
)
_MISREAD = _MISREAD_CODE_PARTS | _MISREAD_ISSUERS
#: "số" written as digits (ố as a 6, the s as an 8, 5, 3 or $ or lost: "Nghị định 86
#: 50/2024/NĐ-CP", "Nghj dinh 6 92/2017/ND-CP", "$6: 1360/QD-TTg") right before a document's
#: number, where no count stands; the party's numbers take a hyphen ("86 46-TB/TW").
_NUMBER_WORD = re.compile(r"(?<![\w/.,-])[358$S]?6(?=:?\s?\d{1,5} ?[/-]\S*[A-Z])")
#: A document's code that such an OCR cut after a hyphen ("321/QD- TTg", "46- TB/TW"): the space
#: goes, so the code reads as one and its last part is not taken for a word ("TTg": "Từ").
_SPLIT_CODES = (
    re.compile(r"(\d/[A-ZĐ]{1,6}-) (?=[A-ZĐ])"),
    re.compile(r"(\d-) (?=[A-ZĐ]{1,6}/[A-ZĐ])"),
)
#: A number in which such an OCR wrote a letter for a digit ("2O2I" 2021, "8l/QĐ-TTg" 81/QĐ-TTg,
#: "ngày 0l"): digits and the letters drawn like them, nothing else in the word. Read as a number
#: unless it reads as a syllable with its digits as vowels ("l6" lố).
_NUMBER_LOOKALIKES = str.maketrans("OoIl|", "00111")
_LOOKALIKE_NUMBER = re.compile(r"(?<![^\W_])(?=[OoIl|]*\d)(?=\d*[OoIl|])[\dOoIl|]{2,}(?![^\W_])")
_MARKED_VOWELS = "".join(sorted(ch for ch in VIETNAMESE_LETTERS if not ch.isascii() and ch != "đ"))
#: A 1 for the l before a marked vowel or the € such an OCR writes for one ("ty 1é 1/500": tỷ lệ).
_ONE_FOR_L = re.compile(rf"(?<![^\W_])1(?=[{_MARKED_VOWELS}€][^\W\d_]*(?![^\W_]))")
#: An exclamation mark right after consonants that make no word: the i it is drawn like ("đơn
#: v!." vị).
_BANG_FOR_I = re.compile(rf"(?<![^\W_])([{''.join(sorted(CONSONANTS))}]{{1,3}})!", re.IGNORECASE)
#: Digits such an OCR writes alone for "ở" (``_lone_digits``).
_LONE_DIGITS = frozenset("60")
#: A short word with one OCR slip inside (a digit or symbol for a marked vowel: "S6", "x&", "1ap").
_GARBLE_TOKEN = re.compile(r"^(?=.*[^\W\d_])(?!.*\d.*\d)[\w&¢€]{2,7}$")
_ODD_WORD = re.compile(r"^[a-zA-Z]{2,5}$")
#: A lower-case start with a capital inside, as OCR writes a marked vowel it cannot read.
_MID_CAPITAL = re.compile(r"^[a-z]{1,4}[A-Z][a-z]{0,3}$")
#: Two capitals, the second an O or G, that such an OCR writes for a title-case syllable ("BO").
_CAPITAL_VOWEL = re.compile(r"^[BCDGHKLMNSTVX][OG]$")
#: A Q that is no "qu" onset stands for a marked O ("BQ" Bộ, "DQc" Độc, "CQNG" CỘNG).
_VOWEL_Q = re.compile(r"^[A-Za-z]{0,3}Q(?![uU])[A-Za-z]{0,3}$")
#: What only third-party OCR leaves inside a word: a digit or a Q that is no "qu" onset between
#: letters, one of them lower case ("ph6p", "viQc", "DQc"), or a currency sign after a letter
#: ("Quy€t", "ph€"). Acronyms and units ("V&A", "BQP", "H5N1", "kWh", "km2") have none.
_DEBRIS_CHAR = r"(?:\d|Q(?![uU]))"
_OCR_DEBRIS = re.compile(
    rf"(?<=[a-z]){_DEBRIS_CHAR}(?=[^\W\d_])|(?<=[^\W\d_]){_DEBRIS_CHAR}(?=[a-z])|(?<=[^\W\d_])[€¢]"
)
#: Other glyphs only such OCR leaves, each where a marked vowel stood: a junk glyph between
#: lower-case letters ("li~u", "vav~ttu", "di+,h"); read per word below, a capital vowel inside
#: a lower-case word ("dAu", "hGi"), a lower-case i inside capitals ("CHiINH"), and a j for an
#: i ("Nghj", "djnh"), each only where the word then reads as a syllable ("mEq", "Raja" do not).
_JUNK_INSIDE = re.compile(r"(?<=[a-z])[~|$^<>{}+]{1,2}[,.]?(?=[a-z])")
_LETTERS = re.compile(r"[^\W\d_]+")
_VOWEL_CAPITALS = frozenset("AEIOUYG")  # for ``_MID_CAPITAL``'s one capital: "dAu", "hGi"
_SMALL_INSIDE = re.compile(r"[A-Z]{2,}i[A-Z]+(?:i[A-Z]+)?")
#: A Q for an O inside capitals, before a vowel or two letters ("HQI", "CQNG"; no "BQP").
_Q_INSIDE = re.compile(r"[A-Z]{1,2}Q(?:[AEIOUY][A-Z]?|[A-Z]{2})")
#: A digit for the marked vowel that ends a short lower-case word ("s6" số, "ph6" phố, "x4" xã);
#: a 2 or 3 there is a unit's power ("m3", "km2").
_DIGIT_VOWEL_END = re.compile(r"(?<![\w&¢€])[a-z]{1,4}[0469](?![\w&¢€])")
_DIGIT_VOWELS = str.maketrans("0469", "oaoo")
#: Share of a text's words that must carry such debris, and how many at least, before its OCR
#: rules apply: a clean paragraph may name "iPhone" or "b2b" once, and three lines of such OCR
#: pasted into ``hoptac restore-diacritics`` may carry only two ("viQc ph6i").
_DEBRIS_SHARE = 0.02
_DEBRIS_MIN = 2
#: Share of a text's words that debris and slips together must reach (``_DebrisCounts.shows_slips``).
_SLIP_SHARE = 0.05
#: Slips that count for nothing where nothing else shows OCR: clean Vietnamese uses a loanword or
#: two of that shape ("gen", "lab").
_FREE_SLIPS = 1
#: A slip whose likeliest readings (this many) fit between its neighbours (syllables or numbers) by
#: this margin (natural log) over a foreign word is no loanword: the free slip no longer applies.
_CONTEXT_READINGS = 3
_CONTEXT_MARGIN = 1.0
#: Text at least this many syllables long with marks on at most this share of them counts as
#: OCR that lost most marks (``_DebrisCounts.partly_marked``), as this many slips.
_PARTLY_MIN = 5
_PARTLY_SHARE = 0.2
_PARTLY_MARKED_WEIGHT = 2
#: A word of syllables run together counts as this many slips (``_DebrisCounts.runs``).
_RUN_WEIGHT = 1
#: Longest word of such a text still read as one mangled syllable.
_LONG_DEBRIS = LONGEST_SYLLABLE
#: Punctuation that may close or open a word; anything else inside a chunk of such a text
#: ("t.i+h", "$nh", "<t!nh") is OCR junk that cut a word into pieces.
_EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()[]…*"
_WORD_SYMBOLS = frozenset("-–—/&¢€'’")
#: Punctuation that may open a word; a "!" or "$" glued before letters is junk ("!i6n" liên).
_OPENING_PUNCTUATION = "\"'“‘([…*"
#: A chunk that junk glyphs cut into the pieces of one word: at most two cuts, one glyph or two
#: each, and one may stand before the letters ("t.i+h" trình, "$nh" định, "!i6n" liên).
_JUNK_GLYPH = r"[!|$+<>^~#%=.,]"
_CUT_WORD = re.compile(rf"^{_JUNK_GLYPH}?[^\W_]+(?:{_JUNK_GLYPH}{{1,2}}[^\W_]+){{0,2}}$")
#: A document's number: something that was digits, a separator, then the type and issuer codes
#: ("222/QĐ-BTP" as OCR left it: "ZZZ|QD-BTP", "}}}1QD-BTP").
_DOCUMENT_NUMBER = re.compile(r"[\d/|}\]][A-ZĐ]{2,}-[A-ZĐ][A-Za-zĐ]*$")
#: Junk glyphs drawn like a thin letter, read as one ("!i6n" liên): the 1 of the look-alike table.
_THIN_JUNK = str.maketrans("!|", "11")
#: A piece of a word that a stray full stop or space cut off ("duo. c" được, "p. hat" phát): a
#: lower-case onset that is no word by itself, beside a piece it joins into a likely syllable.
_CUT_OFF = re.compile(
    r"(?<![^\s(\"'“‘])([^\W\d_]{1,6})(\.? |\.)(?=([^\W\d_]{1,6})[.,;:!?)\"'”’]*(?:\s|$))"
)
#: What a piece that ``_join_cut_pieces`` joins back may be: the onset or the final consonants a
#: cut took from its word ("c" of "duo. c"), never glyphs a mark was read as ("Sf rt": Sở Tư).
_ONSET_OR_CODA = re.compile(rf"{ONSET}|{CODA}")
#: The national motto's letters, folded, as ``_read_motto`` looks for them.
_MOTTO_KEY = strip_marks(NATIONAL_MOTTO).lower().replace(" ", "")
#: What may follow the closing formula on its line ("Trân trọng./.").
_CLOSING_END = " ./!"
#: A line's opening words up to a colon, where a label would be ("Dinh Hm: Quyết định ...").
_LABEL = re.compile(r"^\s*([^\W\d_][^\W\d]*(?: [^\W\d]+)?)\s*:")
#: Two spaces inside a word, where the text layer's font had no glyph for a marked vowel ("B  O
#: HI  M": BẢO HIỂM), between pieces of three letters at most; marked with a junk glyph, which
#: the restorer reads as any letter.
_HOLE_SPACE = re.compile(r"(?<![^\W\d_])([^\W\d_]{1,3})  (?=([^\W\d_]{1,3})(?![^\W\d_]))")
_HOLE = "~"
_HOLE_MAX_COST = 0.6
#: Highest look-alike cost at which two such pieces are joined: one glyph read otherwise at most.
_JOIN_MAX_COST = 0.6
#: Letters too many for one syllable.
_RUN_TOGETHER = re.compile(rf"[^\W\d_]{{{LONGEST_SYLLABLE + 1},}}")
#: A word of letters and debris glyphs long enough to be two syllables run together ("hqptac"
#: hợp tác), unless the look-alike table reads it as one syllable through one glyph.
_MAYBE_RUN_TOGETHER = re.compile(r"(?<![\w&¢€])[^\W\d_][\w&¢€]{5,}")
_ONE_GLYPH = 0.6
#: Longest piece of such a run read as one syllable: the longest syllable and two glyphs more
#: for a vowel written as two ("trudrng" trưởng).
_LONGEST_READ = LONGEST_SYLLABLE + 2
#: Look-alike cost of a space OCR lost, weighed against reading the run as one mangled syllable.
_LOST_SPACE = 0.6
#: Log-probability (natural) of the second syllable after the first below which two pieces make
#: no phrase: "tác với" and "càng sâu" stand above it, "lập tốp" (laptop) far below.
_MIN_PAIR_LOGPROB = -8.0
#: Stands for a line break inside a sentence while a page's wrapped lines are decoded together:
#: white space to the tokenizer, no sentence end to the model.
_WRAP = "\u2028"
#: Bonus (log scale) for a candidate that is the very form written in a partly accented line.
_KEEP_BONUS = 3.0
#: Bonus for a candidate carrying the tone mark the OCR left on the word.
_TONE_BONUS = 0.3
#: In a line with OCR debris a valid-looking marked word is often wrong too ("vé" for "về").
_OCR_KEEP_BONUS = 1.0
#: Extra cost of reading a well-formed word of a scan as another, look-alike syllable.
_OCR_FUZZ_PENALTY = 1.5
#: ... higher for an unmarked one: a scan that only lost the accents is the common case.
_OCR_FUZZ_PLAIN = 2.5
#: Share of a text's words carrying debris glyphs from which it counts as heavily garbled.
_HEAVY_SHARE = 0.05
#: Bonus for forms that this document writes correctly accented elsewhere (the cache model).
_CACHE_BONUS = 2.0
#: Bonus, in a heavily garbled text, for forms a first reading chose at least ``_ECHO_MIN``
#: times: documents repeat their words ("Chính phủ", "doanh nghiệp"), and a reading that the
#: model made twice from different spellings is evidence for the third.
_ECHO_BONUS = 2.0
_ECHO_MIN = 2
#: Bonus, in any text read as OCR, for a pair of syllables a first reading wrote next to each
#: other at least ``_ECHO_MIN`` times: a page repeats its phrases ("Cổ Nhuế", "thị trấn"), and
#: where one spelling is too garbled to read alone, the phrase read elsewhere says what it is.
_PAIR_BONUS = 2.0
#: Weight of "how this syllable is written when it is a name" for capitalised words mid-sentence.
_NAME_WEIGHT = 0.5
_NAME_MIN_EVIDENCE = 3
#: Short words that are Vietnamese-shaped but, between two foreign words, belong to the foreign
#: name or title around them: "Université de Bordeaux", "Jean de Bethencourt", "Origin of the
#: Species". ("la", "do", "den" are left out: "Apple là Tim Cook", "bay từ Paris đến London".)
_NAME_LINKS = frozenset({"de", "du", "van", "von", "the"})
#: Articles kept after a kept "de": "Hôpital de la Pitié".
_ARTICLES = frozenset({"la", "le", "las", "los"})
#: Capitalised words that open a foreign name or title when a foreign word follows: "San Diego",
#: "The Beatles".
_NAME_OPENERS = frozenset({"san", "the"})
#: English prepositions that open a title with "the": "On the Origin of Species".
_TITLE_OPENERS = frozenset({"on", "to", "in", "at"})
_THE = frozenset({"the"})
#: A capital letter with a full stop before a lower-case word is an initial, not a sentence end.
_INITIAL = re.compile(r"[A-Z]\. +[a-z]")
#: Share of marked syllables above which a line counts as written with accents.
_ACCENTED_SHARE = 0.35
#: Syllables from which a text's marks say whether it was written with accents
#: (``_DebrisCounts.written_with_accents``).
_WRITTEN_MIN = 20
#: Candidates whose prior trails the best one by more than this are not tried (speed; at 3.0 the
#: name prior cut "Bồ" from "Bồ Đào Nha").
_PRUNE = 4.0
#: ... wider in text that shows OCR debris, whose glyphs are weak evidence and whose marks may be
#: wrong ("dé thi" is đô thị), so that the context decides among more readings.
_DEBRIS_PRUNE = 5.0


def _is_plain_syllable(word: str) -> bool:
    return is_vietnamese_syllable(word.lower())


def _accent_is_valid(word: str, model: SyllableModel) -> bool:
    return normalize_syllable(word.lower()) in model.known


def split_words(line: str, model: SyllableModel) -> list[Word]:
    """Words of a line with their kind; codes, URLs and acronyms come back frozen.

    Kinds: "syllable" (Vietnamese-shaped, accented correctly or not at all), "garbled" (marks no
    Vietnamese syllable carries), "slip" (a digit or symbol inside a short word: "S6", "x&"),
    "odd" (a short plain word that is no syllable: an OCR slip such as "cia" in a scanned
    document, else a foreign word), "number", "code" (inside a code or URL), "abbreviation"
    (``SLASH_ABBREVIATIONS``), "frozen". Slips and odd words are restored only in lines or
    documents that show OCR debris.
    """
    words: list[Word] = []
    for chunk in _CHUNK.finditer(line):
        text = chunk.group()
        core = text.strip(_EDGE_PUNCTUATION)
        if core.lower() in SLASH_ABBREVIATIONS:
            start = chunk.start() + text.index(core)
            words.append(Word(start, start + len(core), core, "abbreviation"))
            continue
        frozen_chunk = bool(_CODE_CHUNK.search(_CLOSING_MARK.sub("", text)))
        for match in _WORD.finditer(text):
            token = match.group()
            start = chunk.start() + match.start()
            if token.isdigit():
                kind = "number"
            elif frozen_chunk:
                kind = "code"
            elif token.isalpha() and _is_plain_syllable(token):
                if has_marks(token) and not _accent_is_valid(token, model):
                    kind = "garbled"
                else:
                    kind = "syllable"
            elif token.isalpha() and has_marks(token) and 2 <= len(token) <= 7:
                kind = "garbled"
            elif not token.isalpha() and _GARBLE_TOKEN.match(token) and not token[0].isdigit():
                kind = "slip"
            elif _ODD_WORD.match(token):
                kind = "odd"
            else:
                kind = "frozen"
            words.append(Word(start, start + len(token), token, kind))
    return _freeze_acronyms(words)


def _freeze_acronyms(words: list[Word]) -> list[Word]:
    """A short upper-case word among lower-case ones is an acronym ("AI", "TU"), not a heading."""
    out = []
    for k, w in enumerate(words):
        if w.kind == "syllable" and len(w.text) <= 3 and len(w.text) > 1 and w.text.isupper():
            neighbours = [words[j] for j in (k - 1, k + 1) if 0 <= j < len(words)]
            lettered = [n for n in neighbours if n.kind not in ("number",)]
            if not any(n.text.isupper() and len(n.text) > 1 for n in lettered):
                w = Word(w.start, w.end, w.text, "frozen")
        out.append(w)
    return out


@dataclass(frozen=True)
class LineShape:
    """Counts that decide whether and how a line is restored."""

    words: int
    syllables: int
    marked: int
    garbled: int
    odd: int = 0
    #: Capital words that are no syllable ("VT", "UBND"), in a line with a word in lower case.
    acronyms: int = 0

    @property
    def vietnamese(self) -> bool:
        candidates = self.syllables + self.garbled
        return candidates >= 1 and candidates >= 0.6 * self.words

    @property
    def vietnamese_past_acronyms(self) -> bool:
        """``vietnamese``, the acronyms not counted: a short line of an official letter is
        mostly acronyms ("Lưu: VT, VB.", "UBND TP (để b/c)")."""
        return replace(self, words=self.words - self.acronyms).vietnamese

    @property
    def accented(self) -> bool:
        """Properly accented: enough marks and no impossible syllable."""
        return self.garbled == 0 and self.marked >= _ACCENTED_SHARE * max(self.syllables, 1)

    @property
    def stripped(self) -> bool:
        return self.garbled == 0 and self.marked == 0


def line_shape(words: list[Word]) -> LineShape:
    syllables = [w for w in words if w.kind == "syllable"]
    in_lower_case = any(w.kind in ("syllable", "garbled") and not w.text.isupper() for w in words)
    acronyms = [w for w in words if w.kind == "odd" and w.text.isupper() and len(w.text) > 1]
    return LineShape(
        acronyms=len(acronyms) if in_lower_case else 0,
        words=sum(1 for w in words if w.kind not in ("number", "code", "abbreviation")),
        odd=sum(1 for w in words if w.kind == "odd"),
        syllables=len(syllables),
        marked=sum(1 for w in syllables if has_marks(w.text)),
        garbled=sum(1 for w in words if w.kind == "garbled"),
    )


def keep_foreign_phrases(line: str, words: list[Word]) -> list[Word]:
    """Freeze the Vietnamese-shaped link words inside foreign names and titles, and initials.

    Restoring them reads "Universite de Bordeaux" as "Universite để Bordeaux" and "On the Origin"
    as "Ơn thẻ Origin"; frozen, they also give their neighbours the right context (a foreign
    word). Only the listed words, next to foreign words, and single capitals before a lower-case
    word are touched, so Vietnamese text around a name ("Paris và London", "Windows do
    Microsoft") is still restored.
    """
    out = list(words)

    def joined(k: int) -> bool:  # words k and k + 1 are apart by spaces or hyphens only
        if not 0 <= k < len(out) - 1:
            return False
        return all(ch.isspace() or ch in "-–" for ch in line[out[k].end : out[k + 1].start])

    def foreign(k: int) -> bool:
        return 0 <= k < len(out) and out[k].kind in ("frozen", "odd")

    def plain(k: int, among: frozenset[str]) -> bool:
        w = out[k] if 0 <= k < len(out) else None
        return w is not None and w.kind == "syllable" and w.text.lower() in among

    for k in range(len(out)):
        if _INITIAL.match(line, out[k].start) and out[k].kind == "syllable":
            keep = [k]  # "Y. pestis", "E. coli"
        elif plain(k, _TITLE_OPENERS) and plain(k + 1, _THE) and joined(k) and joined(k + 1):
            keep = [k, k + 1] if foreign(k + 2) else []  # "On the Origin"
        elif plain(k, _NAME_LINKS) and joined(k - 1) and foreign(k - 1) and joined(k):
            if plain(k + 1, _ARTICLES) and joined(k + 1):
                keep = [k, k + 1] if foreign(k + 2) else []  # "Hopital de la Pitie"
            else:
                keep = [k] if foreign(k + 1) else []  # "Universite de Bordeaux"
        elif plain(k, _NAME_OPENERS) and out[k].text[0].isupper() and joined(k):
            keep = [k] if foreign(k + 1) and out[k + 1].text[0].isupper() else []  # "San Diego"
        else:
            keep = []
        for j in keep:
            out[j] = replace(out[j], kind="frozen")
    return out


def _slot_for(
    word: Word,
    model: SyllableModel,
    ocr: bool,
    cache: Counter[str],
    named: bool = False,
    debris: bool = False,
    echo: frozenset[str] = frozenset(),
    partners: frozenset[int] = frozenset(),
) -> Slot | None:
    """The candidates for one word; ``echo``: forms a first reading of the document chose
    (``_echoes``); ``partners``: syllables that make one of its phrases with a neighbour, offered
    where the debris channel reaches them (``fuzzy_partners``)."""
    lower = word.text.lower()
    options: dict[int, float] = {}
    folded = strip_marks(lower)
    if word.kind == "syllable":
        for i in model.candidates.get(folded, [])[:MAX_CANDIDATES]:
            options[i] = 0.0
    if word.kind != "syllable" or (ocr and len(folded) > 1):
        # In a scan even a well-formed word may be a misread one ("mai" for "mới").
        extra = 0.0
        if word.kind == "syllable":
            extra = _OCR_FUZZ_PENALTY if has_marks(lower) else _OCR_FUZZ_PLAIN
        # Where the text shows debris, a capital inside the word is debris too: pass it on.
        for i, penalty in fuzzy_candidates(word.text if debris else lower, model, debris):
            options.setdefault(i, -penalty - extra)
        if debris and partners:
            # No fuzz penalty here: the phrase, read twice elsewhere, vouches for the reading.
            for i, penalty in fuzzy_partners(word.text, partners, model):
                options.setdefault(i, -penalty)
    if not options:
        return None
    for i in options:
        options[i] += PRIOR_WEIGHT * model.wordfreq[i]
    written_tone = split_tone(unicodedata.normalize("NFC", lower))[1]
    if has_marks(lower):
        normal = normalize_syllable(lower)
        for i in options:
            form = model.vocab[i]
            if form == normal and word.kind == "syllable":
                options[i] += _OCR_KEEP_BONUS if ocr else _KEEP_BONUS
            elif written_tone and split_tone(form)[1] == written_tone:
                options[i] += _TONE_BONUS
    for i in options:
        if cache.get(model.vocab[i]):
            options[i] += _CACHE_BONUS
        elif model.vocab[i] in echo:
            options[i] += _ECHO_BONUS
    if named:
        # A capital inside a sentence marks a name: prefer forms that names take ("Anh", "Đảng").
        capitalized = model.capitalized
        total = sum(capitalized[i] for i in options)
        if total >= _NAME_MIN_EVIDENCE:
            for i in options:
                options[i] += _NAME_WEIGHT * math.log((capitalized[i] + 0.5) / (total + 0.5))
    best = max(options.values())
    prune = _DEBRIS_PRUNE if debris else _PRUNE
    ids = tuple(i for i, bonus in options.items() if bonus >= best - prune)
    return Slot(ids, tuple(options[i] for i in ids))


def _restore_line(
    line: str,
    model: SyllableModel,
    cache: Counter[str],
    scanned: bool,
    accented_doc: bool,
    echo: frozenset[str] = frozenset(),
    phrases: Phrases | None = None,
) -> str:
    """Restore one line; ``scanned``: its text shows OCR debris (``_DebrisCounts.shows_debris``);
    ``echo`` and ``phrases``: forms and phrases a first reading of the document chose
    (``_echoes``, ``_echo_pairs``)."""
    if scanned or not has_marks(line):
        line = _space_glued_numbers(line, model, scanned)
    if scanned:
        line = _space_run_together(_join_cut_pieces(_mark_holes(line, model), model), model)
        for split in _SPLIT_CODES:
            line = split.sub(r"\1", line)
        line = _NUMBER_WORD.sub(_number_word, line)
        line = _LOOKALIKE_NUMBER.sub(_read_number, _ONE_FOR_L.sub("l", line))
        line = _BANG_FOR_I.sub(r"\1i", line)
    words = split_words(line, model)
    shape = line_shape(words)
    if accented_doc and _probably_names(words, shape):
        return line
    ocr = shape.garbled > 0 or scanned
    if ocr:
        words = read_as_ocr(words, scanned)
        if scanned:
            junk = _junk_chunks(line)
            in_junk = _Spans(junk)
            words = _merge_cut_words(line, [_read_debris(w, in_junk) for w in words], junk)
            words = _read_document_numbers(line, words)
            if not any(ch.islower() for ch in line):
                words = _heading_syllables(words, model)
        shape = line_shape(words)
    if not shape.vietnamese_past_acronyms or shape.accented:
        return line
    if not scanned and shape.marked >= _ACCENTED_SHARE * max(shape.syllables, 1):
        return line  # an accented line with a typo in an accented document: leave it
    words = keep_foreign_phrases(line, words)
    if scanned:
        words = _lone_digits(words)
    line = _accent_codes(line)
    if scanned:
        line = _MISREAD_CODE.sub(lambda part: _MISREAD[part.group()], line)

    def slot_for(word: Word, named: bool, partners: frozenset[int] = frozenset()) -> Slot | None:
        if word.kind == "digit":
            garbled = replace(word, kind="garbled")
            read = _slot_for(garbled, model, ocr, cache, named, scanned, echo, partners)
            return _number_or_vowel(read, model)
        return _slot_for(word, model, ocr, cache, named, scanned, echo, partners)

    # Widening reaches further only where the text shows debris (``_slot_for``): elsewhere it
    # would build the same slot again.
    return decode_line(
        line, words, model, slot_for, scanned, phrases, slot_for if scanned else None
    )


def read_as_ocr(words: list[Word], debris: bool) -> list[Word]:
    """The words of an OCR'd line as the restorer reads them: short non-syllables are OCR slips
    ("cia", "phc", "Ngi"), and where the text shows OCR debris (``debris``), so are capitals
    for vowels ("viQc", "BQ", "BO Y tế")."""
    lower_case_line = any(w.kind == "syllable" and not w.text.isupper() for w in words)
    return [
        Word(w.start, w.end, w.text, "garbled")
        if w.kind == "slip"
        or (debris and _is_debris(w))
        or (w.kind == "odd" and not w.text.isupper())
        else _capital_for_vowel(w)
        if debris and lower_case_line
        else w
        for w in words
    ]


def decode_line(
    line: str,
    words: list[Word],
    model: SyllableModel,
    slot_for: Callable[[Word, bool], Slot | None],
    debris: bool = False,
    phrases: Phrases | None = None,
    widen: Callable[[Word, bool, frozenset[int]], Slot | None] | None = None,
) -> str:
    """Decode a line's syllables (``decode_words``), writing each chosen form back in the word's
    place and case; every other character is copied through. Shared by the restorer and the OCR
    corrector, which differ only in the candidates they offer. ``debris``: the text shows OCR
    debris, so capitals and digits inside words are read as vowels, not as case, and the search
    keeps more readings (``DEBRIS_BEAM``). ``phrases`` and ``widen``: see ``decode_words``.
    """
    out = list(line)
    beam_width = DEBRIS_BEAM if debris else BEAM
    for word, i in decode_words(line, words, model, slot_for, phrases, widen, beam_width):
        if model.vocab[i] in PLACEHOLDERS:
            continue  # a ``_lone_digits`` word read as the number it is
        case = _case_of(word.text) if debris else word.text
        out[word.start] = match_case(case, model.vocab[i])
        for k in range(word.start + 1, word.end):
            out[k] = ""
    return unicodedata.normalize("NFC", "".join(out))


def _document_cache(lines: list[str], model: SyllableModel) -> Counter[str]:
    """Accented forms the document itself writes correctly: in-domain evidence for its own words."""
    cache: Counter[str] = Counter()
    for line in lines:
        words = split_words(line, model)
        if line_shape(words).accented:
            for w in words:
                if w.kind == "syllable" and has_marks(w.text):
                    cache[normalize_syllable(w.text.lower())] += 1
    return cache


def restore_many(texts: list[str], context: Sequence[str] = ()) -> list[str]:
    """Restore a whole document's texts (pages, chunks or lines) at once.

    Seeing them together lets correctly accented lines vouch for the forms of their words when the
    same words turn up stripped elsewhere in the document (a cache model). ``context`` may add the
    document's other texts, which are read for that evidence but not restored.
    """
    model = get_model()
    # Decomposed input (NFD, as some PDF text layers give) is composed first: output is NFC.
    texts = [unicodedata.normalize("NFC", text) for text in texts]
    # Holes a font without glyphs for marked vowels left are filled first: every letter around
    # them is right as written, so no other rule needs to read those words.
    texts = fill_holes_many(texts)
    # So are spaces lost between accented syllables: the marks show where each one ends.
    texts = [space_accented(text) for text in texts]
    lines = [line for text in texts for line in text.split("\n")]
    evidence = lines + [line for text in context for line in text.split("\n")]
    cache = _document_cache(evidence, model)
    split = [split_words(line, model) for line in lines]
    counts = _debris_counts(lines, split)
    scanned = _shows_ocr(counts, lines, split, model)
    accented_doc = not scanned and sum(cache.values()) >= 20
    heavy = scanned and counts.share >= _HEAVY_SHARE

    def restore_line(line: str, echo: frozenset[str], phrases: Phrases | None) -> str:
        restored = _restore_line(line, model, cache, scanned, accented_doc, echo, phrases)
        # The fixed formulas are read back after, whatever the words around them made of them.
        if scanned:
            restored = _read_label(line, _read_closing(line, _read_motto(restored)))
            restored = _read_purposes(line, restored)
        return restored.replace(_WRAP, "\n")

    def restore_all(echo: frozenset[str], phrases: Phrases | None) -> list[str]:
        return [
            "\n".join(
                restore_line(line, echo, phrases)
                for line in (_unwrap(text) if scanned else text.split("\n"))
            )
            for text in texts
        ]

    first = restore_all(frozenset(), None)
    if not scanned:
        return first
    # A second reading, helped by what the first one read. Forms (``_echoes``) only where the text
    # is heavily garbled: on lighter OCR they tip well-read words too.
    echo = _echoes(first, texts) if heavy else frozenset()
    phrases = _echo_pairs(first, model)
    if not echo and not phrases.bonus:
        return first
    return restore_all(echo, phrases)


def _echoes(restored: list[str], written: list[str]) -> frozenset[str]:
    """Forms a first reading of the document chose, at least ``_ECHO_MIN`` times, for spellings
    whose letters it changed (not only its accents: "và" for "va" is no evidence)."""
    written_folds = {w.lower() for text in written for w in _WORD.findall(text)}
    counts: Counter[str] = Counter(
        normalize_syllable(w.lower())
        for text in restored
        for w in _WORD.findall(text)
        if strip_marks(w.lower()) not in written_folds
    )
    return frozenset(form for form, n in counts.items() if n >= _ECHO_MIN)


def _echo_pairs(restored: list[str], model: SyllableModel) -> Phrases:
    """Pairs of syllables a first reading wrote next to each other at least ``_ECHO_MIN`` times,
    each with ``_PAIR_BONUS``, as model ids (``Phrases``)."""
    counts: Counter[tuple[str, str]] = Counter(
        pair
        for text in restored
        for line in text.split("\n")
        for run in training_runs(line)
        for pair in pairwise(run)
    )
    index = model.index
    return Phrases.of(
        {
            (index[a], index[b]): _PAIR_BONUS
            for (a, b), n in counts.items()
            if n >= _ECHO_MIN
            and a not in PLACEHOLDERS
            and b not in PLACEHOLDERS
            and a in index
            and b in index
        }
    )


#: A run of letters, where spaces may have been lost.
_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")
#: Text is Vietnamese enough to split its accented runs loosely (``split_accented``) when at
#: least this many of its marked words are syllables as written, and at most this share of them
#: is neither a syllable nor syllables run together (a French line: "ministère", "coopération").
_VIETNAMESE_MARKED_MIN = 3
_FOREIGN_MARKED_SHARE = 0.2


def space_accented(text: str) -> str:
    """The text with spaces back between accented syllables a text layer ran together
    ("Quyếtđịnh số", "quy phạm phápluật"); codes and URLs are left as written.

    A line is split loosely where its own marked words show it Vietnamese, or where the whole
    text does and the line has no foreign word: a short header line ("THỊ TRẤNNGÃI GIAO") carries
    too few words to tell by itself.
    """
    vietnamese = _reads_vietnamese(_LETTER_RUN.findall(text))
    return "\n".join(_space_accented_line(line, vietnamese) for line in text.split("\n"))


def _space_accented_line(line: str, text_is_vietnamese: bool) -> str:
    line = _LETTER_SPACED.sub(_join_spaced_letters, line)
    runs = _LETTER_RUN.findall(line)
    if all(as_written(run) is not None or not has_marks(run) for run in runs):
        return line  # no accented run to cut: most lines of most pages
    loose = _reads_vietnamese(runs) or (
        text_is_vietnamese and not any(_is_foreign(run) for run in runs)
    )

    def run(found: re.Match[str]) -> str:
        pieces = split_accented(found.group(), loose)
        return " ".join(pieces) if pieces else found.group()

    def chunk(found: re.Match[str]) -> str:
        text = found.group()
        return text if _CODE_CHUNK.search(text) else _LETTER_RUN.sub(run, text)

    return _CHUNK.sub(chunk, line)


#: Letters set apart one by one, as pypdf gives a heading with letter spacing ("K Ế H O Ạ C H").
_LETTER_SPACED = re.compile(r"(?<![^\s(\[\"“])(?:[^\W\d_] ){3,}[^\W\d_](?![^\s.,;:)\]\"”])")


def _join_spaced_letters(found: re.Match[str]) -> str:
    """Spaced-out letters joined into the words they spell ("C Ộ N G H Ò A": CỘNG HÒA), where
    they spell a syllable or syllables with a Vietnamese mark; else as they were ("A B C D")."""
    letters = found.group().replace(" ", "")
    if not has_marks(letters):
        return found.group()
    if as_written(letters) is not None:
        return letters
    pieces = split_accented(letters)
    return " ".join(pieces) if pieces else found.group()


def _reads_vietnamese(runs: list[str]) -> bool:
    """Whether enough of these words' marked ones are syllables as written, few of them foreign."""
    marked = [run for run in runs if has_marks(run)]
    syllables = sum(1 for run in marked if as_written(run) is not None)
    foreign = sum(1 for run in marked if _is_foreign(run))
    return syllables >= _VIETNAMESE_MARKED_MIN and foreign <= _FOREIGN_MARKED_SHARE * syllables


def _is_foreign(run: str) -> bool:
    """Neither a syllable as written, nor an acronym, nor syllables run together."""
    return as_written(run) is None and not run.isupper() and split_accented(run, loose=True) is None


def _unwrap(text: str) -> list[str]:
    """The text's lines, each joined to the next with ``_WRAP`` where the page only wrapped
    mid-sentence ("Bộ Tư" / "pháp"), so the syllables on either side are decoded together."""
    if _WRAP in text:
        return text.split("\n")  # the text's own line separators must come back as they were
    lines: list[str] = []
    for line in text.split("\n"):
        previous = lines[-1].rstrip() if lines else ""
        if previous and previous[-1] not in SENTENCE_END and _continues(line):
            lines[-1] += _WRAP + line
        else:
            lines.append(line)
    return lines


def _continues(line: str) -> bool:
    """A line that opens in lower case or with a number goes on with the sentence before it; one
    that opens with a capital may start a label or heading ("Nơi nhận:") and is read alone."""
    first = line.lstrip()[:1]
    return first.isdigit() or first.islower()


def _probably_names(words: list[Word], shape: LineShape) -> bool:
    """In an accented document, a short unaccented line of capitalised words is a byline or a
    name ("Phan Anh"), which we cannot decide and so leave alone. A longer line in capitals is a
    heading whose marks OCR lost ("VE VIEC BAN HANH BIEU MAU"), not a name."""
    if shape.marked or shape.garbled:
        return False
    syllables = [w for w in words if w.kind == "syllable"]
    if len(syllables) < 4:
        return True
    return all(w.text[:1].isupper() for w in syllables) and not all(
        w.text.isupper() for w in syllables
    )


def _case_of(text: str) -> str:
    """The case a word is written in, as a pattern for ``match_case``, ignoring capitals and
    digits OCR put for vowels: "viQc" is lower case, "DQc", "BQ" and "K6" title case, "CQNG" upper."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or letters[0].islower():
        return "x"
    if all(ch.isupper() for ch in letters) and (
        len(letters) > 2 or len(letters) == 2 and letters[1] != "Q"  # "BQ" is Bộ
    ):
        return "XX"
    return "Xx"


#: A word with a number glued to it ("nam2021", "so81/QD-TTg", "ndm2O2l"): two digits or a digit
#: and a look-alike, so that a digit written for a vowel ("nhi6u" nhiều) is no number.
_GLUED_NUMBER = re.compile(r"(?<![\w&¢€])([^\W\d_]{2,7})(?=\d[\dOoIl|])")


def _space_glued_numbers(line: str, model: SyllableModel, debris: bool) -> str:
    """The line with the space back between a syllable and the number OCR glued to it ("năm
    2021"): a syllable as written, or where the text shows debris, one a single look-alike away
    ("ndm" năm), except in a code, whose letters may be digits ("qt80/PC-VP"). Acronyms keep
    their numbers ("TT01", "COVID19")."""

    def chunk(found: re.Match[str]) -> str:
        text = found.group()
        # 0: a syllable as written (``closest_cost``).
        reach = _ONE_GLYPH if debris and not _CODE_CHUNK.search(text) else 0.0
        return _GLUED_NUMBER.sub(lambda glued: _spaced(glued.group(), reach, model), text)

    return _CHUNK.sub(chunk, line)


def _spaced(word: str, reach: float, model: SyllableModel) -> str:
    if not (word.islower() or word.istitle()):
        return word
    cost = closest_cost(word, model)
    return word + " " if cost is not None and cost <= reach else word


def _space_run_together(line: str, model: SyllableModel) -> str:
    """The line with spaces back between the syllables OCR ran together ("chitiStdichvuky",
    "hqptac": hợp tác)."""

    def one(run: re.Match[str]) -> str:
        token = run.group()
        if _RUN_TOGETHER.fullmatch(token):
            pieces = split_run_together(token)
            return " ".join(pieces) if pieces else token
        # As short as a long syllable: only into two pieces ("insulin" is no "in su lin") read
        # more cheaply than the whole, a lost space counted ("trudrng" is trưởng, no "tự động"),
        # and a capitalised word only into two syllables as written ("Chitieu" Chỉ tiêu, never
        # "Hitachi").
        pieces = _split_in_two(token, model)
        if pieces is None:
            return token
        if token.istitle() and any(closest_cost(piece, model) != 0.0 for piece in pieces):
            return token
        whole = closest_cost(token, model)
        split = sum(closest_cost(piece, model) or 0.0 for piece in pieces) + _LOST_SPACE
        return token if whole is not None and whole <= split else " ".join(pieces)

    def chunk(found: re.Match[str]) -> str:
        text = found.group()
        if _CODE_CHUNK.search(text):
            return text
        pieces = _split_at_junk(text)
        return " ".join(pieces) if pieces else _MAYBE_RUN_TOGETHER.sub(one, text)

    return _CHUNK.sub(chunk, line)


#: A run of lower-case letters with one junk glyph inside, where a marked vowel was ("vav~ttu").
_JUNK_RUN = re.compile(r"([a-z]+)[~|$^<>{}+]([a-z]+)")


@lru_cache(maxsize=4096)
def _split_at_junk(chunk: str) -> tuple[str, ...] | None:
    """The syllables a run with one junk glyph is made of, the glyph kept in its piece ("vav~ttu":
    "va v~t tu", và vật tư), where the glyph reads as one vowel and every other piece is a
    syllable as written; None where the run reads as one word ("li~u" liệu) or no split holds
    together as a phrase."""
    found = _JUNK_RUN.fullmatch(chunk)
    if found is None or len(found.group(1)) + len(found.group(2)) <= LONGEST_SYLLABLE - 2:
        return None
    model = get_model()
    glyph = len(found.group(1))
    whole = closest_cost(chunk[:glyph] + ANY_LETTER + chunk[glyph + 1 :], model)
    if whole is not None and whole <= _ONE_GLYPH:
        return None
    best: tuple[float, tuple[str, ...]] | None = None
    for pieces in _cuts(chunk, glyph):
        if not all(_reads_exactly(piece, model) for piece in pieces):
            continue
        readable = tuple(piece.replace(chunk[glyph], ANY_VOWEL) for piece in pieces)
        score = mean_logprob(readable, model)
        if score >= _MIN_PAIR_LOGPROB and (best is None or score > best[0]):
            best = (score, pieces)
    return best[1] if best else None


def _cuts(chunk: str, glyph: int) -> list[tuple[str, ...]]:
    """Every way to cut ``chunk`` into two to four pieces of one syllable's length at most, the
    junk glyph at ``glyph`` never a piece's edge."""
    found: list[tuple[str, ...]] = []

    def extend(start: int, pieces: tuple[str, ...]) -> None:
        if start == len(chunk):
            if len(pieces) >= 2:
                found.append(pieces)
            return
        if len(pieces) == 4:
            return
        for end in range(start + 1, min(len(chunk), start + LONGEST_SYLLABLE) + 1):
            if glyph in (start, end - 1):
                continue  # the glyph stands inside a syllable: "v~t", never "va~" or "~"
            extend(end, (*pieces, chunk[start:end]))

    extend(0, ())
    return found


def _reads_exactly(piece: str, model: SyllableModel) -> bool:
    """A syllable as written, or with its one junk glyph as a vowel ("v~t": vật)."""
    letters = [ch for ch in piece if ch.isalpha()]
    if len(letters) == len(piece):
        return piece in model.candidates and _is_plain_syllable(piece)
    at = next(k for k, ch in enumerate(piece) if not ch.isalpha())
    return any(piece[:at] + vowel + piece[at + 1 :] in model.candidates for vowel in "aeiouy")


def _split_in_two(token: str, model: SyllableModel) -> tuple[str, str] | None:
    """The two syllables a short run is made of ("hqptac" hợp tác): one as written, the other
    through one glyph at most, of several such cuts the one read through the fewest glyphs, and
    the second likely enough after the first."""
    if len(token) > 2 * _LONGEST_READ:
        return None
    best: tuple[float, tuple[str, str]] | None = None
    for cut in range(2, len(token) - 1):
        pieces = (token[:cut], token[cut:])
        found = [closest_cost(piece, model) for piece in pieces]
        costs = [c for c in found if c is not None and c <= _ONE_GLYPH]
        if len(costs) < 2 or min(costs) > 0:
            continue
        total = sum(costs)
        if best is None or total < best[0]:
            best = (total, pieces)
    if best is None or mean_logprob(best[1], model) < _MIN_PAIR_LOGPROB:
        return None  # no phrase: a loanword ("laptop": lập tốp)
    return best[1]


def _accent_codes(line: str) -> str:
    """The line with the Đ back in its documents' codes: "81/QD-TTg" is 81/QĐ-TTg. The letters
    keep their places, so the line's words stay where they were."""

    def one(chunk: re.Match[str]) -> str:
        text = chunk.group()
        if not _CODE_CHUNK.search(text):
            return text
        return _CODE_PART.sub(lambda part: CODE_ACCENTS[part.group()], text)

    return _CHUNK.sub(one, line)


def _junk_chunks(line: str) -> list[tuple[int, int]]:
    """Spans of the chunks in which OCR junk sits between letters ("t.i+h", "$nh", "di+,h")."""
    spans = []
    for chunk in _CHUNK.finditer(line):
        core = _CLOSING_MARK.sub("", chunk.group()).lstrip(_OPENING_PUNCTUATION)
        core = core.rstrip(_EDGE_PUNCTUATION)
        if any(not ch.isalnum() and ch not in _WORD_SYMBOLS for ch in core):
            spans.append(chunk.span())
    return spans


def _read_document_numbers(line: str, words: list[Word]) -> list[Word]:
    """A document's number whose digits OCR garbled ("ZZZ|QĐ-BTP", "}}}1QD-BTP") read as the
    model saw "222/QĐ-BTP" in training: a number, then the codes as a foreign word. Left as a
    foreign word only, "số" before it is no likelier than "sở" or "ở"."""
    firsts = set()
    for chunk in _CHUNK.finditer(line):
        if _DOCUMENT_NUMBER.search(chunk.group().rstrip(_EDGE_PUNCTUATION)):
            inside = [w for w in words if chunk.start() <= w.start < chunk.end()]
            if inside and inside[0].kind == "code":
                firsts.add(inside[0].start)
    return [replace(w, kind="number") if w.start in firsts else w for w in words]


def _lone_digits(words: list[Word]) -> list[Word]:
    """Such an OCR writes "ở" as a 6 or a 0 ("dân chủ 6 cơ sở"): a lone 6 or 0 between two words
    becomes a ``digit`` word, which the model reads as a number or a one-letter syllable
    (``_number_or_vowel``); "tháng 6 năm" stays a month."""

    def between_words(k: int) -> bool:
        return 0 < k < len(words) - 1 and all(
            words[j].kind in ("syllable", "garbled") for j in (k - 1, k + 1)
        )

    return [
        replace(w, kind="digit")
        if w.kind == "number" and w.text in _LONE_DIGITS and between_words(k)
        else w
        for k, w in enumerate(words)
    ]


def _number_or_vowel(read: Slot | None, model: SyllableModel) -> Slot:
    """A lone digit's slot: the number, at no cost, against the one-letter syllables it reads as,
    at their look-alike cost; the neighbours decide."""
    options = (
        [(i, bonus) for i, bonus in zip(read.candidates, read.bonus) if len(model.vocab[i]) == 1]
        if read
        else []
    )
    options.append((model.index[NUMBER], 0.0))
    return Slot(tuple(i for i, _ in options), tuple(bonus for _, bonus in options))


def _number_word(found: re.Match[str]) -> str:
    """The word for ``_NUMBER_WORD``, capitalised where it opens the line ("$6: 1360/QĐ-TTg")."""
    opens = found.group()[0] in "$S" or not found.string[: found.start()].strip()
    return "Số" if opens else "số"


def _read_number(found: re.Match[str]) -> str:
    """A ``_LOOKALIKE_NUMBER`` as digits, or as written where it reads as a syllable."""
    text = found.group()
    if _is_plain_syllable(text.translate(_DIGIT_VOWELS).lower()):
        return text
    return text.translate(_NUMBER_LOOKALIKES)


def _read_motto(line: str) -> str:
    """The line with the national motto read back where OCR garbled it ("CQNG HOA xX HQI CHiTNGHiA
    VI:¢TNAM"): every document carries it, word for word, so a close match is no guess. Matched
    on the line's letters with spaces dropped, OCR slips allowed; the whole words the match
    touches are written over, in capitals if they were."""
    places = [k for k, ch in enumerate(line) if not ch.isspace()]
    compact = "".join(strip_marks(line[k]).lower() for k in places)
    if len(compact) < 0.8 * len(_MOTTO_KEY):
        return line
    found = fuzz.partial_ratio_alignment(_MOTTO_KEY, compact)
    if found is None or found.score < FORMULA_MIN_SCORE:
        return line
    start, end = places[found.dest_start], places[found.dest_end - 1] + 1
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    while end < len(line) and not line[end].isspace():
        end += 1
    span = line[start:end]
    if span.lower() == NATIONAL_MOTTO.lower():
        return line
    letters = [ch for ch in span if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
    return line[:start] + (NATIONAL_MOTTO.upper() if upper else NATIONAL_MOTTO) + line[end:]


def _formula(written: str, formulas: Sequence[str], capitalised: bool = True) -> str | None:
    """The formula that OCR's ``written`` words are a close reading of, word for word, if any.
    Whole to whole: a longer text that holds one is a sentence or a name ("Trần Trọng Nghĩa").
    Only garbled words may differ from the formula's: "Tang truong." is a heading that says
    what it says, not a garbled closing. ``capitalised``: the formula opens a line, so OCR
    wrote its first letter as a capital."""
    words = strip_marks(written).lower().split()
    if capitalised and not written[:1].isupper():
        return None
    for formula in formulas:
        keys = strip_marks(formula).lower().split()
        if (
            len(words) == len(keys)
            and all(w == k or not _is_plain_syllable(w) for w, k in zip(words, keys))
            and _closeness("".join(keys), "".join(words)) >= FORMULA_MIN_SCORE
        ):
            return formula
    return None


#: Vowels, and the digits such an OCR writes for them ("d6 bi6t" để biết), as one glyph.
_VOWEL_GLYPHS = str.maketrans("aeiouy0469", "**********")


def _closeness(formula: str, written: str) -> float:
    """How close OCR's letters come to a formula's, as written or with every vowel and every
    digit written for one counted alike: a digit holds a vowel's place, whichever vowel it was."""
    return max(
        fuzz.ratio(formula, written),
        fuzz.ratio(formula.translate(_VOWEL_GLYPHS), written.translate(_VOWEL_GLYPHS)),
    )


def _read_closing(written: str, restored: str) -> str:
    """The restored line as the closing formula where OCR wrote a line that is only a close
    reading of it ("Tr6n trgng." Trân trọng). Matched on what OCR wrote: the restored words may
    make another phrase of it ("Tôn trọng")."""
    if _formula(written.strip().rstrip(_CLOSING_END), (CLOSING,)) is None:
        return restored
    lead = restored[: len(restored) - len(restored.lstrip())]
    kept = restored.strip()
    body = kept.rstrip(_CLOSING_END)
    return lead + _in_case_of(body, CLOSING) + kept[len(body) :]


def _read_label(written: str, restored: str) -> str:
    """The restored line with its opening label read back where OCR garbled it ("Dinh Hm:"
    Đính kèm), matched as ``_read_closing`` matches the closing."""
    found = _LABEL.match(written)
    label = _formula(found.group(1), LABELS) if found else None
    kept = _LABEL.match(restored)
    if label is None or kept is None:
        return restored
    return restored[: kept.start(1)] + _in_case_of(kept.group(1), label) + restored[kept.end(1) :]


#: A bracketed phrase; the list item a recipient of "Nơi nhận" is written as.
_BRACKETED = re.compile(r"\(([^()]+)\)")
_LIST_ITEM = re.compile(r"^\s*[-+•]")


def _read_purposes(written: str, restored: str) -> str:
    """The restored recipient line with its bracketed purpose read back where OCR garbled it
    ("- UBND TP (d6 b/c);": để b/c, where the words around made "đã" of it), matched as
    ``_read_closing`` matches the closing."""
    found = list(_BRACKETED.finditer(written))
    kept = list(_BRACKETED.finditer(restored))
    if not _LIST_ITEM.match(written) or len(found) != len(kept):
        return restored
    out = restored
    for written_part, restored_part in reversed(list(zip(found, kept))):
        purpose = _formula(written_part.group(1), PURPOSES, capitalised=False)
        if purpose is not None:
            start, end = restored_part.span(1)
            out = out[:start] + purpose + out[end:]
    return out


def _in_case_of(written: str, formula: str) -> str:
    """The formula in capitals where it was written in capitals ("NƠI NHẬN:")."""
    return formula.upper() if mostly_upper(written) else formula


def _heading_syllables(words: list[Word], model: SyllableModel) -> list[Word]:
    """In a line all in capitals, short capital syllables ("XÃ", "NAM") are the heading's words,
    not acronyms: what decides that elsewhere (capitals among lower-case words) says nothing here,
    and the words around them were pieces that junk or holes cut ("H  I": HỘI)."""
    return [
        replace(w, kind="syllable")
        if w.kind == "frozen"
        and _is_plain_syllable(w.text)
        and (not has_marks(w.text) or _accent_is_valid(w.text, model))
        else w
        for w in words
    ]


def _mark_holes(line: str, model: SyllableModel) -> str:
    """The line with each hole a missing glyph left inside a word marked as junk ("B  O HI  M":
    BẢO HIỂM, where the text layer's font had no glyph for the marked vowel): two spaces between
    short pieces that are no word apart ("B", "M") and one syllable with a vowel between them."""

    def one(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if all(_is_plain_syllable(piece) for piece in (left, right)):
            return match.group()
        cost = closest_cost(left + ANY_LETTER + right, model)
        return left + _HOLE if cost is not None and cost <= _HOLE_MAX_COST else match.group()

    return _HOLE_SPACE.sub(one, line)


def _join_cut_pieces(line: str, model: SyllableModel) -> str:
    """The line with the pieces of a word that a stray full stop or space cut apart joined back
    ("duo. c" được, "p. hat" phát): where one piece is a lower-case onset that is no word alone
    ("c", "nh", "p") and the two join into a syllable, as written or through one look-alike."""

    def one(match: re.Match[str]) -> str:
        left, _, right = match.groups()
        joined = left + right
        lone = [
            p
            for p in (left, right)
            if p.islower() and not _is_plain_syllable(p) and _ONSET_OR_CODA.fullmatch(p)
        ]
        if not lone or len(joined) > LONGEST_SYLLABLE:
            return match.group()
        cost = closest_cost(joined, model)
        return left if cost is not None and cost <= _JOIN_MAX_COST else match.group()

    return _CUT_OFF.sub(one, line)


class _Spans:
    """Disjoint spans of a line, sorted, asked whether a position falls inside one: a long line
    of such OCR has thousands, and asking each of them for each word took quadratic time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def __contains__(self, position: int) -> bool:
        k = bisect.bisect_right(self.starts, position) - 1
        return k >= 0 and position < self.spans[k][1]


def _merge_cut_words(line: str, words: list[Word], junk: list[tuple[int, int]]) -> list[Word]:
    """The words with each chunk that junk glyphs cut into the pieces of one word read as that
    word ("t.i+h" trình, "di+,h" định), each junk glyph standing for any letter or none; the
    restorer writes its reading over the whole chunk."""
    merged: list[Word] = []
    for start, end in junk:
        chunk = line[start:end]
        core = chunk.lstrip(_OPENING_PUNCTUATION).rstrip(_EDGE_PUNCTUATION)
        letters = sum(ch.isalpha() for ch in core)
        if not _CUT_WORD.match(core) or not 2 <= letters <= LONGEST_SYLLABLE:
            continue
        if sum(ch.isupper() for ch in core) > 1 and _HOLE not in core:
            continue  # an abbreviation ("TP.HCM"), not a word
        begin = start + chunk.index(core)
        text = re.sub(_JUNK_GLYPH, ANY_LETTER, core.translate(_THIN_JUNK))
        merged.append(Word(begin, begin + len(core), text, "garbled"))
    if not merged:
        return words
    inside = _Spans([(w.start, w.end) for w in merged])
    kept = [w for w in words if w.start not in inside]
    return sorted(kept + merged, key=lambda w: w.start)


def _read_debris(word: Word, junk: _Spans) -> Word:
    """In a text that shows OCR debris, a longer word that is no syllable is one too
    ("thring" tháng, "trudrng" trưởng), and a number written with letters for digits
    ("2O2I", "20tl", "0l") is a number. A piece of a word that OCR junk cut up ("t.i+h") is
    not read at all: which syllable it belonged to, only the page image could tell."""
    if word.kind in ("syllable", "garbled", "frozen") and word.start in junk:
        return replace(word, kind="frozen")
    if word.kind != "frozen":
        return word
    if word.text[0].isdigit():
        return replace(word, kind="number")
    if word.text.isalpha() and 2 <= len(word.text) <= _LONG_DEBRIS and not word.text.isupper():
        return replace(word, kind="garbled")
    return word


def _capital_for_vowel(word: Word) -> Word:
    """A title-case word whose marked O such an OCR read as a capital O or G ("BO Y tế", "BG
    Xây dựng": Bộ), in a line of lower-case words: read as that word, in title case. (In a
    heading in capitals, "BO Y TE" is read in capitals: ``_heading_syllables``.)"""
    if word.kind in ("odd", "frozen") and _CAPITAL_VOWEL.match(word.text):
        return replace(word, text=word.text.title(), kind="garbled")
    return word


def _is_debris(word: Word) -> bool:
    """A digit or a capital that may stand for a marked vowel: "ph6p", "d6n", "viQc", "dQng",
    "BQ"; only so read in a text that ``_DebrisCounts.shows_debris``."""
    return word.kind == "slip" or (
        word.kind in ("odd", "frozen")
        and bool(_MID_CAPITAL.match(word.text) or _VOWEL_Q.match(word.text))
    )


def shows_debris_glyphs(lines: list[str], words: list[list[Word]]) -> bool:
    """True when enough words carry digits, stray Q's or currency signs inside ("ph6p", "viQc",
    "Quy€t"): only OCR writes those, where marks on foreign names ("wójt", "κτείς") are real.
    ``words``: each line's ``split_words``."""
    return _debris_counts(lines, words).shows_glyphs


@dataclass(frozen=True)
class _DebrisCounts:
    garbled: int  # impossible syllables, in Vietnamese lines
    syllables: int  # well-formed syllables, in Vietnamese lines
    debris: int  # chunks with debris glyphs inside a word
    words: int
    #: Distinct short words that read as a syllable through one glyph ("cia", "ndm"; not a unit
    #: after a number, "4 kg").
    slips: int = 0
    fitting: int = 0  # slips whose reading fits between their neighbours (``_fits_context``)
    holes: int = 0  # "B  O HI  M"
    runs: int = 0  # syllables run together ("chuyengiao"), each as this many slips
    marked: int = 0  # marked syllables, in any line
    shaped: int = 0  # well-formed syllables, in any line

    @property
    def partly_marked(self) -> bool:
        """A few marked syllables among many unmarked ones: neither accent-stripped text (none)
        nor text written with accents (a third or more), but OCR that lost most of them."""
        return self.shaped >= _PARTLY_MIN and 0 < self.marked <= _PARTLY_SHARE * self.shaped

    @property
    def written_with_accents(self) -> bool:
        """Long enough to tell, and marked as text written with accents is. A short line of OCR
        that wrote é for every marked e ("Vé viée ... Té quéc") looks marked too."""
        return self.shaped >= _WRITTEN_MIN and self.marked >= _ACCENTED_SHARE * self.shaped

    @property
    def shows_slips(self) -> bool:
        """Enough debris, holes, runs, slips and lost marks together: a line of such OCR may carry
        no debris glyph at all ("Can ctr Nghi dinh ... cia Chinh phi"). Slips count only in text
        not written with accents, where they are no English or French words; English carries
        such words too, so ``_shows_ocr`` asks the language detector as well."""
        other = (
            self.debris
            + self.holes
            + _RUN_WEIGHT * self.runs
            + _PARTLY_MARKED_WEIGHT * self.partly_marked
        )
        slips = 0 if self.marked >= _ACCENTED_SHARE * max(self.shaped, 1) else self.slips
        free = 0 if other or self.fitting else _FREE_SLIPS
        evidence = other + max(slips - free, 0)
        return evidence >= _DEBRIS_MIN and evidence >= _SLIP_SHARE * self.words

    @property
    def shows_glyphs(self) -> bool:
        return self.debris >= _DEBRIS_MIN and self.debris >= _DEBRIS_SHARE * self.words

    @property
    def shows_debris(self) -> bool:
        """True when the text carries third-party OCR debris: marks no Vietnamese syllable has
        ("quéc"), or digits, stray Q's and currency signs inside words ("ph6p", "viQc", "Quy€t").

        The one signal for the restorer's OCR rules (slips and capitals read as vowels, the wider
        look-alikes, case read past debris). Accent-stripped clean text never sets it: it has no
        marks at all, and its acronyms and units ("V&A", "BQP", "kWh") are no debris.
        """
        if self.shows_glyphs:
            return True
        garbled = self.garbled
        if self.debris == 0 and self.written_with_accents:
            # No debris glyph: the impossible syllables are names and loanwords ("Kraków",
            # "kilôgam") or typos, not OCR.
            return False
        return garbled >= 3 or (garbled > 0 and garbled >= 0.05 * (garbled + self.syllables))

    @property
    def share(self) -> float:
        return self.debris / max(self.words, 1)


def _shows_ocr(
    counts: _DebrisCounts, lines: list[str], split: list[list[Word]], model: SyllableModel
) -> bool:
    """Is this text someone else's OCR, to be read with the OCR rules? The costlier signals
    (the language detector, slips) are asked only where the cheap ones leave it open."""
    if counts.shows_debris:
        return True
    odd = len({w.text for words in split for w in words if w.kind == "odd"})
    at_most = replace(
        counts,
        slips=odd,
        fitting=odd,
        holes=sum(len(_HOLE_SPACE.findall(line)) for line in lines),
        runs=sum(
            1
            for words in split
            for w in words
            if w.kind == "frozen" and w.text.islower() and _RUN_TOGETHER.fullmatch(w.text)
        ),
    )
    if not at_most.shows_slips or not may_be_vietnamese("\n".join(lines)):
        return False
    return _with_slips(counts, lines, split, model).shows_slips


def _carries_debris(chunk: str) -> bool:
    """Does this chunk carry a glyph only third-party OCR writes (``_OCR_DEBRIS``, ``_JUNK_INSIDE``
    and the word shapes read with them)?"""
    if _OCR_DEBRIS.search(chunk) or _JUNK_INSIDE.search(chunk):
        return True
    ending = _DIGIT_VOWEL_END.search(chunk)
    if ending and _is_plain_syllable(ending.group().translate(_DIGIT_VOWELS)):
        return True
    for word in _LETTERS.findall(chunk):
        if _MID_CAPITAL.match(word) and any(ch in _VOWEL_CAPITALS for ch in word):
            reading = word.replace("G", "o").lower()
        elif _Q_INSIDE.fullmatch(word) or _SMALL_INSIDE.fullmatch(word):
            reading = word.replace("i", "").replace("Q", "O").lower()
        elif "j" in word[1:]:
            reading = word.lower().replace("j", "i")
        else:
            continue
        if _is_plain_syllable(reading):
            return True
    return False


def _debris_counts(lines: list[str], split: list[list[Word]]) -> _DebrisCounts:
    garbled = syllables = debris = words = marked = shaped = 0
    for line, line_words in zip(lines, split, strict=True):
        shape = line_shape(line_words)
        if shape.vietnamese:
            garbled += shape.garbled
            syllables += shape.syllables
        debris += sum(1 for chunk in _CHUNK.findall(line) if _carries_debris(chunk))
        words += shape.words
        marked += shape.marked
        shaped += shape.syllables
    return _DebrisCounts(garbled, syllables, debris, words, marked=marked, shaped=shaped)


def _with_slips(
    counts: _DebrisCounts, lines: list[str], split: list[list[Word]], model: SyllableModel
) -> _DebrisCounts:
    """The counts with slips, holes and runs added, which cost a look-alike search per word."""
    slips: set[str] = set()
    fitting: set[str] = set()
    holes = runs = 0
    for line, line_words in zip(lines, split, strict=True):
        runs += sum(1 for w in line_words if _ran_together(w))
        for k, w in enumerate(line_words):
            if _is_slip(w, model) and (k == 0 or line_words[k - 1].kind != "number"):
                slips.add(w.text)
                if _fits_context(k, line_words, model):
                    fitting.add(w.text)
        if _HOLE_SPACE.search(line):
            holes += _mark_holes(line, model).count(_HOLE) - line.count(_HOLE)
    return replace(counts, slips=len(slips), fitting=len(fitting), holes=holes, runs=runs)


def _fits_context(k: int, words: list[Word], model: SyllableModel) -> bool:
    """Does slip ``k`` read as a syllable that its neighbours expect far more than a foreign
    word ("quy dinh cia phap": của; "phong lab cap" is a loanword's place)?"""

    def likeliest(word: Word) -> int | None:
        if word.kind == "number":
            return model.index[NUMBER]
        if word.kind != "syllable":
            return None
        ids = model.candidates.get(strip_marks(word.text.lower()))
        return ids[0] if ids else None

    before = likeliest(words[k - 1]) if k > 0 else None
    after = likeliest(words[k + 1]) if k + 1 < len(words) else None
    if before is None and after is None:
        return False
    start = model.index["<s>"]

    def score(i: int) -> float:
        total = 0.0 if before is None else model.logprob(start, before, i)
        if after is not None:
            total += model.logprob(start if before is None else before, i, after)
        return total

    readings = fuzzy_candidates(words[k].text.lower(), model, True)[:_CONTEXT_READINGS]
    best = max((score(i) for i, _ in readings), default=-math.inf)
    return best - score(model.index[FOREIGN]) >= _CONTEXT_MARGIN


def _ran_together(word: Word) -> bool:
    """A lower-case word longer than any syllable that is syllables as written, run together
    ("chuyengiao", "tronglinh"): English words split so only in part ("colonial")."""
    return (
        word.kind == "frozen"
        and word.text.islower()
        and bool(_RUN_TOGETHER.fullmatch(word.text))
        and split_run_together(word.text, 1.0) is not None
    )


def _is_slip(word: Word, model: SyllableModel) -> bool:
    """A short lower-case or title-case word that is no syllable but reads as one through one
    glyph ("cia" của, "ndm" năm, "Ludt" Luật): in Vietnamese text, OCR's; in English, a word
    ("of", "has")."""
    if word.kind != "odd" or not (word.text.islower() or word.text.istitle()):
        return False
    cost = closest_cost(word.text, model)
    return cost is not None and cost <= _ONE_GLYPH


def restore(text: str) -> str:
    """Restore one text; see ``restore_many`` for a whole document."""
    return restore_many([text])[0]
