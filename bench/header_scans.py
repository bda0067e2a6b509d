"""Scanned headers of real documents: each gold header of a metadata set typeset as Decree 30 lays it
out, printed and scanned, for ``bench.metadata`` to read through OCR.

Why: the real dev set has six scans, which all read right, and the real documents found as web text
have no images. Their gold (the real issuers, numbers, places, dates and titles) set as a header
page in two columns, with the rules under the issuer and the motto, a slight rotation, blur, grain
and JPEG compression, checks the OCR path of the header reader on many more issuers and layouts:
how Tesseract puts the two columns on one line, the letters it makes of the rules, and a name the
left column wraps beside the date.

The pages are typeset from the gold, so they are cleaner than a real scan (no stamp, signature or
handwriting); they test reading the header's layout through OCR, not OCR itself
(``bench.ocr_accuracy`` does that on real pages). Only documents whose gold has a number, type,
issuer, place and date are set. ::

    .venv/bin/python -m bench.header_scans --dev DIR --out OUT
    .venv/bin/python -m bench.metadata --dev OUT --cache-dir OUT/cache
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300
#: The national motto, set in bold at top right.
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
#: A committee's name as its header sets it, and a department under a provincial committee.
_COMMITTEE = re.compile(r"(UBND|HĐND) (tỉnh|thành phố|huyện|quận|thị xã|xã|phường) (.+)$")
_DEPARTMENT = re.compile(r"(Sở .+?) (tỉnh|thành phố) (.+)$")
_COMMITTEE_NAMES = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN"}


def issuer_lines(issuer: str) -> list[tuple[str, str]]:
    """The left column's lines naming ``issuer``, with their weight: "UBND tỉnh Kon Tum" is "ỦY
    BAN NHÂN DÂN" / "TỈNH KON TUM"; "Sở Y tế tỉnh Lào Cai" is "UBND TỈNH LÀO CAI" / "SỞ Y TẾ"."""
    found = _COMMITTEE.match(issuer)
    if found:
        level = f"{found[2]} {found[3]}".upper()
        return [(_COMMITTEE_NAMES[found[1]], "bold"), (level, "bold")]
    found = _DEPARTMENT.match(issuer)
    if found:
        return [(f"UBND {found[2]} {found[3]}".upper(), "regular"), (found[1].upper(), "bold")]
    return [(issuer.upper(), "bold")]


def letter_title(title: str) -> str:
    """A letter's summary as its "V/v" cell prints it; some gold gives the "V/v" already."""
    return title if re.match(r"v/v\b", title, re.IGNORECASE) else f"V/v {title}"


def wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """``text`` broken into lines no wider than ``width``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        longer = f"{current} {word}".strip()
        if current and draw.textlength(longer, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = longer
    return [*lines, current] if current else lines


def size(points: float) -> int:
    """A type size in points as pixels at the scan's resolution."""
    return int(points * DPI / 72)


def header_page(gold: dict[str, str], seed: int) -> Image.Image:
    """The top of the document's first page, typeset from its gold and scanned."""
    fonts = {
        "regular": ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), size(12.5)),
        "bold": ImageFont.truetype(str(FONTS / "DejaVuSerif-Bold.ttf"), size(12.5)),
        "italic": ImageFont.truetype(str(FONTS / "DejaVuSerif-Italic.ttf"), size(13)),
        "type": ImageFont.truetype(str(FONTS / "DejaVuSerif-Bold.ttf"), size(13.5)),
        "small": ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), size(11.5)),
    }
    width, height = int(8.27 * DPI), int(5.2 * DPI)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    margin, left_width = int(0.8 * DPI), int(2.6 * DPI)
    right = margin + left_width + int(0.2 * DPI)
    right_width = width - right - int(0.6 * DPI)
    step = int(size(12.5) * 1.35)

    def centred(text: str, font: str, x: int, span: int, y: int) -> None:
        offset = (span - draw.textlength(text, font=fonts[font])) / 2
        draw.text((x + offset, y), text, font=fonts[font], fill=0)

    def rule(x: int, span: int, y: int, share: float) -> None:
        draw.line((x + span * (1 - share) / 2, y, x + span * (1 + share) / 2, y), fill=0, width=3)

    left_y = right_y = int(0.6 * DPI)
    for text, weight in issuer_lines(gold["issuer"]):
        for line in wrap(draw, text, fonts[weight], left_width):
            centred(line, weight, margin, left_width, left_y)
            left_y += step
    rule(margin, left_width, left_y + 8, 0.3)
    left_y += step
    number = re.sub(r"\s+", "", gold["number"])
    centred(f"Số: {number}", "regular", margin, left_width, left_y)
    left_y += step
    letter = gold["doc_type"] == "Công văn"
    if letter and gold.get("title"):
        for line in wrap(draw, letter_title(gold["title"]), fonts["small"], left_width)[:3]:
            centred(line, "small", margin, left_width, left_y)
            left_y += int(step * 0.9)
    for line in MOTTO:
        centred(line, "bold", right, right_width, right_y)
        right_y += step
    rule(right, right_width, right_y + 8, 0.45)
    right_y += step
    year, month, day = gold["issue_date"].split("-")
    dated = f"{gold['place']}, ngày {int(day):02d} tháng {int(month)} năm {year}"
    centred(dated, "italic", right, right_width, right_y)
    y = max(left_y, right_y + step) + step
    if not letter:
        centred(gold["doc_type"].upper(), "type", 0, width, y)
        y += step
        for line in wrap(draw, gold.get("title") or "", fonts["bold"], width - int(2.4 * DPI))[:4]:
            centred(line, "bold", 0, width, y)
            y += step
        y += step // 2
    preamble = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    draw.text((margin, y), preamble, font=fonts["regular"], fill=0)
    return scanned(page, seed)


def scanned(page: Image.Image, seed: int) -> Image.Image:
    """A print scanned: a slight rotation, the ink's blur and the paper's grain."""
    rng = np.random.default_rng(seed)
    angle = random.Random(seed).uniform(-0.8, 0.8)
    page = page.rotate(angle, fillcolor=255, resample=Image.Resampling.BICUBIC)
    page = page.filter(ImageFilter.GaussianBlur(0.7))
    grain = np.asarray(page, dtype=np.float32) + rng.normal(0, 12, (page.height, page.width))
    return Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dev", type=Path, required=True, help="a metadata set (gold_metadata.jsonl)"
    )
    parser.add_argument("--out", type=Path, required=True, help="where the scanned set goes")
    args = parser.parse_args(argv)
    golds = [
        json.loads(line)
        for line in (args.dev / "gold_metadata.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    (args.out / "files").mkdir(parents=True, exist_ok=True)
    kept = []
    for index, gold in enumerate(golds):
        needed = ("number", "doc_type", "issuer", "place", "issue_date")
        if not all(gold.get(key) for key in needed):
            continue
        name = f"{Path(gold['file']).stem}.jpg"
        header_page(gold, seed=index).save(args.out / "files" / name, quality=55)
        title = gold.get("title")
        if gold["doc_type"] == "Công văn" and title:
            title = letter_title(title)
        kept.append({**gold, "file": name, "title": title})
    lines = "".join(json.dumps(gold, ensure_ascii=False) + "\n" for gold in kept)
    (args.out / "gold_metadata.jsonl").write_text(lines, encoding="utf-8")
    print(f"{len(kept)} of {len(golds)} headers set as scans in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
