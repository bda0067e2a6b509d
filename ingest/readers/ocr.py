"""Tesseract OCR shared by the PDF and image readers: orientation, deskew, text with confidence.

Scans and phone photos arrive upside down, sideways or a degree or two askew; Tesseract reads
much worse then, so we turn the page upright (OSD) and straighten small skews before reading.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytesseract
from PIL import Image, ImageFilter, ImageOps

from hoptac.errors import IngestError
from ingest.readers.number_line import reread_number

#: OSD orientation confidence above which we trust its rotation (Tesseract's own scale).
OSD_MIN_CONFIDENCE = 2.0
#: Largest skew (degrees) we look for; larger angles are OSD's job or a badly shot photo.
MAX_SKEW_DEGREES = 5.0
#: A page with a smaller share of dark pixels is blank for OCR's purposes: at 300 dpi this is less
#: ink than a short heading, more than a clean blank page or a few specks of dust.
BLANK_MAX_INK = 0.0002
#: How far (in 8-bit gray levels) from the page's background a pixel must be to count as ink.
INK_CONTRAST = 60
#: Pages OCR'd at once (``pdf._ocr_pages``): one Tesseract process per core, each on one thread,
#: where Tesseract's own OpenMP threads gain little and fight each other when processes run side by
#: side. Capped so a big server does not start dozens of processes for one file.
OCR_WORKERS = max(1, min(os.cpu_count() or 1, 4))


class _OneThreadEnvironment(Mapping[str, str]):
    """The process environment as Tesseract sees it: ``OMP_THREAD_LIMIT=1`` unless set.

    Given to pytesseract instead of ``os.environ`` so that only Tesseract's processes get the
    limit; setting it in ``os.environ`` would also cap PyTorch's OpenMP threads in this process.
    """

    def _merged(self) -> dict[str, str]:
        return {"OMP_THREAD_LIMIT": "1", **os.environ}

    def __getitem__(self, key: str) -> str:
        return self._merged()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._merged())

    def __len__(self) -> int:
        return len(self._merged())


pytesseract.pytesseract.environ = _OneThreadEnvironment()


@dataclass(frozen=True)
class OcrResult:
    """Text read from one image, with Tesseract's mean word confidence (0..1, None if no words)
    and each word's own, which the accent corrector weighs (``ingest.diacritics.ocr_correct``)."""

    text: str
    confidence: float | None
    rotated_degrees: int = 0
    deskewed_degrees: float = 0.0
    words: tuple[tuple[str, float], ...] = ()
    #: What reading the header's "Số:" line again decided (``number_line``); None if not done.
    number_note: str | None = None


def to_grayscale(image: Image.Image) -> Image.Image:
    """Flatten any mode (palette, alpha, CMYK, 16-bit) to 8-bit gray on white, which Tesseract reads best."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        span = float(array.max() - array.min()) or 1.0
        image = Image.fromarray(((array - array.min()) * 255.0 / span).astype(np.uint8))
    return image.convert("L")


def is_blank(image: Image.Image) -> bool:
    """True when a page has (almost) no ink, so Tesseract would spend seconds to find nothing.

    One pass over the pixels, far cheaper than orientation detection, deskew and OCR of the page.
    """
    return ink_share(image) <= BLANK_MAX_INK


def ink_share(image: Image.Image) -> float:
    """Share (0..1) of a page's pixels that are ink; 0 for an empty image."""
    pixels = np.asarray(to_grayscale(image)).ravel()
    if pixels.size == 0:
        return 0.0
    histogram = np.bincount(pixels, minlength=256)
    background = int(np.searchsorted(np.cumsum(histogram), pixels.size / 2))  # the median
    # Ink is what stands out from the background either way: faint pencil on white paper, or
    # white letters on a dark slide, count as much as black print.
    low, high = max(background - INK_CONTRAST, 0), min(background + INK_CONTRAST, 255)
    ink = int(histogram[:low].sum() + histogram[high + 1 :].sum())
    return ink / pixels.size


