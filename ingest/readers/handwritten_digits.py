"""A number written by hand into the blank of a scanned "Số: ...... /QĐ-UBND" line, read digit by digit.

Why: Tesseract is trained on print, and its readings of a clerk's pen scatter ("480", "4580" for
"1380"), so ``number_line`` leaves such a number blank. Here the pen strokes between the label and
the code are cut into digits (connected ink, pieces above one another joined, the printed dots of
the blank dropped) and each is classified by a small network trained on handwritten digits
(``models/digits``). A reading is kept only when it is safe: every digit clear to the network,
no stroke left over that is not a digit, a plausible count of digits. Anything else stays blank,
as before; a wrong number is worse than none.

The network runs in numpy (three 3x3 convolutions, two dense layers), so reading needs no torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image
from scipy import ndimage

#: The network's weights (``scripts/build_digits.py`` writes them).
WEIGHTS = Path(__file__).resolve().parents[2] / "models" / "digits" / "digits.npz"
#: Side (px) of the square each digit is framed in, and of the box the digit is fitted into: MNIST's.
FRAME, BOX = 28, 20
#: The class the network gives to strokes that are no digit (scribbles, two digits overlaid).
NOT_A_DIGIT = 10
#: Probability every digit's class must reach for the number to be kept (calibrated by
#: ``scripts/build_digits.py`` on held-out digits: see models/digits/README.md).
MIN_PROBABILITY = 0.9
#: Widths the blob is also read at (``variants``).
SQUEEZES = (0.92, 1.08)
#: How many digits a document number has.
MIN_DIGITS, MAX_DIGITS = 1, 5
#: A digit stands at least this share of the printed line's height; the dots and dashes of the
#: printed blank, specks and accents stand lower.
MIN_DIGIT_HEIGHT = 0.45
#: Ink smaller than this share of the line height squared is dust.
MIN_AREA = 0.01
#: Ink no taller and no wider than this share of the line height is a dot of the printed blank.
MAX_DOT = 0.25
#: Pieces overlapping horizontally by this share of the narrower are one digit ("5" and its bar).
MERGE_OVERLAP = 0.5
#: Flat ink longer than this many line heights is a rule or the blank's underscores, never part
#: of a digit (a "5"'s bar, a "7"'s stroke are shorter).
MAX_RULE_WIDTH = 1.5
#: A blob wider than this many times its height holds digits that touch.
MAX_DIGIT_ASPECT = 1.3


@dataclass(frozen=True)
class HandReading:
    """What reading the slot as handwriting decided: the digits (None: unsafe) and why."""

    digits: str | None
    note: str
    probabilities: tuple[float, ...] = ()
    #: Each mark's class, "?" where it is no digit or variants disagree ("" where none was read).
    shown: str = ""


def normalise(ink: np.ndarray) -> np.ndarray:
    """One digit's ink (any size, 0..1) framed as MNIST frames digits: fitted into a 20x20 box,
    keeping its aspect, and centred by its mass in a 28x28 frame. Training and reading both
    pass through here, so the network sees digits framed one way."""
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    frame = np.zeros((FRAME, FRAME), dtype=np.float32)
    if rows.size == 0:
        return frame
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].astype(np.float32)
    height, width = ink.shape
    scale = BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    fitted = np.asarray(Image.fromarray(ink, mode="F").resize(size, resample), dtype=np.float32)
    fitted = np.clip(fitted, 0.0, 1.0)
    total = fitted.sum()
    if total <= 0:
        return frame
    ys, xs = np.indices(fitted.shape)
    top = round(FRAME / 2 - (ys * fitted).sum() / total)
    left = round(FRAME / 2 - (xs * fitted).sum() / total)
    top = min(max(top, 0), FRAME - fitted.shape[0])
    left = min(max(left, 0), FRAME - fitted.shape[1])
    frame[top : top + fitted.shape[0], left : left + fitted.shape[1]] = fitted
    return frame


@lru_cache(maxsize=1)
def _weights(path: Path = WEIGHTS) -> dict[str, np.ndarray]:
    with np.load(path) as stored:
        return {name: stored[name].astype(np.float32) for name in stored.files}


def model_available() -> bool:
    return WEIGHTS.exists()


def classify(frames: np.ndarray, weights: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Class probabilities (N x 11: the ten digits, then ``NOT_A_DIGIT``) of 28x28 frames."""
    w = weights if weights is not None else _weights()
    x: np.ndarray = frames.reshape(-1, 1, FRAME, FRAME).astype(np.float32)
    for layer in ("conv1", "conv2", "conv3"):
        x = _pool(np.maximum(_conv(x, w[f"{layer}.weight"], w[f"{layer}.bias"]), 0.0))
    x = x.reshape(x.shape[0], -1)
    x = np.maximum(x @ w["fc1.weight"].T + w["fc1.bias"], 0.0)
    logits = x @ w["fc2.weight"].T + w["fc2.bias"]
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return probabilities


