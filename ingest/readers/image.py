"""Image reader: PNG, JPEG, TIFF (one page per frame) and other Pillow formats, through Tesseract."""

from __future__ import annotations

import time
import warnings as pywarnings
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from catalog import Page
from hoptac.errors import IngestError
from hoptac.settings import Settings
from ingest.limits import OCR_SECONDS, PAGES
from ingest.readers.ocr import is_blank, read_image_text
from ingest.readers.stamps import HEADER_PAGES
from ingest.records import ExtractedDocument


def check_size(path: Path, image: Image.Image, settings: Settings, frame: int = 1) -> None:
    """Refuse an image whose declared size exceeds ``settings.max_image_pixels``, before decoding it.

    Checked on the header, so a 50-byte PNG claiming 100 000 x 100 000 pixels costs nothing.
    """
    width, height = image.size
    if width * height > settings.max_image_pixels:
        raise IngestError(
            str(path),
            f"image{f' frame {frame}' if frame > 1 else ''} is {width} x {height} = {width * height:,} pixels, "
            f"over the limit of {settings.max_image_pixels:,} (HOPTAC_MAX_IMAGE_PIXELS); "
            "this guards against decompression bombs",
        )


def is_fine_scan(image: Image.Image) -> bool:
    """True for scans fine enough (>= 200 dpi, or a large page) to despeckle without losing tone dots."""
    dpi = image.info.get("dpi", (0, 0))
    try:
        resolution = float(dpi[0] if isinstance(dpi, tuple) else dpi)
    except (TypeError, ValueError):
        resolution = 0.0
    return resolution >= 200 or min(image.size) >= 2000


def read_image(path: Path, settings: Settings) -> ExtractedDocument:
    """OCR every frame of an image file; each frame is one page.

    Bounded like a PDF: frames past ``max_pages_per_file`` are not read, blank frames are not
    OCR'd, and OCR stops at the file's ``max_ocr_seconds_per_file``; the warnings say so.
    """
    pages: list[Page] = []
    ocr_words: dict[int, tuple[tuple[str, float], ...]] = {}
    notes: list[str] = []
    limits_hit: list[str] = []
    deadline = time.monotonic() + settings.max_ocr_seconds_per_file
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    if number > settings.max_pages_per_file:
                        notes.append(
                            f"only the first {settings.max_pages_per_file:,} frames were read "
                            f"(limit {PAGES}; raise it with HOPTAC_{PAGES.upper()})"
                        )
                        limits_hit.append(PAGES)
                        break
                    if time.monotonic() > deadline:
                        notes.append(
                            f"OCR stopped after {settings.max_ocr_seconds_per_file:g} s at page "
                            f"{number} (limit {OCR_SECONDS}; raise it with "
                            f"HOPTAC_{OCR_SECONDS.upper()})"
                        )
                        limits_hit.append(OCR_SECONDS)
                        break
                    check_size(path, frame, settings, number)
                    frame.load()
                    if is_blank(frame):
                        pages.append(Page(number, "", "ocr"))
                        continue
                    result = read_image_text(
                        frame.copy(),
                        settings.ocr_languages,
                        f"{path} page {number}",
                        despeckle=is_fine_scan(frame),
                        read_number=number <= HEADER_PAGES,
                    )
                    if result.rotated_degrees:
                        notes.append(
                            f"page {number}: turned {result.rotated_degrees}° to read it upright"
                        )
                    if result.number_note:
                        notes.append(f"page {number}: {result.number_note}")
                    pages.append(
                        Page(number, result.text, "ocr", result.confidence, result.number_note)
                    )
                    ocr_words[number] = result.words
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise IngestError(
            str(path),
            f"image refused as a possible decompression bomb ({error}); "
            f"the limit here is {settings.max_image_pixels:,} pixels (HOPTAC_MAX_IMAGE_PIXELS)",
        ) from error
    except UnidentifiedImageError as error:
        raise IngestError(
            str(path), "the image is damaged or in a format Pillow cannot decode"
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise IngestError(str(path), f"the image is damaged or truncated ({error})") from error
    return ExtractedDocument(
        path, "image", pages, warnings=notes, limits_hit=limits_hit, ocr_words=ocr_words
    )
