"""Count how an OCR engine set up for English writes Vietnamese letters: evidence for the restorer's
table of look-alikes (``ingest/diacritics/garble.py``).

Pages of the Bộ Y tế decision in realdocs-dev (pages 2 on, not the page ``bench.garble_tesseract``
scores) are rendered at that set's resolution, read by Tesseract's English model, and aligned with
the PDF's own text layer, word by word and then letter by letter. Printed: for each confusion seen
at least five times, its share of the printed letter's readings, and whether the restorer's table
already has it; then glyph pairs read for one letter, glyphs read for none, and letters lost.

Usage: ``python -m bench.ocr_channel [--pages 60]`` (needs Tesseract; about two minutes).
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import tempfile
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.garble_tesseract import DPI, REALDOCS
from hoptac.vietnamese import strip_marks
from ingest.diacritics.garble import read_capitals

SOURCE = "vi_BYT_QD-2093_TTHC-phong-benh_2025.pdf"
_TOKEN = re.compile(r"\S+")
_EDGE = ".,;:!?\"'“”‘’()[]…*-–"
_MIN_COUNT = 5


@dataclass
class Channel:
    """Counts of (written, printed) readings, over folded letters."""

    single: Counter[tuple[str, str]] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    extra: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    printed: Counter[str] = field(default_factory=Counter)
    words: int = 0

    def add(self, written: str, printed: str) -> None:
        """Align one misread word with the printed one (edit distance, with two glyphs for one
        letter allowed) and count each step."""
        n, m = len(written), len(printed)
        cost = [[0.0] * (m + 1) for _ in range(n + 1)]
        step = [[""] * (m + 1) for _ in range(n + 1)]
        for i in range(1, n + 1):
            cost[i][0], step[i][0] = i, "extra"
        for j in range(1, m + 1):
            cost[0][j], step[0][j] = j, "lost"
        for i in range(1, n + 1):
            for j in range(1, m + 1):
                options = [
                    (cost[i - 1][j - 1] + (written[i - 1] != printed[j - 1]), "single"),
                    (cost[i - 1][j] + 1, "extra"),
                    (cost[i][j - 1] + 1, "lost"),
                ]
                if i >= 2:
                    options.append((cost[i - 2][j - 1] + 1.2, "pair"))
                cost[i][j], step[i][j] = min(options)
        i, j = n, m
        while i > 0 or j > 0:
            kind = step[i][j]
            if kind == "single":
                self.single[(written[i - 1], printed[j - 1])] += 1
                self.printed[printed[j - 1]] += 1
                i, j = i - 1, j - 1
            elif kind == "pair":
                self.pairs[(written[i - 2 : i], printed[j - 1])] += 1
                self.printed[printed[j - 1]] += 1
                i, j = i - 2, j - 1
            elif kind == "extra":
                self.extra[written[i - 1]] += 1
                i -= 1
            else:
                self.lost[printed[j - 1]] += 1
                self.printed[printed[j - 1]] += 1
                j -= 1


def _words(text: str, written: bool) -> list[str]:
    out = []
    for token in _TOKEN.findall(text):
        token = token.strip(_EDGE)
        if written:
            token = read_capitals(token)  # as the restorer reads a capital inside a word
        if token:
            out.append(strip_marks(token).lower())
    return out


def read_pages(count: int) -> list[tuple[str, str]]:
    """(Tesseract's English reading, the text layer) for ``count`` pages from the second."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(REALDOCS / SOURCE))
    pages = range(1, min(count + 1, len(document)))
    with tempfile.TemporaryDirectory() as work:
        images, truths = [], []
        for index in pages:
            page = document[index]
            truths.append(unicodedata.normalize("NFC", page.get_textpage().get_text_range()))
            image = Path(work) / f"p{index}.png"
            page.render(scale=DPI / 72).to_pil().convert("L").save(image)
            images.append(image)

        def ocr(image: Path) -> str:
            command = ["tesseract", str(image), "-", "-l", "eng"]
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout

        with ThreadPoolExecutor(2) as pool:
            readings = list(pool.map(ocr, images))
    return list(zip(readings, truths))


def count(pages: list[tuple[str, str]]) -> Channel:
    channel = Channel()
    for reading, truth in pages:
        written, printed = _words(reading, True), _words(truth, False)
        matcher = difflib.SequenceMatcher(a=written, b=printed, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                for word in printed[b1:b2]:
                    for letter in word:
                        channel.single[(letter, letter)] += 1
                        channel.printed[letter] += 1
            elif op == "replace" and a2 - a1 == b2 - b1:
                for w, p in zip(written[a1:a2], printed[b1:b2]):
                    if p.isalpha() and len(w) <= 9 and len(p) <= 7:
                        channel.words += 1
                        channel.add(w, p)
    return channel


def main() -> None:
    from ingest.diacritics.garble import _DEBRIS_LOOKALIKE, _TWO_GLYPHS

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=60)
    channel = count(read_pages(parser.parse_args().pages))
    print(f"{channel.words} misread words aligned")
    print("written -> printed   share of the printed letter's readings   count   in the table")
    rows = [
        (n / channel.printed[p], n, w, p)
        for (w, p), n in channel.single.items()
        if w != p and n >= _MIN_COUNT
    ]
    for share, n, w, p in sorted(rows, reverse=True):
        print(f"  {w!r} -> {p!r}   {share:.3f}   {n}   {(w, p) in _DEBRIS_LOOKALIKE}")
    print("two glyphs for one letter:")
    for (w, p), n in channel.pairs.most_common():
        if n >= _MIN_COUNT:
            print(f"  {w!r} -> {p!r}   {n}   {_TWO_GLYPHS.get((w[0], w[1])) == p}")
    print("glyphs read for no letter:", channel.extra.most_common(10))
    print("letters lost:", channel.lost.most_common(10))


if __name__ == "__main__":
    main()
