"""Count the syllable n-grams of real administrative documents for the diacritics model.

Why counts and not the text: the documents (public-domain official documents, Article 15 of
Vietnam's Law on Intellectual Property) were read from stored copies of public web pages, which
this project uses as reference and does not republish. What the model needs from them is what
``scripts/build_diacritics.py`` counts from every other source: 1- to 3-grams of syllable runs,
with sentence ends, and how often each syllable is capitalised inside a sentence. Those counts
are committed (``scripts/data/admin_documents_vi.ngrams.tsv.gz``) and the build adds them.

No document may be a copy of a page a benchmark measures the restorer on
(``bench/data/**/*.truth.txt``): one that holds ``COPY_SHARE`` of such a page's runs of
``SHARED_RUN`` words is refused, by name. Less is allowed, and is common: documents of a kind
share long formulas ("Căn cứ Luật Tổ chức chính quyền địa phương ngày ... ; Luật sửa đổi, bổ
sung một số điều của ..."), which is what the model should learn from them.

Usage: ``python scripts/count_admin_documents.py FOLDER [FOLDER ...] [--out PATH]``; each folder
holds one ``.txt`` per document, whose lines starting with "#" (its address) are not text.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.diacritics.tokens import capitalized_inside_sentences
from scripts.build_diacritics import (
    SENTENCE_ENDS,
    looks_vietnamese,
    sentence_ngrams,
    syllable_runs,
)

DEFAULT_OUT = REPO / "scripts" / "data" / "admin_documents_vi.ngrams.tsv.gz"
BENCH_TRUTHS = REPO / "bench" / "data"
ORDER = 3
SHARED_RUN = 8
COPY_SHARE = 0.5
_WORD = re.compile(r"[^\W\d_]+")


class SharesBenchmarkText(ValueError):
    """A document is a copy of a page that a benchmark measures the restorer on."""


def word_runs(text: str, size: int = SHARED_RUN) -> set[tuple[str, ...]]:
    """Every run of ``size`` consecutive words, lower-cased."""
    words = [w.casefold() for w in _WORD.findall(text)]
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def benchmark_pages(folder: Path = BENCH_TRUTHS) -> dict[str, set[tuple[str, ...]]]:
    """Each benchmark page's word runs, by file name."""
    pages = {p.name: word_runs(p.read_text("utf-8")) for p in sorted(folder.rglob("*.truth.txt"))}
    return {name: runs for name, runs in pages.items() if runs}


def copied_page(text: str, pages: dict[str, set[tuple[str, ...]]]) -> str | None:
    """The benchmark page ``text`` is a copy of, if any."""
    runs = word_runs(text)
    for name, page in pages.items():
        if len(runs & page) >= COPY_SHARE * len(page):
            return name
    return None


def document_lines(path: Path) -> list[str]:
    """The document's text: its "#" lines are the address it was read from."""
    return [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]


def count(
    documents: Iterable[Path], pages: dict[str, set[tuple[str, ...]]]
) -> tuple[collections.Counter[tuple[str, ...]], collections.Counter[str], int]:
    """N-gram and capitalisation counts of the documents' Vietnamese lines, each distinct line
    once (a site's banner repeats on every page), as the build counts its other sources."""
    ngrams: collections.Counter[tuple[str, ...]] = collections.Counter()
    capitalized: collections.Counter[str] = collections.Counter()
    seen: set[str] = set()
    documents = sorted(documents)
    for path in documents:
        lines = document_lines(path)
        copied = copied_page("\n".join(lines), pages)
        if copied:
            raise SharesBenchmarkText(f"{path}: a copy of the benchmark page {copied}")
        for line in lines:
            if line in seen or not looks_vietnamese(line):
                continue
            seen.add(line)
            capitalized.update(capitalized_inside_sentences(line))
            for run in syllable_runs(line):
                ngrams.update(sentence_ngrams(run, ORDER))
    return ngrams, capitalized, len(documents)


def write(
    ngrams: collections.Counter[tuple[str, ...]],
    capitalized: collections.Counter[str],
    documents: int,
    out: Path,
) -> None:
    """One line per n-gram ("n", the syllables, the count) and per capitalised syllable ("c"),
    sorted, gzipped without a timestamp or a name: the same documents give the same bytes. Read by
    ``scripts.build_diacritics.read_counts``."""
    text = io.StringIO()
    text.write(f"# {documents} documents; written by scripts/count_admin_documents.py\n")
    for gram, value in sorted(ngrams.items()):
        text.write(f"n\t{' '.join(gram)}\t{value}\n")
    for syllable, value in sorted(capitalized.items()):
        text.write(f"c\t{syllable}\t{value}\n")
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as packed,
    ):
        packed.write(text.getvalue().encode("utf-8"))


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(list(argv) if argv is not None else None)
    documents = [path for folder in args.folders for path in folder.glob("*.txt")]
    ngrams, capitalized, total = count(documents, benchmark_pages())
    write(ngrams, capitalized, total, args.out)
    syllables = sum(v for k, v in ngrams.items() if len(k) == 1 and k[0] not in SENTENCE_ENDS)
    print(f"{total} documents, {syllables} syllables, {len(ngrams)} n-grams -> {args.out}")


if __name__ == "__main__":
    main()
