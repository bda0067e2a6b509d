"""The document's number in the "Số:" line of a scanned header, read again from the page image.

Why: clerks often write the number into the blank of the "Số: ..... /QĐ-TTg" line by hand after
the letter is printed. Tesseract is trained on print and reads a handwritten "1380" as "480" or
"4580", an "11" as "M'", and it does so with fair confidence, while a wrong number is worse than
none: the catalog then names another document's number. So the line is cut out of the upright page
image (from the "Số:" label to the code after the slash) and read again in several ways (sizes,
binarised or not). The digits are kept only where every reading that finds the label and the
same code finds the same digits, at least half of the readings do, and with good confidence: print
passes, handwriting seldom does. Where they do not, the slot between the label's colon and the
code's slash is read as handwriting, digit by digit (``handwritten_digits``), and kept only where
every digit is clear and no confident print reading says otherwise; the note then says the number
was read from the pen, for a librarian to check. Otherwise the slot is left blank, to fill in.
Each reading is plain Tesseract on one line (``--psm 7``) without a digit whitelist: a whitelist
makes every reading of handwriting come out as the same wrong digits ("684" for "687"), where
without one they scatter and so give themselves away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytesseract
from PIL import Image
from rapidfuzz import fuzz
from scipy import ndimage

from hoptac.vietnamese import CODE_ACCENTS, fold
from ingest.readers.handwritten_digits import ink_mask, otsu_threshold, read_digits

#: The header stands in this top share of the page.
TOP_SHARE = 0.45
#: Heights (px) the line is scaled to for the readings, each read as it is and binarised: about
#: 300, 400 and 600 dpi for a header in 13-14 pt type.
LINE_HEIGHTS = (50, 67, 100)
#: Share of the readings that must find the digits (the others finding neither label nor code).
MIN_AGREEING = 0.5
#: Mean Tesseract confidence (0-100) the readings of the digits must reach together.
MIN_CONFIDENCE = 60.0
#: How alike (0-100) the code each reading finds must be to the code on the page ("QĐ-TTg").
MIN_CODE_SIMILARITY = 80.0
#: The "Số:" label as OCR reads it, on folded text ("so:", "s6:", "56:", "sa:480"), or alone
#: with its colon misread ("soa" for a "Số:" whose colon touches a handwritten digit).
_LABEL = re.compile(r"^[^a-z0-9]*(?:[s5][a-z0-9]?\s*[:;]|s[o0]\W?[a-z]?$)")
#: A token holding the code after the slash: "/QĐ-TTg", "1360/QĐ-TTg", "/KH-SYT".
_CODE = re.compile(r"/\s*[A-ZĐÐ]")
#: One reading of the cut-out line, folded: label, slot, code ("qd-ttg", "2022/nq-hdnd").
_READING = re.compile(
    r"^[^a-z0-9]*[s5][a-z0-9]?\s*[:;]\s*(?P<slot>[^/]*?)\s*/\s*"
    r"(?P<code>(?:\d{4}\s*/\s*)?[a-z][a-z0-9&-]*)"
)
#: The slot's digits, folded; a Party document's number carries its type after a dash in the
#: slot ("Số: 445-KL/TU", "Số: 20-NQ/TW").
_DIGITS = re.compile(r"\d{1,5}(?:-[a-z]{1,6})?")
#: Tesseract confidence (0-100) at which a print reading of the slot's digits contradicts a
#: reading of them as handwriting.
PRINT_CONFIDENCE = 85.0
#: The label "Số:" is about this many times as wide as its line is tall.
_LABEL_WIDTH = 1.3
#: How far past the label and code tokens the cut reaches, in line heights: handwriting rises
#: above the printed line, and more takes in the lines above and below.
_MARGIN = 0.45


@dataclass(frozen=True)
class NumberLine:
    """Where the "Số:" line stands in an OCR word table (``pytesseract.image_to_data``)."""

    label: int  #: index of the word holding the label ("Số:" or "Só:480")
    code: int  #: index of the word holding "/CODE"
    box: tuple[int, int, int, int]  #: left, top, right, bottom of its words, in pixels
    #: What is cut out to read it again: the box with a margin, short of the lines above and below.
    cut: tuple[int, int, int, int]

    def slot_words(self) -> range:
        return range(self.label + 1, self.code)


@dataclass(frozen=True)
class Reread:
    """What reading the line again decided: the digits (None: unclear, left blank) and why."""

    digits: str | None
    note: str


def find_number_line(data: dict[str, list[Any]], height: int) -> NumberLine | None:
    """The "Số: ... /CODE" line in the top of a page: a line that opens with the label and has
    the code within its next four words."""
    words = [str(word or "").strip() for word in data["text"]]
    firsts: dict[tuple[int, int, int], int] = {}
    for index, word in enumerate(words):
        if word:
            firsts.setdefault(_line_key(data, index), index)
    for index, word in enumerate(words):
        line = _line_key(data, index)
        if (
            firsts.get(line) != index
            or data["top"][index] > height * TOP_SHARE
            or not _LABEL.match(fold(word))
        ):
            continue
        after = [i for i in range(index, min(index + 5, len(words))) if words[i]]
        code = next(
            (i for i in after if _line_key(data, i) == line and _CODE.search(words[i])), None
        )
        if code is None or (code == index and "/" not in re.split(r"[:;]", word, maxsplit=1)[-1]):
            continue
        span = [i for i in range(index, code + 1) if words[i]]
        top = min(data["top"][i] for i in span)
        bottom = max(data["top"][i] + data["height"][i] for i in span)
        left = data["left"][index]
        right = data["left"][code] + data["width"][code]
        box = (left, top, right, bottom)
        return NumberLine(index, code, box, _cut(data, words, (index, code), box))
    return None


def _cut(
    data: dict[str, list[Any]],
    words: list[str],
    printed: tuple[int, int],
    box: tuple[int, int, int, int],
) -> tuple[int, int, int, int]:
    """The box with a margin, stopped short of the printed lines above and below it: any word of
    another line over the label or the code (the ``printed`` words). Words over the slot alone may
    be the handwritten number itself, raised off its line, and do not stop it."""
    left, top, right, bottom = box
    margin = round((bottom - top) * _MARGIN)
    upper, lower = top - margin, bottom + margin
    line = _line_key(data, printed[0])
    spans = [(data["left"][i], data["left"][i] + data["width"][i]) for i in printed]
    for index, word in enumerate(words):
        if not word or _line_key(data, index) == line:
            continue
        word_left, word_right = data["left"][index], data["left"][index] + data["width"][index]
        if not any(word_left < end and word_right > start for start, end in spans):
            continue
        word_top, word_bottom = data["top"][index], data["top"][index] + data["height"][index]
        if word_top < top and word_bottom < (top + bottom) / 2:
            upper = max(upper, min(word_bottom, top))
        elif word_bottom > bottom and word_top > (top + bottom) / 2:
            lower = min(lower, max(word_top, bottom))
    return left - margin // 2, upper, right + margin // 2, lower


def reread_number(
    image: Image.Image, data: dict[str, list[Any]], languages: str
) -> tuple[dict[str, list[Any]], str | None]:
    """The word table with the "Số:" line's number as the readings of its cut-out settle it (see
    the module's doc), and a note saying what was done; unchanged, without a note, where the page
    has no such line or its number is blank in every reading."""
    line = find_number_line(data, image.height)
    if line is None:
        return data, None
    words = list(data["text"])
    label_word, code_word = words[line.label].strip(), words[line.code].strip()
    colon = re.search(r"[:;]", label_word)
    end = colon.end() if colon else len(label_word)
    label = label_word[:end] if colon else "Số:"  # its colon misread: the label as printed
    if line.code == line.label:  # "Số:1360/QĐ-TTg" in one word
        code_word = label_word[end:]
    slash = code_word.index("/")
    code = code_word[slash:]
    slot_words = [
        *([] if line.code == line.label else [label_word[end:]]),
        *(words[i] for i in line.slot_words()),
    ]
    first_slot = " ".join([*slot_words, code_word[:slash]]).split()
    decision, readings = _decide(
        _cut_out(image, line.cut), line.box[3] - line.box[1], code, languages
    )
    pen = ""  # what the slot looked like as handwriting, where print did not settle it
    if decision is None or decision.digits is None:
        hand = _by_hand(image, data, line, readings)
        pen = f"; {hand.note}" if hand.note else ""
        if hand.digits is not None:
            decision = hand
        elif decision is not None:
            decision = Reread(None, decision.note.replace("; left blank", f"{pen}; left blank"))
    if decision is None and not first_slot:
        return data, None  # a blank the clerk never filled
    for index in line.slot_words():
        words[index] = ""
    digits = decision.digits if decision and decision.digits else ""
    printed = _as_printed(digits, first_slot)
    number = f"{printed}{code}"
    words[line.label] = label
    words[line.code] = f"{label} {number}" if line.code == line.label else number
    note = (
        decision.note.replace(f"number {digits} ", f"number {printed} ", 1)
        if decision is not None
        else f"number in the 'Số:' line unclear (OCR read {' '.join(first_slot)!r}){pen}; left blank"
    )
    return {**data, "text": words}, note


def _decide(
    line_image: Image.Image, line_height: int, code: str, languages: str
) -> tuple[Reread | None, list[tuple[str, float]]]:
    """Read the cut-out line at each size, as it is and binarised; None when no reading finds
    anything in the slot. With the decision, each reading's slot and confidence."""
    slots: list[str] = []
    confidences: list[float] = []
    for height in LINE_HEIGHTS:
        scale = height / max(line_height, 1)
        sized = line_image.resize(
            (max(1, round(line_image.width * scale)), max(1, round(line_image.height * scale))),
            Image.Resampling.LANCZOS,
        )
        for variant in (sized, _binarised(sized)):
            slot, confidence = _read_slot(variant, code, languages)
            slots.append(slot)
            confidences.append(confidence)
    table = list(zip(slots, confidences, strict=True))
    if all(slot in ("", "?") for slot in slots):
        return None, table  # no reading saw anything in the slot
    # a reading that did not find the label and the code says nothing about the digits; any
    # other reading must agree on them
    heard = [(slot, conf) for slot, conf in zip(slots, confidences, strict=True) if slot != "?"]
    readings = sorted({slot for slot, _ in heard})
    digits = readings[0] if len(readings) == 1 else ""
    mean = sum(conf for _, conf in heard) / len(heard)
    if (
        re.fullmatch(_DIGITS, digits)
        and len(heard) >= MIN_AGREEING * len(slots)
        and mean >= MIN_CONFIDENCE
    ):
        return Reread(
            digits,
            f"number {digits} read again from the 'Số:' line "
            f"({len(heard)} of {len(slots)} readings agree, none differs)",
        ), table
    shown = ", ".join(_shown(reading) for reading in sorted(set(slots))[:6])
    return Reread(
        None,
        f"number in the 'Số:' line unclear, handwritten or smudged (readings {shown}, "
        f"confidence {mean:.0f}); left blank",
    ), table