def detect_rotation(image: Image.Image) -> int:
    """Degrees (0, 90, 180, 270) to rotate clockwise to make the page upright; 0 when OSD is unsure."""
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10")
    except pytesseract.TesseractError:
        return 0  # too little text to decide: leave the page as it is
    rotate = re.search(r"Rotate:\s*(\d+)", osd)
    confidence = re.search(r"Orientation confidence:\s*([\d.]+)", osd)
    if not rotate or not confidence or float(confidence.group(1)) < OSD_MIN_CONFIDENCE:
        return 0
    return int(rotate.group(1)) % 360


def estimate_skew(image: Image.Image, max_degrees: float = MAX_SKEW_DEGREES) -> float:
    """Small skew angle (degrees, counter-clockwise positive as in ``Image.rotate``) that
    straightens text lines, by maximising the sharpness of the horizontal projection profile."""
    small = image.copy()
    small.thumbnail((1000, 1000))
    ink = Image.eval(small, lambda value: 255 if value < 128 else 0)

    def sharpness(angle: float) -> float:
        rows = np.asarray(
            ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float64
        ).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = np.arange(-max_degrees, max_degrees + 0.01, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    best = max(fine, key=sharpness)
    return round(float(best), 1) if sharpness(best) > sharpness(0.0) * 1.05 else 0.0


def prepare(
    image: Image.Image, detect_orientation: bool = True, despeckle: bool = False
) -> tuple[Image.Image, int, float]:
    """Return the page upright and straightened, with the rotation and skew that were applied.

    ``despeckle`` runs a 3x3 median filter, which removes scanner dust that Tesseract otherwise
    reads as stray marks (it lowers the sample scan's character error rate a lot). Only for renders of
    200 dpi or more, where Vietnamese tone dots are several pixels wide and survive it.
    """
    image = to_grayscale(image)
    if despeckle:
        image = image.filter(ImageFilter.MedianFilter(3))
    rotation = detect_rotation(image) if detect_orientation else 0
    if rotation:
        image = image.rotate(-rotation, expand=True, fillcolor=255)
    skew = estimate_skew(image)
    if abs(skew) >= 0.2:
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return image, rotation, skew


def read_image_text(
    image: Image.Image,
    languages: str,
    source: str,
    detect_orientation: bool = True,
    despeckle: bool = False,
    read_number: bool = False,
) -> OcrResult:
    """OCR one page image: upright it, deskew it, and read text plus mean word confidence.
    ``read_number``: the page may hold the official header, whose "Số:" line is read again
    (``number_line``) because its number is often handwritten."""
    upright = ImageOps.exif_transpose(image) or image
    image, rotation, skew = prepare(upright, detect_orientation, despeckle)
    try:
        data = pytesseract.image_to_data(image, lang=languages, output_type=pytesseract.Output.DICT)
        number_note = None
        if read_number:
            data, number_note = reread_number(image, data, languages)
    except pytesseract.TesseractNotFoundError as error:
        raise IngestError(
            source, "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
        ) from error
    except pytesseract.TesseractError as error:
        raise IngestError(
            source, f"Tesseract failed ({error.message.strip() or error.status})"
        ) from error
    text, confidence, words = _assemble(data)
    return OcrResult(text, confidence, rotation, skew, words, number_note)


def _assemble(
    data: dict[str, list[Any]],
) -> tuple[str, float | None, tuple[tuple[str, float], ...]]:
    """Rebuild lines and paragraphs from image_to_data's word table; average word confidences."""
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    confidences: list[float] = []
    words: list[tuple[str, float]] = []
    for index, raw_word in enumerate(data["text"]):
        word = (raw_word or "").strip()
        word_confidence = float(data["conf"][index])
        if not word or word_confidence < 0:
            continue
        confidences.append(word_confidence)
        words.append((word, round(word_confidence / 100.0, 4)))
        key = (data["block_num"][index], data["par_num"][index])
        paragraphs.setdefault(key, {}).setdefault(data["line_num"][index], []).append(word)
    text = "\n\n".join(
        "\n".join(" ".join(words) for _, words in sorted(lines.items()))
        for _, lines in sorted(paragraphs.items())
    )
    confidence = round(sum(confidences) / len(confidences) / 100.0, 4) if confidences else None
    return text, confidence, tuple(words)
