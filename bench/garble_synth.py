"""Heavily garbled OCR text layers made from clean Vietnamese text: a second dev set for the restorer.

The two real garbled pages (``bench/data/garbled/``) come from one letter; tuning on them alone
would fit that letter's words. This set garbles other real text the way that OCR layer does, so
the restorer's gains can be checked on words it was not tuned on. The channel is modelled on the
kinds of confusion seen there, not on its words: every mark is lost, and a marked vowel is often
written as a digit, a capital, a round letter or a thin letter or two ("ph6p", "viQc", "ndm",
"cria"), "đ" as "d" (sometimes "tl", "ct"), "ng" sometimes as "ne"/"ns", some spaces are lost,
and a few words are cut by a stray full stop or space ("duo. c") or carry a junk symbol.

Usage: ``python -m bench.garble_synth [--seed N]`` prints the garbled text; ``synthetic_pages``
gives (garbled, clean) pairs to the diacritics benchmark. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from pathlib import Path

from hoptac.vietnamese import strip_marks

REPO = Path(__file__).resolve().parents[1]
REALDOCS = REPO.parent / "shared" / "realdocs-dev" / "files"
#: Clean sources (none of them an evaluation set): the corpus news article and the prose of two
#: realdocs-dev text layers.
NEWS = REPO / "corpus" / "news-hanoi-kh137-2025-05-17.txt"
REALDOC_SOURCES = (
    "vi_UBND-NgaiGiao_QD-phan-cong-cong-chuc-VP-TK.pdf",
    "vi_UBND-BimSon_KH-khac-phuc-bao-ve-bi-mat-nha-nuoc_2024.pdf",
)
#: Lines shorter than this (headings, bylines, captions) are left out.
_MIN_LINE_WORDS = 8
#: Page width in characters: the clean prose is wrapped like a page's text layer.
_PAGE_WIDTH = 90
#: Lines per synthetic page.
_PAGE_LINES = 16
_PAGES = 8

#: Chance that a marked vowel is written as a stand-in glyph, not as its bare letter.
_P_GLYPH = 0.45
#: Stand-ins for a marked vowel, by its bare letter, each with a weight.
_STANDINS: dict[str, tuple[tuple[str, int], ...]] = {
    "a": (("6", 4), ("d", 3), ("e", 3), ("i", 2), ("4", 1), ("E", 1), ("it", 1), ("ri", 1)),
    "e": (("6", 4), ("€", 2), ("C", 2), ("Q", 2), ("S", 1), ("ti", 1), ("i", 1), ("E", 1)),
    "o": (("6", 3), ("9", 2), ("Q", 3), ("g", 2), ("d", 2), ("O", 1), ("5", 1), ("q", 1)),
    "u": (("r", 3), ("t", 2), ("f", 2), ("ri", 2), ("fr", 1), ("ti", 1), ("g", 1), ("i", 1)),
    "i": (("l", 2), ("!", 1), ("t", 1), ("1", 1)),
    "y": (("f", 1), ("y", 3)),
}
#: "đ" is read as a plain d, or as the two strokes it is drawn with.
_D_STROKE = (("d", 8), ("tl", 1), ("ct", 1))
_P_NG = 0.08
_NG = (("ne", 1), ("ns", 1), ("np", 1))
_P_LOST_SPACE = 0.04
_P_CUT = 0.015
_P_JUNK = 0.01
_JUNK = "+,$!<"
_WORD = re.compile(r"[^\W\d_]+")


def clean_lines() -> list[str]:
    """The clean source prose, one wrapped page line per item."""
    paragraphs = [line for line in NEWS.read_text("utf-8").split("\n")]
    for name in REALDOC_SOURCES:
        path = REALDOCS / name
        if path.exists():
            paragraphs += _pdf_text(path).split("\n")
    prose = [" ".join(p.split()) for p in paragraphs]
    prose = [p for p in prose if len(_WORD.findall(p)) >= _MIN_LINE_WORDS and "/" not in p[:3]]
    return [line for p in prose for line in _wrap(p)]


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return unicodedata.normalize("NFC", text.replace("\r", ""))


def _wrap(paragraph: str) -> list[str]:
    lines, current = [], ""
    for word in paragraph.split(" "):
        if current and len(current) + 1 + len(word) > _PAGE_WIDTH:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + [current] if current else lines


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([g for g, _ in weighted], [w for _, w in weighted])[0]


def garble_word(word: str, rng: random.Random) -> str:
    """One word as that OCR writes it: marks lost, marked vowels often written as other glyphs."""
    out = []
    lower = word.lower()
    if lower.startswith("ng") and len(lower) > 2 and rng.random() < _P_NG:
        out.append(_pick(rng, _NG))
        word = word[2:]
    for ch in word:
        bare = strip_marks(ch)
        if bare.lower() == "d" and ch.lower() == "đ":
            glyph = _pick(rng, _D_STROKE)
            out.append(glyph.upper() if ch.isupper() and glyph == "d" else glyph)
        elif bare != ch and bare.lower() in _STANDINS and rng.random() < _P_GLYPH:
            out.append(_pick(rng, _STANDINS[bare.lower()]))
        else:
            out.append(bare)
    return "".join(out)


def garble_line(line: str, rng: random.Random) -> str:
    """A line as that OCR writes it: words garbled, a few spaces lost, a few words cut or soiled."""

    def word(match: re.Match[str]) -> str:
        text = garble_word(match.group(), rng)
        roll = rng.random()
        if roll < _P_CUT and len(text) >= 3:
            cut = rng.randrange(1, len(text))
            return text[:cut] + rng.choice((". ", " ")) + text[cut:]
        if roll < _P_CUT + _P_JUNK and len(text) >= 3:
            at = rng.randrange(1, len(text))
            return text[:at] + rng.choice(_JUNK) + text[at:]
        return text

    garbled = _WORD.sub(word, line)
    return re.sub(
        r"(?<=[^\W\d_]) (?=[^\W\d_])",
        lambda _: "" if rng.random() < _P_LOST_SPACE else " ",
        garbled,
    )


def synthetic_pages(seed: int = 0) -> list[tuple[str, str]]:
    """(garbled page, clean page) pairs, the same for the same seed."""
    rng = random.Random(seed)
    lines = clean_lines()
    pages = []
    for k in range(_PAGES):
        clean = lines[k * _PAGE_LINES : (k + 1) * _PAGE_LINES]
        if not clean:
            break
        pages.append(("\n".join(garble_line(line, rng) for line in clean), "\n".join(clean)))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description="Print a synthetic heavily garbled text layer")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for garbled, _ in synthetic_pages(args.seed):
        print(garbled, end="\n\n")


if __name__ == "__main__":
    main()
