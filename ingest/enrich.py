"""Per-chunk enrichment: how accent-stripped the text looks, and restored diacritics.

Accent-stripped Vietnamese falls out of the embedding model's space; restoring the accents before
embedding brings it back. Text read by OCR with some accents wrong ("chuyên đôi số" for "chuyển đổi
số") is corrected the same way, word by word where the context says so. Either way the text as
read stays what the user sees as the original; the restored text is what is embedded, indexed and
offered as the reading.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalog import Chunk
from hoptac.vietnamese import STRIPPED_THRESHOLD
from ingest.diacritics import confidence_table, correct_ocr_many, restore_many, stripped_score

#: Page number -> the words OCR read on it with their confidences (``ExtractedDocument.ocr_words``).
OcrWords = Mapping[int, tuple[tuple[str, float], ...]]


def enrich_chunks(
    chunks: list[Chunk], restore: bool = True, ocr_words: OcrWords | None = None
) -> list[Chunk]:
    """Set stripped score and restored text on each chunk, in place; returns the chunks.

    Chunks are restored together so the restorer can use the document's own context. Chunks on
    pages read by OCR (those in ``ocr_words``) that are not stripped get their accents corrected.
    Their language is the chunker's; a restored chunk is Vietnamese.
    """
    ocr_words = ocr_words or {}
    to_restore: list[Chunk] = []
    to_correct: list[Chunk] = []
    for chunk in chunks:
        chunk.stripped_score = stripped_score(chunk.text)
        if not restore or chunk.language not in ("vi", "und"):
            continue
        if chunk.stripped_score > STRIPPED_THRESHOLD:
            to_restore.append(chunk)
        elif any(n in ocr_words for n in range(chunk.page_start, chunk.page_end + 1)):
            to_correct.append(chunk)
    if to_restore:
        # The document's correctly accented chunks are evidence for its stripped ones.
        context = [c.text for c in chunks if c not in to_restore]
        texts = restore_many([c.text for c in to_restore], context=context)
        # Section paths of a garbled scan are shown to users: restore them too, as a reading aid.
        sections = restore_many([c.section for c in to_restore])
        for chunk, restored, section in zip(to_restore, texts, sections, strict=True):
            chunk.text_restored = restored if restored != chunk.text else None
            chunk.section = section
            if chunk.text_restored:
                chunk.language = "vi"
    if to_correct:
        tables = [
            confidence_table(
                word for n in range(c.page_start, c.page_end + 1) for word in ocr_words.get(n, ())
            )
            for c in to_correct
        ]
        texts = correct_ocr_many([c.text for c in to_correct], tables)
        sections = correct_ocr_many([c.section for c in to_correct], tables)
        for chunk, corrected, section in zip(to_correct, texts, sections, strict=True):
            chunk.text_restored = corrected if corrected != chunk.text else None
            chunk.section = section
    return chunks