def _by_hand(
    image: Image.Image,
    data: dict[str, list[Any]],
    line: NumberLine,
    readings: list[tuple[str, float]],
) -> Reread:
    """The slot read as handwriting (``handwritten_digits``), kept where the network is sure of
    every digit and no confident print reading says otherwise; otherwise no digits, and why
    (empty where the slot could not be placed)."""
    slot = _slot(image, data, line)
    if slot is None:
        return Reread(None, "")
    box, line_height = slot
    gray = np.asarray(_cut_out(image, box).convert("L"))
    hand = read_digits(gray, line_height)
    if hand.digits is None:
        return Reread(None, hand.note)
    against = sorted(
        {text for text, conf in readings if re.fullmatch(r"\d+", text) and conf >= PRINT_CONFIDENCE}
        - {hand.digits}
    )
    if against:
        return Reread(None, f"{hand.note}, but print reads {', '.join(against)}")
    return Reread(
        hand.digits,
        f"number {hand.digits} read as handwriting from the 'Số:' line (each digit at least "
        f"{int(min(hand.probabilities) * 100)}% sure); check it against the page",
    )


def _slot(
    image: Image.Image, data: dict[str, list[Any]], line: NumberLine
) -> tuple[tuple[int, int, int, int], int] | None:
    """The box of the slot between the label's colon and the code's slash, in the page image,
    and the printed line's height; None where the two cannot be placed apart."""
    label, code = line.label, line.code
    if code == label:
        return None  # "Số:1360/QĐ-TTg" in one word: print, no room for a pen
    height = int(data["height"][label])
    left = _colon_right(image, data, label)
    code_word = str(data["text"][code]).strip()
    code_left, code_width = int(data["left"][code]), int(data["width"][code])
    slash = code_word.index("/")
    right = code_left + round(code_width * slash / max(len(code_word), 1))
    if right - left < height // 3:
        return None
    return (left, line.cut[1], right, line.cut[3]), height


