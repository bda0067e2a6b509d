"""Word accuracy with accents of OCR on real scanned and photographed pages: raw Tesseract beside
the accent post-correction (``ingest.diacritics.ocr_correct``), in the same run on the same OCR.

Usage: ``python -m bench.ocr_accuracy [--pages NAME ...] [--no-photos]``

The pages are real documents of ``../shared/realdocs-dev`` (the dev set) with transcriptions typed
by hand from the rendered page (``bench/data/ocr/*.truth.txt``; printed text only, stamps and
signatures left out), listed in ``bench/data/ocr/pages.json``. Each is read twice: as scanned (the
PDF page rendered at 300 dpi) and as a phone photo of it (``photograph``: tilted, unevenly lit,
blurred, noisy, JPEG-compressed, at a phone's resolution), plus the sample corpus's phone photo.

A word is a run of letters; it is right when it equals the transcription's word aligned with it
(case-insensitive, same accents, tone placement normalised). Accuracy is right words over the
transcription's words, so words OCR dropped or split count as wrong.
"""

from __future__ import annotations

import argparse
import io
import json
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from ingest.diacritics.ocr_correct import confidence_table, correct_ocr
from ingest.diacritics.syllables import normalize_syllable
from ingest.readers.ocr import OcrResult, read_image_text

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data" / "ocr"
REALDOCS = REPO.parent / "shared" / "realdocs-dev" / "files"
CORPUS_PHOTO = REPO / "corpus" / "thong-bao-kham-sang-loc-photo.jpg"
CORPUS_PHOTO_TRUTH = REPO / "tests" / "data" / "thong-bao-kham-sang-loc-photo.truth.txt"
LANGUAGES = "vie+eng"
DPI = 300


@dataclass(frozen=True)
class Sample:
    name: str
    kind: str  # "scan" or "photo"
    image: Image.Image
    truth: str


def words(text: str) -> list[str]:
    """Letter runs, compared case-insensitively with one tone placement."""
    out: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFC", text) + " ":
        if ch.isalpha():
            current.append(ch)
        elif current:
            out.append(normalize_syllable("".join(current).lower()))
            current = []
    return out


def right_words(hypothesis: list[str], reference: list[str]) -> int:
    """Reference words matched by an identical word in a least-cost alignment (Levenshtein)."""
    n, m = len(hypothesis), len(reference)
    cost = np.zeros((n + 1, m + 1), dtype=np.int32)
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        h = hypothesis[i - 1]
        for j in range(1, m + 1):
            cost[i, j] = min(
                cost[i - 1, j - 1] + (h != reference[j - 1]), cost[i - 1, j] + 1, cost[i, j - 1] + 1
            )
    i, j, right = n, m, 0
    while i > 0 and j > 0:
        same = hypothesis[i - 1] == reference[j - 1]
        if cost[i, j] == cost[i - 1, j - 1] + (not same):
            right += same
            i, j = i - 1, j - 1
        elif cost[i, j] == cost[i - 1, j] + 1:
            i -= 1
        else:
            j -= 1
    return right


def photograph(page: Image.Image, seed: int = 0) -> Image.Image:
    """The page as a phone shoots it: ~200 dpi, tilted 1.5°, light falling off to one side, a
    little out of focus, sensor noise, JPEG at quality 75. Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    gray = page.convert("L")
    scale = 200 / DPI
    gray = gray.resize(
        (round(gray.width * scale), round(gray.height * scale)), Image.Resampling.LANCZOS
    )
    gray = gray.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=235)
    pixels = np.asarray(gray, dtype=np.float64)
    height, width = pixels.shape
    light = np.linspace(1.0, 0.72, width)[None, :] * np.linspace(0.95, 1.0, height)[:, None]
    pixels = pixels * light
    pixels = np.asarray(
        Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.9)),
        dtype=np.float64,
    )
    pixels += rng.normal(0, 7, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=75)
    return Image.open(io.BytesIO(buffer.getvalue()))


def samples(names: list[str] | None = None, photos: bool = True) -> list[Sample]:
    import pypdfium2 as pdfium

    listed = json.loads((DATA / "pages.json").read_text("utf-8"))
    out: list[Sample] = []
    for entry in listed:
        if names and entry["name"] not in names:
            continue
        document = pdfium.PdfDocument(REALDOCS / entry["file"])
        page = document[entry["page"] - 1].render(scale=DPI / 72, grayscale=True).to_pil()
        document.close()
        page.info["dpi"] = (DPI, DPI)
        truth = (DATA / f"{entry['name']}.truth.txt").read_text("utf-8")
        out.append(Sample(entry["name"], "scan", page, truth))
        if photos:
            out.append(Sample(entry["name"], "photo", photograph(page, len(out)), truth))
    if photos and not names:
        out.append(
            Sample(
                "corpus-thong-bao-kham-sang-loc",
                "photo",
                Image.open(CORPUS_PHOTO),
                CORPUS_PHOTO_TRUTH.read_text("utf-8"),
            )
        )
    return out


def read(sample: Sample) -> OcrResult:
    """The OCR the image reader does: despeckled when fine enough, as ``readers.image`` decides."""
    from ingest.readers.image import is_fine_scan

    return read_image_text(
        sample.image, LANGUAGES, sample.name, despeckle=is_fine_scan(sample.image)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="OCR word accuracy with accents, raw vs corrected")
    parser.add_argument("--pages", nargs="*", help="only these pages (names in pages.json)")
    parser.add_argument("--no-photos", action="store_true", help="only the scans")
    args = parser.parse_args()
    totals: dict[str, list[int]] = {}
    rows = []
    for sample in samples(args.pages, photos=not args.no_photos):
        started = time.perf_counter()
        ocr = read(sample)
        ocr_s = time.perf_counter() - started
        started = time.perf_counter()
        corrected = correct_ocr(ocr.text, confidence_table(ocr.words))
        correct_s = time.perf_counter() - started
        reference = words(sample.truth)
        raw_right = right_words(words(ocr.text), reference)
        fixed_right = right_words(words(corrected), reference)
        for key in (sample.kind, "all"):
            total = totals.setdefault(key, [0, 0, 0])
            total[0] += len(reference)
            total[1] += raw_right
            total[2] += fixed_right
        rows.append(
            {
                "page": sample.name,
                "kind": sample.kind,
                "words": len(reference),
                "raw_tesseract": round(raw_right / len(reference), 4),
                "post_corrected": round(fixed_right / len(reference), 4),
                "ocr_s": round(ocr_s, 1),
                "correction_s": round(correct_s, 2),
            }
        )
    report = {
        "pages": rows,
        "word_accuracy_with_accents": {
            kind: {
                "words": n,
                "raw_tesseract": round(raw / n, 4),
                "post_corrected": round(fixed / n, 4),
            }
            for kind, (n, raw, fixed) in totals.items()
        },
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
