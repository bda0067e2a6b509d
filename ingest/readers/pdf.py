"""PDF reader: the text layer where it is good, Tesseract where it is missing or junk.

A layer that reads as words but shows the signs of someone else's bad OCR (``garble``), or that
holds far fewer characters than the page's image shows in ink (``layer_ink``), is read again from
the page image, and the better reading is kept; each page records which won (``method``), both
readings' shares of garbled words and why (``choose_source``).

Pages are rendered with their form widgets drawn, because signing software stamps the document's
number and date as widgets: a header whose text layer has those left blank is completed from the
OCR of the rendered header (``stamps``). On a scanned header the number, often written by hand, is
read again from its line and kept only where the readings agree (``number_line``).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from catalog import Page
from hoptac.errors import IngestError
from hoptac.settings import Settings
from ingest.limits import OCR_SECONDS, PAGES, limit_message
from ingest.readers.garble import describe_signs, garble_score
from ingest.readers.layer_ink import LayerInk, has_image, short_layers
from ingest.readers.ocr import OCR_WORKERS, OcrResult, is_blank, read_image_text
from ingest.readers.quality import text_quality, word_count
from ingest.readers.stamps import HEADER_PAGES, HEADER_SHARE, fill_blanks, has_blanks
from ingest.records import ExtractedDocument

logging.getLogger("pypdf").setLevel(logging.ERROR)

#: A text layer with fewer word-like tokens, or a lower share of them, is treated as a scan.
MIN_WORDS = 3
MIN_QUALITY = 0.6
#: Renders at this resolution or more are despeckled before OCR (see ``ocr.prepare``).
DESPECKLE_MIN_DPI = 200
#: A text layer with this share of garbled tokens or more is compared with an OCR of the page.
MAX_GARBLE = 0.15
#: A layer far shorter than the page's ink (``layer_ink``) gives way to an OCR that finds at least
#: this many times its words.
SHORT_LAYER_GAIN = 2


def has_usable_text(text: str) -> bool:
    """True when a page's text layer reads as words, so OCR would add nothing but time."""
    return word_count(text) >= MIN_WORDS and text_quality(text) >= MIN_QUALITY


def read_pdf(path: Path, settings: Settings) -> ExtractedDocument:
    """Read every page, OCR-ing those whose text layer is empty or junk (see ``has_usable_text``)
    and those whose layer looks garbled, where the OCR reads better (``MAX_GARBLE``)."""
    reader = _open(path)
    warnings: list[str] = []
    limits_hit: list[str] = []
    texts: list[str] = []
    total = len(reader.pages)
    if total > settings.max_pages_per_file:
        warnings.append(limit_message(PAGES, settings.max_pages_per_file, total, "pages"))
        limits_hit.append(PAGES)
    for number, page in enumerate(reader.pages, start=1):
        if number > settings.max_pages_per_file:
            break
        try:
            texts.append(page.extract_text() or "")
        except Exception as error:  # noqa: BLE001 - pypdf raises many types on damaged streams
            warnings.append(f"page {number}: text layer unreadable ({error}); using OCR")
            texts.append("")
    needs_ocr = [i for i, text in enumerate(texts) if not has_usable_text(text)]
    suspect = [
        i for i, text in enumerate(texts) if i not in needs_ocr and garble_score(text) >= MAX_GARBLE
    ]
    short = _short_layers(path, reader, texts, needs_ocr + suspect)
    stamped = [
        i
        for i, text in enumerate(texts[:HEADER_PAGES])
        if i not in needs_ocr + suspect and has_blanks(text)
    ]
    whole = needs_ocr + suspect + list(short)
    ocr_pages = (
        _ocr_pages(path, whole, stamped, settings, warnings, limits_hit) if whole or stamped else {}
    )
    pages: list[Page] = []
    ocr_words: dict[int, tuple[tuple[str, float], ...]] = {}
    for index, layer in enumerate(texts):
        stamp = ""
        if index in stamped and index in ocr_pages:
            header = ocr_pages[index] if index in short else ocr_pages.pop(index)
            layer, filled = fill_blanks(layer, header.text)
            if filled:
                stamp = (
                    f"{' and '.join(filled)} stamped by the signing software, "
                    "read from the page image"
                )
                warnings.append(f"page {index + 1}: {stamp}")
        chosen = choose_source(
            index + 1, layer, ocr_pages.get(index), index in needs_ocr, short.get(index)
        )
        if stamp:
            chosen = replace(chosen, source_reason=f"{chosen.source_reason}; {stamp}")
        if (index in suspect and chosen.ocr_garbled is not None) or index in short:
            warnings.append(f"page {index + 1}: {chosen.source_reason}")
        if chosen.method == "ocr" and index in ocr_pages:
            ocr_words[index + 1] = ocr_pages[index].words
            number_note = ocr_pages[index].number_note
            if number_note:
                chosen = replace(chosen, source_reason=f"{chosen.source_reason}; {number_note}")
                warnings.append(f"page {index + 1}: {number_note}")
        pages.append(chosen)
    title, date = _metadata(reader)
    return ExtractedDocument(
        path,
        "pdf",
        pages,
        title=title,
        date=date,
        warnings=warnings,
        limits_hit=limits_hit,
        ocr_words=ocr_words,
    )


