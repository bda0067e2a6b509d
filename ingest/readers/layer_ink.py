"""Whether a PDF page's text layer holds far fewer characters than the page shows in ink.

Why: some scans carry a text layer over only part of the page: the header a signing program
stamped, one line someone typed over the image, a few words another program's OCR caught. That
layer reads as clean words, so the word-shape and garble scores trust it, and the rest of the
page, printed text in the image, is never read. Ink tells: a page of print shows a steady number of
characters per square inch of ink, tables and their grid lines included, so a layer with far fewer
characters than that for the ink the page shows is missing most of it. The ink is counted on a
small render, cheap beside OCR; only pages that hold an image are looked at, since on a page
without one everything printed is drawn from the text layer itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdf
import pypdfium2 as pdfium
from pypdf.generic import DictionaryObject

from ingest.readers.ocr import ink_share

#: Fewer characters in the layer per square inch of the page's ink than this: the layer is far
#: shorter than the page (a third of the sparsest page of print seen in the real dev set).
MIN_CHARS_PER_INK_INCH = 40.0
#: Resolution of the render whose ink is counted: enough to see lines of print as ink.
INK_DPI = 50


@dataclass(frozen=True)
class LayerInk:
    """A page's text layer beside its ink: characters (spaces aside) and square inches of ink."""

    chars: int
    ink_inches: float

    @property
    def chars_per_inch(self) -> float:
        return self.chars / self.ink_inches if self.ink_inches else float("inf")

    @property
    def far_shorter(self) -> bool:
        return self.chars_per_inch < MIN_CHARS_PER_INK_INCH

    def describe(self) -> str:
        """In a librarian's words: "text layer holds 58 characters over 11.2 sq in of ink"."""
        return (
            f"text layer far shorter than the page's ink ({self.chars} characters over "
            f"{self.ink_inches:.1f} sq in of ink, under {MIN_CHARS_PER_INK_INCH:g} per sq in)"
        )


def has_image(page: pypdf.PageObject) -> bool:
    """True when the page draws an image (a scan), directly or from a form it draws: a look at
    its resources, far cheaper than walking its objects."""
    try:
        return _draws_image(page.get("/Resources"), depth=3)
    except Exception:  # noqa: BLE001 - a damaged resource dictionary: look at the ink anyway
        return True


def _draws_image(resources: object, depth: int) -> bool:
    resources = getattr(resources, "get_object", lambda: resources)()
    if not isinstance(resources, DictionaryObject) or depth == 0:
        return False
    xobjects = resources.get("/XObject")
    xobjects = getattr(xobjects, "get_object", lambda: xobjects)()
    if not isinstance(xobjects, DictionaryObject):
        return False
    for reference in xobjects.values():
        xobject = reference.get_object()
        if not isinstance(xobject, DictionaryObject):
            continue
        if xobject.get("/Subtype") == "/Image":
            return True
        if xobject.get("/Subtype") == "/Form" and _draws_image(
            xobject.get("/Resources"), depth - 1
        ):
            return True
    return False


def layer_ink(page: pdfium.PdfPage, layer: str) -> LayerInk:
    """The page's layer beside its ink."""
    width, height = page.get_size()  # points
    image = page.render(scale=INK_DPI / 72, grayscale=True, may_draw_forms=True).to_pil()
    ink_inches = ink_share(image) * (width / 72) * (height / 72)
    return LayerInk(len("".join(layer.split())), ink_inches)


def short_layers(document: pdfium.PdfDocument, layers: dict[int, str]) -> dict[int, LayerInk]:
    """Of the pages at the indexes of ``layers`` (with their text layers), those whose layer is
    far shorter than their ink."""
    found: dict[int, LayerInk] = {}
    for index, layer in layers.items():
        page = document[index]
        try:
            measured = layer_ink(page, layer)
        finally:
            page.close()
        if measured.far_shorter:
            found[index] = measured
    return found