def _conv(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """3x3 convolution, padding 1 (PyTorch's ``Conv2d(..., 3, padding=1)``)."""
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = sliding_window_view(padded, (3, 3), axis=(2, 3))  # N, C, H, W, 3, 3
    out = np.tensordot(windows, weight, axes=([1, 4, 5], [1, 2, 3]))  # N, H, W, O
    convolved: np.ndarray = out.transpose(0, 3, 1, 2) + bias[None, :, None, None]
    return convolved


def _pool(x: np.ndarray) -> np.ndarray:
    """2x2 max pooling, odd edges dropped (PyTorch's ``MaxPool2d(2)``)."""
    n, c, h, w = x.shape
    x = x[:, :, : h // 2 * 2, : w // 2 * 2]
    pooled: np.ndarray = x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
    return pooled


def otsu_threshold(gray: np.ndarray) -> int | None:
    """Otsu's threshold of an 8-bit grey image (the level that best splits ink from paper);
    None for an image of one level."""
    histogram = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(histogram)
    mass = np.cumsum(histogram * levels)
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight / total - mass) ** 2 / (weight * (total - weight))
    return int(np.nanargmax(between)) if np.isfinite(between).any() else None


def ink_mask(gray: np.ndarray, darker: bool = False) -> np.ndarray:
    """Ink (True) on paper, at Otsu's threshold (``darker``: halfway from it to the ink's median,
    the strokes' cores without their faint edges); all paper where the image has no contrast."""
    threshold = otsu_threshold(gray)
    if threshold is None or gray.max() - gray.min() < 60:
        return np.zeros(gray.shape, dtype=bool)
    if darker:
        threshold = (threshold + int(np.median(gray[gray <= threshold]))) // 2
    return gray <= threshold


def digit_blobs(mask: np.ndarray, line_height: int) -> list[np.ndarray]:
    """The digits in the slot's ink, left to right, each as its own mask cropped to its box.

    Pieces of ink are joined where they stand above one another (a "5" and its bar, a "7" and its
    stroke), the dots and dashes of the printed blank and dust are dropped. A blob wider than a
    digit is not cut apart (``Touching``): tried, its halves read as digits, surely and wrongly
    (a flat "0" as "67")."""
    labels, _count = ndimage.label(mask, structure=np.ones((3, 3)))
    pieces: list[list[int]] = []  # each: [left, top, right, bottom, label...]
    for index, found in enumerate(ndimage.find_objects(labels), start=1):
        if found is None:
            continue
        rows, cols = found
        area = int((labels[found] == index).sum())
        if area < MIN_AREA * line_height * line_height:
            continue
        flat = rows.stop - rows.start < MIN_DIGIT_HEIGHT * line_height
        long = cols.stop - cols.start > MAX_RULE_WIDTH * line_height
        at_side = cols.start == 0 or cols.stop == mask.shape[1]
        off_line = rows.stop < 0.2 * mask.shape[0] or rows.start > 0.8 * mask.shape[0]
        if flat and (long or (at_side and off_line)):
            continue  # a rule above or below the line, the blank's underscores
        if max(rows.stop - rows.start, cols.stop - cols.start) < MAX_DOT * line_height:
            continue  # a dot of the blank, under a digit or not: never joined to it
        pieces.append([cols.start, rows.start, cols.stop, rows.stop, index])
    pieces.sort()
    groups: list[list[int]] = []
    for piece in pieces:
        if groups:
            last = groups[-1]
            overlap = min(last[2], piece[2]) - max(last[0], piece[0])
            narrower = min(last[2] - last[0], piece[2] - piece[0])
            if overlap >= MERGE_OVERLAP * narrower:
                groups[-1] = [
                    min(last[0], piece[0]),
                    min(last[1], piece[1]),
                    max(last[2], piece[2]),
                    max(last[3], piece[3]),
                    *last[4:],
                    *piece[4:],
                ]
                continue
        groups.append(piece)
    blobs: list[np.ndarray] = []
    for left, top, right, bottom, *members in groups:
        if bottom - top < MIN_DIGIT_HEIGHT * line_height:
            continue  # the blank's dots, a dash, an accent
        if left == 0 or right == mask.shape[1]:
            raise CutThrough  # the slot's edge runs through a stroke: the label, the slash
        if right - left > MAX_DIGIT_ASPECT * (bottom - top):
            raise Touching
        blobs.append(np.isin(labels[top:bottom, left:right], members))
    return blobs


class CutThrough(ValueError):
    """A stroke crosses the slot's left or right edge, so the slot was not placed cleanly."""


class Touching(ValueError):
    """A blob wider than a digit: digits written into one another, or a smear."""


def variants(blob: np.ndarray) -> list[np.ndarray]:
    """The blob as written, with a thicker pen, narrower and wider: a reading that holds under
    all four is one the network is sure of, not one that hangs on a pixel."""
    height, width = blob.shape
    image = Image.fromarray(blob.astype(np.uint8) * 255)
    return [
        blob,
        ndimage.binary_dilation(blob, structure=np.ones((3, 3))),
        *(
            np.asarray(image.resize((max(1, round(width * f)), height), Image.Resampling.NEAREST))
            > 0
            for f in SQUEEZES
        ),
    ]


def judge(blobs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each blob's class and how sure of it the network is: the mean probability over the
    blob's ``variants``, and ``NOT_A_DIGIT`` where the variants do not all agree."""
    frames = [normalise(v.astype(np.float32)) for blob in blobs for v in variants(blob)]
    probabilities = classify(np.stack(frames)).reshape(len(blobs), -1, NOT_A_DIGIT + 1)
    mean = probabilities.mean(axis=1)
    classes = mean.argmax(axis=1)
    agree = (probabilities.argmax(axis=2) == classes[:, None]).all(axis=1)
    return np.where(agree, classes, NOT_A_DIGIT), np.where(agree, mean.max(axis=1), 0.0)


def read_digits(
    gray: np.ndarray, line_height: int, min_probability: float = MIN_PROBABILITY
) -> HandReading:
    """The handwritten digits in ``gray`` (the slot alone: the label's and the code's ink cut
    away), kept only where every blob is a clear digit (see the module's doc), and the slot reads
    the same where only its darker ink is taken: a reading that hangs on where a faint stroke
    joins or breaks is not kept."""
    first = _read_once(gray, line_height, min_probability, darker=False)
    if first.digits is None:
        return first
    second = _read_once(gray, line_height, 0.0, darker=True)
    # as many marks, none read as another digit (a mark may be unsure)
    if len(second.shown) != len(first.digits) or any(
        mark not in (digit, "?") for mark, digit in zip(second.shown, first.digits, strict=True)
    ):
        return HandReading(
            None,
            f"handwriting read as {first.digits!r}, but as {second.shown or 'nothing'!r} "
            "from its darker ink",
            first.probabilities,
        )
    return first


def _read_once(
    gray: np.ndarray, line_height: int, min_probability: float, darker: bool
) -> HandReading:
    try:
        blobs = digit_blobs(ink_mask(gray, darker), line_height)
    except CutThrough:
        return HandReading(None, "a stroke crosses the edge of the slot")
    except Touching:
        return HandReading(None, "digits run into one another")
    if not blobs:
        return HandReading(None, "no handwriting in the slot")
    if not model_available():
        return HandReading(None, "the handwritten-digit model is not installed")
    classes, best = judge(blobs)
    shown = "".join("?" if c == NOT_A_DIGIT else str(c) for c in classes)
    sure = tuple(round(float(p), 3) for p in best)
    if not MIN_DIGITS <= len(blobs) <= MAX_DIGITS:
        return HandReading(None, f"{len(blobs)} marks in the slot, not a number", sure, shown)
    if (classes == NOT_A_DIGIT).any() or (best < min_probability).any():
        return HandReading(None, f"handwriting read as {shown!r}, not clearly enough", sure, shown)
    return HandReading(shown, f"handwriting read as {shown!r}", sure, shown)
