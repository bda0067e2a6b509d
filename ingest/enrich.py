"""Per-chunk enrichment: how accent-stripped the text looks, and restored diacritics.

Accent-stripped Vietnamese falls out of the embedding model's space; restoring the accents before
embedding brings it back. The original text stays what the user sees; the restored text is what is
embedded and what is offered as a reading aid.
"""

from __future__ import annotations

from catalog import Chunk
from hoptac.vietnamese import STRIPPED_THRESHOLD
from ingest.diacritics import restore_many, stripped_score


def enrich_chunks(chunks: list[Chunk], restore: bool = True) -> list[Chunk]:
    """Set stripped score and restored text on each chunk, in place; returns the chunks.

    Chunks are restored together so the restorer can use the document's own context. Their
    language is the chunker's; a restored chunk is Vietnamese.
    """
    to_restore: list[Chunk] = []
    for chunk in chunks:
        chunk.stripped_score = stripped_score(chunk.text)
        if (
            restore
            and chunk.stripped_score > STRIPPED_THRESHOLD
            and chunk.language in ("vi", "und")
        ):
            to_restore.append(chunk)
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
    return chunks
