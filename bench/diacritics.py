"""Benchmark the diacritic restorer: syllable accuracy, throughput, and a baseline in the same run.

Usage: ``python -m bench.diacritics [--limit N] [--retrieval]``

Accuracy compares, word by word, the restored XQuAD dev paragraphs (accent-stripped) with the
originals: case-insensitive, NFC, tone placement normalised to one convention. The restorer never
trained on these files (see scripts/build_diacritics.py). ``--retrieval`` also measures the effect
on dense search with the product's embedder (models/embedder.py; slow: a few minutes on 2 cores).

Two kinds of OCR text that arrives without an image are measured too, beside the text as it came
(``identity``): ``seed_like``, the lines of the seed plan's OCR (``corpus/kh-137-ubnd-2025-ocr.txt``)
that the news article quotes, against the article's words; and ``heavy_garbling``, pages of
someone else's OCR embedded as the text layer of a real scan in the dev set (digits and capitals
for marked vowels: "Sd Tu ph6p nhan dugc Phi6u chuy6n"; page 2 also interleaves its two columns),
against transcriptions typed from the page images in reading order (``bench/data/garbled/``). Words are aligned (``bench.ocr_accuracy.right_words``), so
words OCR merged or split count as wrong. ``lost_spaces`` is the seed-like lines again with some
spaces dropped (every third between two words, where the words then run longer than any
syllable), as some OCR loses them ("chitiStdichvuky"). ``synthetic_garbling`` is other real
text (the corpus news article, two realdocs-dev text layers) garbled the way those pages are
(``bench.garble_synth``, seeded): the check that gains on the two pages carry over to other words.
``missing_glyphs`` is clean accented text as a text layer drawn with a font that lacks the
letters of Unicode's Latin Extended Additional block reads: two spaces for each such letter ("B  O
HI  M XÃ H  I VI  T NAM", the issue's example), the engine set's truths and the news article.
``accented_lost_spaces`` is the engine set's clean text layers with spaces lost the same way.
``numbers`` (under ``heavy_garbling`` and ``engine_garbling``) is the share of the
truth's tokens that hold a digit (dates, document numbers: "2021", "81/QĐ-TTg") found as written,
which the letter words leave out. ``one_line_at_a_time`` restores the heavy and engine garbling and the seed lines one line at a time, as lines pasted
alone into ``hoptac restore-diacritics``: a line carries far less evidence that it is OCR than its
page. ``engine_garbling`` is heavy garbling made by a real OCR engine on other documents
(``bench.garble_tesseract``): pages rendered at an old scan's resolution and read by Tesseract's
English model, eight from five realdocs-dev text PDFs (against their own text layers) and four
real scans (against transcriptions typed from their images).
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval" / "xquad-dev"
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Accuracy:
    words: int
    correct: int
    vietnamese: int
    vietnamese_correct: int

    @property
    def rate(self) -> float:
        return self.correct / max(self.words, 1)

    @property
    def vietnamese_rate(self) -> float:
        return self.vietnamese_correct / max(self.vietnamese, 1)


def load(name: str) -> dict[str, str]:
    rows = (json.loads(line) for line in (EVAL / name).read_text("utf-8").splitlines())
    return {row["id"]: row["text"] for row in rows}


def syllable_accuracy(restored: list[str], gold: list[str]) -> Accuracy:
    """Word-by-word agreement; words are aligned because the restorer keeps every token in place."""
    from hoptac.vietnamese import is_vietnamese_syllable
    from ingest.diacritics.syllables import normalize_syllable

    words = correct = viet = viet_correct = 0
    for out, ref in zip(restored, gold):
        out_words, ref_words = _WORD.findall(out), _WORD.findall(ref)
        if len(out_words) != len(ref_words):
            raise AssertionError(f"token misalignment: {out[:80]!r}")
        for a, b in zip(out_words, ref_words):
            same = normalize_syllable(a.lower()) == normalize_syllable(b.lower())
            words += 1
            correct += same
            if is_vietnamese_syllable(b.lower()):
                viet += 1
                viet_correct += same
    return Accuracy(words, correct, viet, viet_correct)


def unigram_baseline(texts: list[str]) -> list[str]:
    """Each syllable gets its most frequent accented form, no context: the floor to beat."""
    from hoptac.vietnamese import strip_marks
    from ingest.diacritics.model import get_model
    from ingest.diacritics.syllables import match_case

    model = get_model()

    def one(match: re.Match) -> str:
        word = match.group()
        ids = model.candidates.get(strip_marks(word.lower()))
        return match_case(word, model.vocab[ids[0]]) if ids else word

    return [_WORD.sub(one, text) for text in texts]


def pyvi_baseline() -> Callable[[list[str]], list[str]] | None:
    try:
        from pyvi import ViUtils  # type: ignore[import-not-found]
    except ImportError:
        return None
    return lambda texts: [ViUtils.add_accents(text) for text in texts]


def timed(fn: Callable[[list[str]], list[str]], texts: list[str]) -> tuple[list[str], float]:
    started = time.perf_counter()
    out = fn(texts)
    return out, time.perf_counter() - started


def retrieval_effect(
    stripped: dict[str, str], restored: dict[str, str], clean: dict[str, str]
) -> dict[str, float]:
    """Dense MRR@10 of English and Vietnamese queries against the stripped corpus, the restored
    corpus, and the original accented corpus (the ceiling), with the product's embedder."""
    import numpy as np

    from hoptac.settings import Settings
    from models.embedder import load_embedder

    embedder = load_embedder(Settings())
    ids = list(stripped)
    wanted = set(ids)
    passages = {
        label: embedder.embed_passages([corpus[i] for i in ids])
        for label, corpus in (("stripped", stripped), ("restored", restored), ("accented", clean))
    }
    results: dict[str, float] = {}
    for lang in ("en", "vi"):
        rows = [json.loads(x) for x in (EVAL / f"queries_{lang}.jsonl").read_text().splitlines()]
        rows = [row for row in rows if row["gold"] in wanted]
        queries = embedder.embed_queries([row["text"] for row in rows])
        for label, vectors in passages.items():
            top = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
            reciprocal = [
                next((1 / (k + 1) for k, j in enumerate(ranked) if ids[j] == row["gold"]), 0.0)
                for row, ranked in zip(rows, top)
            ]
            results[f"{lang}->vi_{label}"] = round(float(np.mean(reciprocal)), 3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the Vietnamese diacritic restorer")
    parser.add_argument("--limit", type=int, default=0, help="only the first N paragraphs")
    parser.add_argument("--retrieval", action="store_true", help="also measure search (slow)")
    args = parser.parse_args()
    from ingest.diacritics import restore_many
    from ingest.diacritics.model import get_model

    gold = load("corpus_vi.jsonl")
    stripped = load("corpus_vi_stripped.jsonl")
    ids = list(gold)[: args.limit or None]
    texts = [stripped[i] for i in ids]
    references = [gold[i] for i in ids]

    started = time.perf_counter()
    get_model()
    load_s = time.perf_counter() - started
    restored, seconds = timed(lambda ts: [restore_many([t])[0] for t in ts], texts)
    syllables = sum(len(_WORD.findall(t)) for t in texts)
    report = {
        "paragraphs": len(ids),
        "words": syllables,
        "model_load_s": round(load_s, 2),
        "restorer": _summary(syllable_accuracy(restored, references), syllables, seconds),
        "identity": _summary(syllable_accuracy(texts, references), syllables, 0.0),
    }
    # Held-out text of another kind: ALQAC legal questions (the build reads ALQAC's articles,
    # never its questions), stripped the same way as the benchmark.
    from hoptac.vietnamese import strip_marks

    questions = [
        json.loads(line)["text"]
        for line in (EVAL.parent / "alqac22" / "queries_vi.jsonl").read_text("utf-8").splitlines()
    ][: args.limit or None]
    held_out, held_s = timed(
        lambda ts: [restore_many([t])[0] for t in ts], [strip_marks(q) for q in questions]
    )
    held_words = sum(len(_WORD.findall(q)) for q in questions)
    report["held_out_alqac_questions"] = _summary(
        syllable_accuracy(held_out, questions), held_words, held_s
    )
    baseline, base_s = timed(unigram_baseline, texts)
    report["unigram"] = _summary(syllable_accuracy(baseline, references), syllables, base_s)
    pyvi = pyvi_baseline()
    if pyvi is not None:
        out, pyvi_s = timed(pyvi, texts)
        report["pyvi"] = _summary(syllable_accuracy(out, references), syllables, pyvi_s)
    report["ocr_text_without_image"] = ocr_text_accuracy()
    if args.retrieval:
        report["retrieval_mrr@10"] = retrieval_effect(
            {i: stripped[i] for i in ids}, dict(zip(ids, restored)), {i: gold[i] for i in ids}
        )
    print(json.dumps(report, indent=2))


def seed_like_lines() -> tuple[list[str], list[list[str]]]:
    """Seed OCR lines (6+ words) the news article quotes, and the article's words for each: the
    window of the article whose words fold equal to at least 70% of the line's."""
    from bench.ocr_accuracy import words
    from hoptac.vietnamese import strip_marks as fold

    news = words((REPO / "corpus" / "news-hanoi-kh137-2025-05-17.txt").read_text("utf-8"))
    folded_news = [fold(w) for w in news]
    lines, gold = [], []
    for line in (REPO / "corpus" / "kh-137-ubnd-2025-ocr.txt").read_text("utf-8").split("\n"):
        folded = [fold(w) for w in words(line)]
        if len(folded) < 6:
            continue
        same, start = max(
            (sum(a == b for a, b in zip(folded, folded_news[s : s + len(folded)])), s)
            for s in range(len(folded_news) - len(folded) + 1)
        )
        if same >= 0.7 * len(folded):
            lines.append(line)
            gold.append(news[start : start + len(folded)])
    return lines, gold


def ocr_text_accuracy() -> dict:
    """Restoration of OCR text without an image: seed-like lines and a heavily garbled page."""
    from bench.garble_synth import synthetic_pages
    from bench.ocr_accuracy import right_words, words
    from ingest.diacritics import restore_many

    def rate(texts: list[str], gold: list[list[str]]) -> float:
        total = sum(len(g) for g in gold)
        return round(sum(right_words(words(t), g) for t, g in zip(texts, gold)) / total, 4)

    lines, gold = seed_like_lines()
    garbled = REPO / "bench" / "data" / "garbled"
    pages = sorted(garbled.glob("*.layer.txt"))
    layers = [p.read_text("utf-8") for p in pages]
    raw_truths = [
        (garbled / p.name.replace(".layer.", ".truth.")).read_text("utf-8") for p in pages
    ]
    truths = [words(truth) for truth in raw_truths]
    restored = [restore_many([layer])[0] for layer in layers]
    run_together = [drop_spaces(line) for line in lines]
    from bench.garble_tesseract import pairs

    engine = pairs()
    engine_truths = [words(truth) for _, _, truth in engine]
    engine_restored = [restore_many([layer])[0] for _, layer, _ in engine]
    synthetic = synthetic_pages()
    synthetic_truths = [words(clean) for _, clean in synthetic]
    synthetic_layers = [garbled for garbled, _ in synthetic]
    return {
        "seed_like": {
            "lines": len(lines),
            "words": sum(len(g) for g in gold),
            "identity": rate(lines, gold),
            "restorer": rate(restore_many(lines), gold),
        },
        "lost_spaces": {
            "lines": len(lines),
            "runs": sum(len(_LONG_RUN.findall(line)) for line in run_together),
            "identity": rate(run_together, gold),
            "restorer": rate(restore_many(run_together), gold),
        },
        "heavy_garbling": {
            "pages": len(pages),
            "words": sum(len(t) for t in truths),
            "identity": rate(layers, truths),
            "restorer": rate(restored, truths),
            "numbers": number_figures(layers, restored, raw_truths),
            "per_page": {
                page.name.removesuffix(".layer.txt"): {
                    "words": len(truth),
                    "identity": rate([layer], [truth]),
                    "restorer": rate([out], [truth]),
                }
                for page, layer, out, truth in zip(pages, layers, restored, truths)
            },
        },
        "one_line_at_a_time": {
            "heavy_garbling": rate([_line_by_line(layer) for layer in layers], truths),
            "engine_garbling": rate(
                [_line_by_line(layer) for _, layer, _ in engine], engine_truths
            ),
            "seed_like": rate([_line_by_line(line) for line in lines], gold),
            "lost_spaces": rate([_line_by_line(line) for line in run_together], gold),
        },
        "accented_lost_spaces": _accented_lost_spaces(rate, engine),
        "missing_glyphs": _missing_glyphs(rate, engine),
        "synthetic_garbling": {
            "pages": len(synthetic),
            "words": sum(len(t) for t in synthetic_truths),
            "identity": rate(synthetic_layers, synthetic_truths),
            "restorer": rate([restore_many([p])[0] for p in synthetic_layers], synthetic_truths),
        },
        "engine_garbling": {
            "pages": len(engine),
            "words": sum(len(t) for t in engine_truths),
            "identity": rate([layer for _, layer, _ in engine], engine_truths),
            "restorer": rate(engine_restored, engine_truths),
            "numbers": number_figures(
                [layer for _, layer, _ in engine], engine_restored, [t for _, _, t in engine]
            ),
            "per_kind": {
                kind: {
                    "pages": len(chosen),
                    "words": sum(len(engine_truths[k]) for k in chosen),
                    "identity": rate(
                        [engine[k][1] for k in chosen], [engine_truths[k] for k in chosen]
                    ),
                    "restorer": rate(
                        [engine_restored[k] for k in chosen], [engine_truths[k] for k in chosen]
                    ),
                }
                for kind, chosen in (
                    (
                        "text_pdf_renders",
                        [k for k, e in enumerate(engine) if not e[0].startswith("scan-")],
                    ),
                    ("scans", [k for k, e in enumerate(engine) if e[0].startswith("scan-")]),
                )
            },
        },
    }


def numbers(text: str) -> list[str]:
    """The text's whitespace-separated tokens that hold a digit ("2021", "81/QĐ-TTg"), without the
    punctuation around them: dates and document numbers, which ``words`` (letters only) skips."""
    tokens = (token.strip(".,;:!?()\"'“”") for token in unicodedata.normalize("NFC", text).split())
    return [token for token in tokens if any(ch.isdigit() for ch in token)]


def number_figures(layers: list[str], restored: list[str], truths: list[str]) -> dict:
    """How many ``numbers`` the truths hold, and the share of them matched token for token in an
    alignment (as ``rate``), in the text as it came and as restored."""
    from bench.ocr_accuracy import right_words

    wanted = [numbers(t) for t in truths]
    total = max(sum(map(len, wanted)), 1)

    def share(texts: list[str]) -> float:
        right = sum(right_words(numbers(x), t) for x, t in zip(texts, wanted, strict=True))
        return round(right / total, 4)

    return {"tokens": sum(map(len, wanted)), "identity": share(layers), "restorer": share(restored)}


def without_glyphs(text: str) -> str:
    """The text as a font without the Latin Extended Additional letters (U+1EA0-U+1EF9: "ả",
    "ộ", "ệ"...) draws it: two spaces for each, as in "B  O HI  M XÃ H  I VI  T NAM", where
    "Ã", "Ư", "Ơ", "Đ" and the Latin-1 letters were drawn."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    return "".join("  " if 0x1EA0 <= ord(ch) <= 0x1EF9 else ch for ch in text)


def _missing_glyphs(rate: Callable[[list[str], list[list[str]]], float], engine: list) -> dict:
    """Clean accented text drawn by such a font: the engine set's truths (eight text layers and
    four hand transcriptions) and the corpus news article, restored page by page and line by line."""
    from bench.ocr_accuracy import words
    from ingest.diacritics import restore_many

    clean = [truth for _, _, truth in engine]
    clean.append((REPO / "corpus" / "news-hanoi-kh137-2025-05-17.txt").read_text("utf-8"))
    holed = [without_glyphs(text) for text in clean]
    truths = [words(text) for text in clean]
    return {
        "pages": len(clean),
        "words": sum(len(t) for t in truths),
        "identity": rate(holed, truths),
        "restorer": rate([restore_many([text])[0] for text in holed], truths),
        "one_line_at_a_time": rate([_line_by_line(text) for text in holed], truths),
    }


def _accented_lost_spaces(
    rate: Callable[[list[str], list[list[str]]], float], engine: list
) -> dict:
    """Clean accented text layers (the engine set's truths) with some spaces lost, as
    ``lost_spaces`` drops them, restored page by page and line by line."""
    from bench.ocr_accuracy import words
    from ingest.diacritics import restore_many

    clean = [truth for _, _, truth in engine]
    lost = ["\n".join(drop_spaces(line) for line in text.split("\n")) for text in clean]
    truths = [words(text) for text in clean]
    return {
        "words": sum(len(t) for t in truths),
        "identity": rate(lost, truths),
        "restorer": rate([restore_many([text])[0] for text in lost], truths),
        "one_line_at_a_time": rate([_line_by_line(text) for text in lost], truths),
    }


def _line_by_line(text: str) -> str:
    """The text restored one line at a time, as lines pasted one by one into ``hoptac
    restore-diacritics`` are: each line is all the evidence there is that it is OCR."""
    from ingest.diacritics import restore

    return "\n".join(restore(line) for line in text.split("\n"))


#: A run of letters longer than any syllable.
_LONG_RUN = re.compile(r"[^\W\d_]{8,}")


def drop_spaces(line: str, every: int = 3) -> str:
    """The line with every ``every``-th space between two words dropped where the words run
    together then are longer than any syllable, as OCR loses spaces ("dịchvụkỹ")."""
    pieces = line.split(" ")
    out = [pieces[0]]
    gaps = 0
    for piece in pieces[1:]:
        joined = out[-1] + piece
        if _WORD.fullmatch(out[-1][-8:]) and piece[:1].isalpha():
            gaps += 1
            if gaps % every == 0 and _LONG_RUN.search(joined):
                out[-1] = joined
                continue
        out.append(piece)
    return " ".join(out)


def _summary(acc: Accuracy, syllables: int, seconds: float) -> dict:
    return {
        "accuracy": round(acc.rate, 4),
        "vietnamese_syllable_accuracy": round(acc.vietnamese_rate, 4),
        "syllables_per_s": round(syllables / seconds) if seconds else None,
    }


if __name__ == "__main__":
    main()