def choose_source(
    number: int,
    layer: str,
    ocr: OcrResult | None,
    unusable: bool,
    short: LayerInk | None = None,
) -> Page:
    """Page ``number`` from the better of its text layer and the OCR of its image (None when the
    page was not OCR'd), with which won and why: a layer that does not read as words
    (``unusable``) loses to any OCR that found text; one far shorter than the page's ink
    (``short``) loses to an OCR that reads as words and finds ``SHORT_LAYER_GAIN`` times as many;
    a garbled-looking one loses only to an OCR with fewer garbled words and at least half as many
    words."""
    layer_garbled = garble_score(layer) if layer.strip() else None
    if ocr is None:
        if unusable:  # the OCR time budget ran out before this page
            return Page(number, layer, "text", None, "not OCR'd (time limit)", layer_garbled)
        if short is not None:
            reason = f"{short.describe()} but was not OCR'd"
        elif layer_garbled is not None and layer_garbled >= MAX_GARBLE:
            reason = f"text layer looks garbled ({describe_signs(layer)}) but was not OCR'd"
        else:
            reason = f"text layer reads as words ({_share(layer_garbled)} garbled)"
        return Page(number, layer, "text", None, reason, layer_garbled)
    ocr_garbled = garble_score(ocr.text) if ocr.text.strip() else None
    if unusable:
        if not ocr.text.strip() and not layer.strip():
            reason = "blank: no text layer and no text in the page image"
            return Page(number, "", "ocr", ocr.confidence, reason, None, None)
        if not ocr.text.strip():
            reason = "OCR found no text; the unreadable text layer kept"
            return Page(number, layer, "text", None, reason, layer_garbled)
        why = (
            "no text layer"
            if layer_garbled is None
            else f"text layer is not words ({_share(text_quality(layer))} word-like)"
        )
        reason = f"{why}; OCR of the page image ({_share(ocr_garbled)} garbled)"
        return Page(number, ocr.text, "ocr", ocr.confidence, reason, layer_garbled, ocr_garbled)
    assert layer_garbled is not None  # a usable layer has words
    if short is not None:
        layer_words, read_words = word_count(layer), word_count(ocr.text)
        better = has_usable_text(ocr.text) and read_words >= SHORT_LAYER_GAIN * layer_words
        reason = (
            f"{short.describe()}; {'OCR of the page image' if better else 'the layer'} kept "
            f"(OCR {read_words} words, layer {layer_words})"
        )
        if better:
            return Page(number, ocr.text, "ocr", ocr.confidence, reason, layer_garbled, ocr_garbled)
        return Page(number, layer, "text", None, reason, layer_garbled, ocr_garbled)
    better = (
        ocr_garbled is not None
        and ocr_garbled < layer_garbled
        and len(ocr.text.split()) >= len(layer.split()) / 2
    )
    reason = (
        f"text layer looks garbled ({describe_signs(layer)}); "
        f"{'OCR of the page image' if better else 'the layer'} kept "
        f"(OCR {_share(ocr_garbled)} garbled, layer {_share(layer_garbled)})"
    )
    if better:
        return Page(number, ocr.text, "ocr", ocr.confidence, reason, layer_garbled, ocr_garbled)
    return Page(number, layer, "text", None, reason, layer_garbled, ocr_garbled)


def _short_layers(
    path: Path, reader: pypdf.PdfReader, texts: list[str], skip: list[int]
) -> dict[int, LayerInk]:
    """The pages, other than those at ``skip``, whose text layer is far shorter than the ink of
    the image they hold (``layer_ink``)."""
    candidates = {
        i: text for i, text in enumerate(texts) if i not in skip and has_image(reader.pages[i])
    }
    if not candidates:
        return {}
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return {}  # not renderable: nothing to compare the layer with
    try:
        document.init_forms()  # the page as OCR sees it, stamped widgets included
        return short_layers(document, candidates)
    finally:
        document.close()


