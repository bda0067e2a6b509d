"""Benchmark folding: ``hoptac.vietnamese.fold`` and lexical ``folded_tokens`` against the
implementations they replaced, measured in the same run on the same texts.

Usage: ``python -m bench.fold [--rounds N]``

Texts: the sample corpus's chunks plus the accented and stripped XQuAD dev paragraphs (dev data,
allowed for tuning). Baselines: the unidecode fold of the whole text that ``ingest/normalize.py``
had, and the translate-table copy ``search/lexical.py`` kept because that fold was slow. Each
round folds every text cold (word caches cleared), then warm; the median round is reported, and
every output is checked equal to its baseline's.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from rich.console import Console
from rich.table import Table
from unidecode import unidecode

from hoptac.vietnamese import convert_legacy, fold, folding
from search import lexical

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
XQUAD = REPO.parent / "shared" / "eval" / "xquad-dev"
_TOKEN = re.compile(r"\w+")


def baseline_fold(text: str) -> str:
    """The fold ingest/normalize.py had: unidecode over the whole text."""
    text = convert_legacy(unicodedata.normalize("NFC", text))
    text = unidecode(text.replace("đ", "d").replace("Đ", "D"))
    return " ".join(text.lower().split())


_BASELINE_TABLE = {
    cp: baseline_fold(chr(cp))
    for block in (range(0xC0, 0x250), range(0x1E00, 0x1F00))
    for cp in block
    if chr(cp).isalpha()
}


@lru_cache(maxsize=262_144)
def _baseline_fold_word(word: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(baseline_fold(word)))


def baseline_folded_tokens(text: str) -> list[str]:
    """The translate-table copy search/lexical.py had (its word cache included)."""
    translated = unicodedata.normalize("NFC", text).translate(_BASELINE_TABLE).lower()
    out: list[str] = []
    for word in _TOKEN.findall(translated):
        if word.isascii():
            out.append(word)
        else:
            out.extend(_baseline_fold_word(word))
    return out


def texts() -> list[str]:
    from hoptac.settings import Settings
    from ingest.chunking import chunk
    from ingest.pipeline import normalized_page
    from ingest.readers import read

    found: list[str] = []
    settings = Settings()
    for path in sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.html")):
        pages = [normalized_page(p) for p in read(path, settings).pages]
        found.extend(c.text for c in chunk(pages))
    for name in sorted(XQUAD.glob("corpus_*.jsonl")) if XQUAD.is_dir() else []:
        with name.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                found.extend(str(v) for k, v in row.items() if k in ("text", "context"))
    return found


def median_ms(run: Callable[[], object], rounds: int, clear: Callable[[], None] | None) -> float:
    times = []
    for _ in range(rounds):
        if clear:
            clear()
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sample = texts()
    chars = sum(map(len, sample))
    for text in sample:
        assert fold(text) == baseline_fold(text), text[:80]
        assert lexical.folded_tokens(text) == baseline_folded_tokens(text), text[:80]

    def clear() -> None:
        folding._fold_word.cache_clear()
        folding.fold_word.cache_clear()
        _baseline_fold_word.cache_clear()

    def old_fold() -> object:
        return [baseline_fold(t) for t in sample]

    def new_fold() -> object:
        return [fold(t) for t in sample]

    def old_tokens() -> object:
        return [baseline_folded_tokens(t) for t in sample]

    def new_tokens() -> object:
        return [lexical.folded_tokens(t) for t in sample]

    # (what, run, clear the caches first, the baseline row it is compared with)
    rows = [
        ("fold, baseline (unidecode, no cache)", old_fold, None, 0),
        ("fold, cold cache", new_fold, clear, 0),
        ("fold, warm cache", new_fold, None, 0),
        ("folded_tokens, baseline (table), cold cache", old_tokens, clear, 3),
        ("folded_tokens, baseline (table), warm cache", old_tokens, None, 4),
        ("folded_tokens, cold cache", new_tokens, clear, 3),
        ("folded_tokens, warm cache", new_tokens, None, 4),
    ]
    title = f"Folding {len(sample)} texts, {chars:,} characters (median of {args.rounds} rounds)"
    table = Table(title=title)
    for column in ("what", "ms", "baseline ms / this ms"):
        table.add_column(column)
    measured = [median_ms(run, args.rounds, clear_) for _, run, clear_, _ in rows]
    for (label, _, _, base), ms in zip(rows, measured, strict=True):
        table.add_row(label, f"{ms:.1f}", f"{measured[base] / ms:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
