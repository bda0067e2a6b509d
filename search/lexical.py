"""The lexical index: BM25 over accent-folded text, plus exact-form evidence.

Folding ("Hợp tác quốc tế" -> "hop tac quoc te") lets a query typed without accents find accented
text and OCR text that lost its accents alike. But folding also merges different words ("hòa bình"
peace, "hoa bình" flower vase), so when the query carries accents the share of its accented words
found verbatim in a chunk is kept as separate evidence: exact matches then rank above folded ones.

The index is a few immutable segments of raw term frequencies (postings keyed by a hash of the
folded word) saved beside the vectors and read memory-mapped, so start-up reads no text and adding
or deleting a document rewrites only the small newest segment (deleted rows are masked until the
segments are merged). BM25 is computed at query time from those frequencies with bm25s's Lucene
formula and parameters over the live rows, so scores are exactly what a bm25s index rebuilt over
the same passages gives, however the passages arrived.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hoptac.vietnamese import fold, folded_tokens

_TOKEN = re.compile(r"\w+")
_TOKEN_PATTERN = r"(?u)\b\w+\b"


def exact_tokens(text: str) -> list[str]:
    """Lower-case words with their accents kept (NFC)."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def folded(text: str) -> str:
    """``fold(text)`` up to punctuation: folded words joined by single spaces."""
    return " ".join(folded_tokens(text))


def accented_tokens(text: str) -> list[str]:
    """The query words whose accents carry meaning (they differ from their folded form)."""
    return [t for t in exact_tokens(text) if fold(t) != t]


def exact_share(query: str, texts: Sequence[str]) -> np.ndarray:
    """For each text, the share of the query's accented words present verbatim (0 if none)."""
    wanted = set(accented_tokens(query))
    out = np.zeros(len(texts), dtype=np.float32)
    if wanted:
        # A word is one of ``exact_tokens(text)`` when it stands between non-word characters: one
        # pass of one pattern over each candidate finds them all, much cheaper than splitting the
        # candidate into words or a pass per query word.
        alternatives = "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
        words = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        for i, text in enumerate(texts):
            found = set(words.findall(unicodedata.normalize("NFC", text).lower()))
            out[i] = len(found) / len(wanted)
    return out


#: bm25s's defaults (Lucene variant), with which the fusion weights were tuned.
K1 = 1.5
B = 0.75


