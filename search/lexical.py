"""The lexical index: BM25 over accent-folded text, plus exact-form evidence.

Folding ("Hợp tác quốc tế" -> "hop tac quoc te") lets a query typed without accents find accented
text and OCR text that lost its accents alike. But folding also merges different words ("hòa bình"
peace, "hoa bình" flower vase), so when the query carries accents the share of its accented words
found verbatim in a chunk is kept as separate evidence: exact matches then rank above folded ones.

The index is rebuilt in memory from the catalog whenever its generation changes: building BM25
over 10k chunks takes about a second on 2 cores (bench/search_latency.py), so persisting it would
buy little and add a second on-disk state to keep consistent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from hoptac.vietnamese import fold

_TOKEN = re.compile(r"\w+")
_TOKEN_PATTERN = r"(?u)\b\w+\b"


def exact_tokens(text: str) -> list[str]:
    """Lower-case words with their accents kept (NFC)."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=262_144)
def fold_word(word: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(word)))


def folded_tokens(text: str) -> list[str]:
    """The words of ``fold(text)``, word by word (symbols such as ° or € are not spelt out)."""
    return [
        token
        for word in _TOKEN.findall(unicodedata.normalize("NFC", text))
        for token in fold_word(word)
    ]


def folded(text: str) -> str:
    """``fold(text)`` up to punctuation: folded words joined by single spaces."""
    return " ".join(folded_tokens(text))


def accented_tokens(text: str) -> list[str]:
    """The query words whose accents carry meaning (they differ from their folded form)."""
    return [t for t in exact_tokens(text) if fold(t) != t]


@dataclass
class LexicalIndex:
    """BM25 over folded texts; row ``i`` of every score array is chunk ``ids[i]``."""

    ids: np.ndarray
    bm25: bm25s.BM25 | None
    exact: list[frozenset[str]]

    @classmethod
    def build(
        cls, ids: list[int], texts: list[str], exact_texts: list[str] | None = None
    ) -> LexicalIndex:
        """Index ``texts`` (a chunk's text, plus its restored text when there is one).

        Exact-form evidence comes from ``exact_texts`` (default ``texts``): the words as written,
        so a restorer's guess never counts as an exact accent match.
        """
        exact = [frozenset(exact_tokens(t)) for t in (exact_texts or texts)]
        if not ids:
            return cls(np.zeros(0, dtype=np.int64), None, exact)
        corpus = bm25s.tokenize(
            [folded(t) for t in texts],
            lower=False,
            token_pattern=_TOKEN_PATTERN,
            stopwords=None,
            show_progress=False,
        )
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        return cls(np.asarray(ids, dtype=np.int64), bm25, exact)

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 of the folded query against every chunk, as a share of the query's weight.

        Dividing by the sum of the query words' IDF (BM25's bound as term frequency grows) gives
        about 1 for a chunk holding every query word and little for one sharing a single name,
        whatever the collection: a scale fusion can weigh against cosine similarity, unlike the
        per-query maximum, which gives a one-word coincidence full weight.
        """
        if self.bm25 is None:
            return np.zeros(0, dtype=np.float32)
        all_tokens = folded_tokens(query)
        vocab = self.bm25.vocab_dict
        tokens = [t for t in all_tokens if t in vocab]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        raw = np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)
        bound = sum(self._idf(t) for t in all_tokens)
        return raw / bound if bound > 0 else raw

    def _idf(self, token: str) -> float:
        """Lucene IDF as bm25s computes it; unknown words count as the rarest (df = 0)."""
        n = float(self.bm25.scores["num_docs"]) if self.bm25 is not None else 0.0
        column = self.bm25.vocab_dict.get(token) if self.bm25 is not None else None
        df = 0.0
        if column is not None and self.bm25 is not None:
            indptr = self.bm25.scores["indptr"]
            df = float(indptr[column + 1] - indptr[column])
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def exact_share(self, query: str, rows: np.ndarray) -> np.ndarray:
        """For each row, the share of the query's accented words present verbatim (0 if none)."""
        wanted = set(accented_tokens(query))
        out = np.zeros(len(rows), dtype=np.float32)
        if not wanted:
            return out
        for i, row in enumerate(rows):
            out[i] = len(wanted & self.exact[int(row)]) / len(wanted)
        return out