def _colon_right(image: Image.Image, data: dict[str, list[Any]], label: int) -> int:
    """Where the label "Số:" ends: the right of its colon, two small dots one above the other,
    found in the ink; where they are not found, the label's usual width after its left."""
    left, top = int(data["left"][label]), int(data["top"][label])
    height = int(data["height"][label])
    word = str(data["text"][label]).strip()
    if re.fullmatch(r"\S{1,2}[:;]", word):
        return left + int(data["width"][label])
    guess = left + round(_LABEL_WIDTH * height)
    area = _cut_out(image, (left, top, left + 2 * height, top + height))
    mask = ink_mask(np.asarray(area.convert("L")))
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    dots = [
        (found[1].start, found[1].stop, found[0].start)
        for found in ndimage.find_objects(labels)
        if found is not None
        and found[0].stop - found[0].start < height / 4
        and found[1].stop - found[1].start < height / 4
        and found[1].start > 0.6 * height
    ]
    for upper in dots:  # the colon's upper dot halfway up, the lower one on the baseline
        for lower in dots:
            if (
                upper[2] > 0.25 * height
                and lower[2] > 0.6 * height
                and lower[2] - upper[2] > height / 5
                and min(upper[1], lower[1]) > max(upper[0], lower[0])
            ):
                return left + int(max(upper[1], lower[1]))
    return guess


