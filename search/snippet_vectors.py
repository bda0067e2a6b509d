"""The sentences a snippet by meaning chooses among, and their vectors as the catalog keeps them.

Why: a passage in another language than the query shows its sentence closest in meaning to the
query, and embedding those sentences was most of a search's time. Embedding them in the passage's
own forward pass (pooling its token vectors over each sentence) costs nothing extra but chose the
right sentence far less often, so the writer embeds them as a search would, once, right after the
passage is searchable, and a search only reads them. They are stored as 8-bit codes with one scale
per sentence: a quarter of float32, and choosing the best of a few sentences needs no more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from search.snippets import meaningful_sentences

#: Sentences of a passage weighed for its snippet by meaning: the passage's first ones (it starts
#: with its heading and what it is about), each read up to a bound.
SNIPPET_SENTENCES = 6
SNIPPET_SENTENCE_CHARS = 200


def snippet_sentences(text: str) -> list[str]:
    """The sentences of ``text`` a snippet by meaning chooses among (none when fewer than two)."""
    sentences = meaningful_sentences(text)[:SNIPPET_SENTENCES]
    return sentences if len(sentences) > 1 else []


def embedded_form(sentence: str) -> str:
    """What the model reads of a sentence."""
    return sentence[:SNIPPET_SENTENCE_CHARS]


def embed_each(
    embed: Callable[[list[str]], np.ndarray], groups: Sequence[list[str]]
) -> list[np.ndarray]:
    """Each group's sentence vectors, all groups embedded in one batch."""
    flat = [embedded_form(s) for group in groups for s in group]
    vectors = embed(flat) if flat else np.zeros((0, 0), dtype=np.float32)
    bounds = np.cumsum([0, *(len(group) for group in groups)])
    return [vectors[start:end] for start, end in pairwise(bounds)]


def encode(vectors: np.ndarray) -> bytes:
    """Float scales (one per row) then 8-bit codes, row by row; empty for no rows."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) == 0:
        return b""
    scales = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    codes = np.round(vectors / scales[:, None]).astype(np.int8)
    return bytes(scales.astype(np.float32).tobytes() + codes.tobytes())


def decode(blob: bytes, dimension: int) -> np.ndarray:
    """The rows ``encode`` stored (approximately); refuses a blob of another dimension."""
    rows, rest = divmod(len(blob), 4 + dimension)
    if rest:
        raise ValueError(f"{len(blob)} bytes are not rows of {dimension} dimensions")
    scales = np.frombuffer(blob, dtype=np.float32, count=rows)
    codes = np.frombuffer(blob, dtype=np.int8, offset=4 * rows).reshape(rows, dimension)
    return codes.astype(np.float32) * scales[:, None]