def _share(value: float | None) -> str:
    return "no words" if value is None else f"{value:.0%}"


def _open(path: Path) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(
                str(path), "the PDF is protected by a password; save an unprotected copy"
            )
        len(reader.pages)  # forces the page tree to load, where damage usually shows
        return reader
    except IngestError:
        raise
    except FileNotDecryptedError as error:
        raise IngestError(
            str(path), "the PDF is protected by a password; save an unprotected copy"
        ) from error
    except DependencyError as error:
        raise IngestError(
            str(path), f"the PDF uses encryption that needs an extra package ({error})"
        ) from error
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as error:
        raise IngestError(
            str(path), f"the PDF is damaged and cannot be parsed ({error})"
        ) from error


def _ocr_pages(
    path: Path,
    indexes: list[int],
    header_indexes: list[int],
    settings: Settings,
    warnings: list[str],
    limits_hit: list[str],
) -> dict[int, OcrResult]:
    """OCR of the pages at ``indexes`` (blank ones cost nothing), and of the header part of those
    at ``header_indexes``, within the file's OCR time budget."""
    try:
        document = pdfium.PdfDocument(path)  # _open refused any PDF that needs a password
        document.init_forms()  # draw widgets: signing software stamps numbers and dates as widgets
    except pdfium.PdfiumError as error:
        raise IngestError(str(path), f"the PDF cannot be rendered for OCR ({error})") from error
    results: dict[int, OcrResult] = {}
    blank: list[int] = []
    deadline = time.monotonic() + settings.max_ocr_seconds_per_file
    # Pages are rendered here, one at a time (pdfium is not thread-safe), and read by Tesseract in
    # OCR_WORKERS threads (each waits on its own tesseract process); at most that many rendered
    # pages wait in memory.
    pending: dict[int, Future[OcrResult]] = {}
    pool = ThreadPoolExecutor(max_workers=OCR_WORKERS, thread_name_prefix="ocr")
    try:
        todo = sorted({*indexes, *header_indexes})
        for position, index in enumerate(todo):
            if time.monotonic() > deadline:
                skipped = [i + 1 for i in todo[position:]]
                warnings.append(
                    f"OCR stopped after {settings.max_ocr_seconds_per_file:g} s: {_pages(skipped)} "
                    f"not OCR'd (limit {OCR_SECONDS}; raise it with HOPTAC_{OCR_SECONDS.upper()})"
                )
                limits_hit.append(OCR_SECONDS)
                break
            page = document[index]
            width, height = page.get_size()  # points
            scale = settings.ocr_dpi / 72.0
            pixels = width * height * scale * scale
            if pixels > settings.max_image_pixels:
                scale *= (settings.max_image_pixels / pixels) ** 0.5
                warnings.append(
                    f"page {index + 1}: very large page, rendered at {scale * 72:.0f} dpi"
                )
            image = page.render(scale=scale, grayscale=True, may_draw_forms=True).to_pil()
            page.close()
            whole = index in indexes
            if whole and is_blank(image):
                results[index] = OcrResult("", None)
                blank.append(index + 1)
                continue
            if not whole:  # a born-digital header: upright, clean, thin stamped digits
                image = image.crop((0, 0, image.width, int(image.height * HEADER_SHARE)))
            if len(pending) >= OCR_WORKERS:
                wait(pending.values(), return_when=FIRST_COMPLETED)
                for done in [i for i, future in pending.items() if future.done()]:
                    results[done] = pending.pop(done).result()
            pending[index] = pool.submit(
                read_image_text,
                image,
                settings.ocr_languages,
                f"{path} page {index + 1}",
                detect_orientation=whole,
                despeckle=whole and scale * 72 >= DESPECKLE_MIN_DPI,
                read_number=whole and index < HEADER_PAGES,
            )
        for index, future in pending.items():
            results[index] = future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        document.close()
    if blank:
        warnings.append(f"{_pages(blank)} blank, not OCR'd")
    return results


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return f"page{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _metadata(reader: pypdf.PdfReader) -> tuple[str | None, str | None]:
    try:
        info = reader.metadata
    except Exception:  # noqa: BLE001 - a damaged /Info dictionary must not cost us the text
        return None, None
    if info is None:
        return None, None
    title = (info.title or "").strip() or None
    try:
        created = info.creation_date
    except Exception:  # noqa: BLE001 - malformed dates are common and harmless
        created = None
    return title, created.date().isoformat() if created else None