def _as_printed(digits: str, first_slot: list[str]) -> str:
    """The slot as the page prints it: a Party number's type ("445-kl" in the folded readings)
    in the capitals of the first OCR of the line ("445-KL"), or with its accents restored."""
    if "-" not in digits:
        return digits
    number, kind = digits.split("-")
    printed = re.search(r"-\s*([^\W\d_]{1,6})$", " ".join(first_slot))
    if printed and fold(printed.group(1)).lower() == kind:
        return f"{number}-{printed.group(1)}"
    return f"{number}-{CODE_ACCENTS.get(kind.upper(), kind.upper())}"


def _shown(reading: str) -> str:
    return {"": "blank", "?": "unreadable"}.get(reading, repr(reading))


def _read_slot(image: Image.Image, code: str, languages: str) -> tuple[str, float]:
    """The slot of one reading ("" where blank, "?" where the reading is not label, slot and the
    same code) and the mean confidence of the words holding its digits."""
    data = pytesseract.image_to_data(
        image, lang=languages, config="--psm 7", output_type=pytesseract.Output.DICT
    )
    pairs = [
        (str(word).strip(), float(conf))
        for word, conf in zip(data["text"], data["conf"], strict=True)
        if str(word).strip() and float(conf) >= 0
    ]
    found = _READING.match(fold(" ".join(word for word, _ in pairs)))
    if not found or not _same_code(found["code"], code):
        return "?", 0.0
    digits: list[float] = []  # the confidence of each word holding the slot's digits
    for word, conf in pairs:
        if re.search(r"\d", word.split("/")[0]):
            digits.append(conf)
        if "/" in word:
            break
    slot = found["slot"].rstrip(".").strip()
    if not re.search(r"[a-z0-9]", slot):
        slot = ""  # the dots or dashes of the printed blank
    return slot, sum(digits) / len(digits) if digits else 0.0


def _same_code(seen: str, code: str) -> bool:
    """Whether a reading's code (folded: "2022/nq-hdnd") is the page's ("/2022/NQ-HĐND"), OCR's
    slips allowed ("/QĐÐ-UBND")."""
    expected = fold(code).lstrip("/")
    return fuzz.ratio(re.sub(r"\s+", "", seen), expected) >= MIN_CODE_SIMILARITY


def _cut_out(image: Image.Image, cut: tuple[int, int, int, int]) -> Image.Image:
    left, top, right, bottom = cut
    return image.crop(
        (max(0, left), max(0, top), min(image.width, right), min(image.height, bottom))
    )


def _binarised(image: Image.Image) -> Image.Image:
    """Black on white at Otsu's threshold, which drops the paper's grain and faint bleed-through."""
    pixels = np.asarray(image.convert("L"))
    threshold = otsu_threshold(pixels)
    if threshold is None:  # one level: nothing to split
        return image.convert("L")
    return Image.fromarray(np.where(pixels > threshold, 255, 0).astype(np.uint8))


def _line_key(data: dict[str, list[Any]], index: int) -> tuple[int, int, int]:
    return (data["block_num"][index], data["par_num"][index], data["line_num"][index])