def term_hash(term: str) -> int:
    """A stable 63-bit key for a folded word (Python's own hash changes with every process)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little") >> 1


@dataclass(frozen=True)
class Segment:
    """An immutable run of passages: postings (sorted term hash -> rows, term frequencies) and
    per-row chunk id, document id and length. Saved as one .npy file per field."""

    hashes: np.ndarray  # int64, sorted, unique
    indptr: np.ndarray  # int64, len(hashes) + 1
    rows: np.ndarray  # int32, ascending within a term
    tfs: np.ndarray  # int32
    ids: np.ndarray  # int64 chunk id per row
    docs: np.ndarray  # int64 document id per row
    lengths: np.ndarray  # int32 tokens per row

    FIELDS = ("hashes", "indptr", "rows", "tfs", "ids", "docs", "lengths")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls, ids: Sequence[int], docs: Sequence[int], token_lists: Sequence[Sequence[str]]
    ) -> Segment:
        vocab: dict[str, int] = {}
        terms: list[int] = []
        rows: list[int] = []
        tfs: list[int] = []
        lengths = np.zeros(len(token_lists), dtype=np.int32)
        for row, tokens in enumerate(token_lists):
            counts = Counter(tokens)
            lengths[row] = len(tokens)
            terms.extend(vocab.setdefault(t, len(vocab)) for t in counts)
            rows.extend([row] * len(counts))
            tfs.extend(counts.values())
        hashes = np.fromiter((term_hash(t) for t in vocab), dtype=np.int64, count=len(vocab))
        return _assemble(
            hashes,
            np.asarray(terms, dtype=np.int64),
            np.asarray(rows, dtype=np.int32),
            np.asarray(tfs, dtype=np.int32),
            np.asarray(ids, dtype=np.int64),
            np.asarray(docs, dtype=np.int64),
            lengths,
        )

    @classmethod
    def merge(cls, parts: Sequence[tuple[Segment, np.ndarray]]) -> Segment:
        """One segment holding the rows of ``parts`` whose keep-mask is set, in order."""
        hashes, terms, rows, tfs, ids, docs, lengths = [], [], [], [], [], [], []
        offset = 0
        for segment, keep in parts:
            new_row = np.cumsum(keep, dtype=np.int64) - 1 + offset
            term_of = np.repeat(np.arange(len(segment.hashes)), np.diff(segment.indptr))
            kept = keep[segment.rows]
            hashes.append(segment.hashes)
            terms.append(term_of[kept] + sum(len(h) for h in hashes[:-1]))
            rows.append(new_row[segment.rows[kept]].astype(np.int32))
            tfs.append(np.asarray(segment.tfs)[kept])
            ids.append(np.asarray(segment.ids)[keep])
            docs.append(np.asarray(segment.docs)[keep])
            lengths.append(np.asarray(segment.lengths)[keep])
            offset += int(keep.sum())
        return _assemble(
            *(np.concatenate(x) for x in (hashes, terms, rows, tfs, ids, docs, lengths))
        )

    @classmethod
    def empty(cls) -> Segment:
        return Segment.build([], [], [])

    def postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        at = int(np.searchsorted(self.hashes, key))
        if at == len(self.hashes) or int(self.hashes[at]) != key:
            return _NO_ROWS, _NO_ROWS
        start, end = int(self.indptr[at]), int(self.indptr[at + 1])
        return self.rows[start:end], self.tfs[start:end]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.FIELDS:
            with open(folder / f"{name}.npy", "wb") as fh:
                np.save(fh, getattr(self, name))
                fh.flush()

    @classmethod
    def load(cls, folder: Path) -> Segment:
        """Memory-mapped: pages are read when a query touches them (ValueError if damaged)."""
        arrays = {}
        for name in cls.FIELDS:
            path = folder / f"{name}.npy"
            try:
                arrays[name] = np.load(path, mmap_mode="r", allow_pickle=False)
            except ValueError:  # numpy cannot map an empty array
                arrays[name] = np.load(path, allow_pickle=False)
        segment = cls(**arrays)
        if len(segment.indptr) != len(segment.hashes) + 1 or (
            len(segment.indptr) and int(segment.indptr[-1]) != len(segment.rows)
        ):
            raise ValueError(f"{folder} is inconsistent")
        return segment


_NO_ROWS = np.zeros(0, dtype=np.int32)


def _assemble(
    hashes: np.ndarray,
    terms: np.ndarray,
    rows: np.ndarray,
    tfs: np.ndarray,
    ids: np.ndarray,
    docs: np.ndarray,
    lengths: np.ndarray,
) -> Segment:
    """Postings (term index into ``hashes``, row, tf) grouped by sorted unique hash."""
    unique, inverse = np.unique(hashes, return_inverse=True)
    term = inverse.reshape(-1)[terms] if len(terms) else terms
    order = np.argsort(term, kind="stable")  # rows stay ascending within a term
    counts = np.bincount(term, minlength=len(unique)) if len(term) else np.zeros(len(unique))
    indptr = np.zeros(len(unique) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return Segment(
        hashes=unique.astype(np.int64),
        indptr=indptr,
        rows=rows[order].astype(np.int32),
        tfs=tfs[order].astype(np.int32),
        ids=ids.astype(np.int64),
        docs=docs.astype(np.int64),
        lengths=lengths.astype(np.int32),
    )


@dataclass
class LexicalIndex:
    """BM25 over folded texts across segments; row ``i`` of every score array is ``ids[i]``.

    ``dead`` marks rows deleted since their segment was written (masked, scored 0).
    """

    segments: list[Segment]
    dead: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.dead:
            self.dead = [np.zeros(len(s), dtype=bool) for s in self.segments]
        self.offsets = np.cumsum([0] + [len(s) for s in self.segments])
        self.ids = _concat([s.ids for s in self.segments], np.int64)
        self.docs = _concat([s.docs for s in self.segments], np.int64)
        self.live = ~_concat(self.dead, bool)
        lengths = _concat([s.lengths for s in self.segments], np.int64)
        self.n_live = int(self.live.sum())
        self.avgdl = float(lengths[self.live].sum()) / max(self.n_live, 1)
        self.lengths = lengths.astype(np.float32)
        ascending = len(self.ids) < 2 or bool(np.all(np.diff(self.ids) > 0))
        self.sorter = np.arange(len(self.ids)) if ascending else np.argsort(self.ids)

    @classmethod
    def build(
        cls, ids: Sequence[int], texts: Sequence[str], docs: Sequence[int] | None = None
    ) -> LexicalIndex:
        """One segment over ``texts`` (a chunk's text, plus its restored text when it has one)."""
        tokens = [folded_tokens(t) for t in texts]
        return cls([Segment.build(ids, docs if docs is not None else [0] * len(ids), tokens)])

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 of the folded query against every row, as a share of the query's weight.

        Dividing by the sum of the query words' IDF (BM25's bound as term frequency grows) gives
        about 1 for a chunk holding every query word and little for one sharing a single name,
        whatever the collection: a scale fusion can weigh against cosine similarity, unlike the
        per-query maximum, which gives a one-word coincidence full weight.
        """
        out = np.zeros(len(self.ids), dtype=np.float32)
        if self.n_live == 0:
            return out
        all_tokens = folded_tokens(query)
        bound = 0.0
        for token, times in Counter(all_tokens).items():
            found = []
            df = 0
            for segment, dead, offset in zip(self.segments, self.dead, self.offsets, strict=False):
                rows, tfs = segment.postings(term_hash(token))
                if len(rows):
                    alive = ~dead[rows]
                    rows, tfs = rows[alive], tfs[alive]
                    df += len(rows)
                    found.append((rows.astype(np.int64) + offset, tfs))
            idf = float(np.log(1.0 + (self.n_live - df + 0.5) / (df + 0.5)))
            bound += times * idf
            for rows, tfs in found:
                norm = K1 * (1 - B + B * self.lengths[rows] / self.avgdl)
                out[rows] += (times * idf * tfs / (norm + tfs)).astype(np.float32)
        return out / bound if bound > 0 else out


def _concat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return (
        np.concatenate([np.asarray(a, dtype=dtype) for a in arrays])
        if arrays
        else np.zeros(0, dtype=dtype)
    )
