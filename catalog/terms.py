"""What lexical search counts in a chunk: its folded words, kept by a PostgreSQL catalog beside the
chunk (``chunks.terms``, ``chunks.term_count``) and in its term statistics (``lexicon_terms``,
``lexicon_totals``), written in the chunk's own transaction.

Why here: on PostgreSQL the lexical index lives in the catalog, so the catalog writes it with the
chunk rows and no server keeps a copy (search/database.py reads it). The same words make the
per-server segments on SQLite (search/indexer.py), so both stores score the same text.
"""

from __future__ import annotations

from collections import Counter

from hoptac.vietnamese import folded_tokens

#: The most positions PostgreSQL keeps for one lexeme of a ``tsvector``; a term's count stops there
#: (BM25 has long saturated).
MAX_COUNT = 256
#: The longest lexeme a ``tsvector`` holds; a longer "word" (a run of symbols) is not a term.
MAX_LEXEME_BYTES = 2046


def lexical_text(text: str, text_restored: str | None) -> str:
    """What BM25 reads of a chunk: its text, plus its restored text when there is one."""
    return text if text_restored is None else f"{text}\n{text_restored}"


def lexical_tokens(text: str, text_restored: str | None) -> list[str]:
    return folded_tokens(lexical_text(text, text_restored))


def tsvector_literal(tokens: list[str]) -> str:
    """The tokens as a ``tsvector`` whose positions count each term (``'hop':1,2 'tac':1``): the
    term frequencies BM25 needs, read back with ``unnest``; PostgreSQL's parser never sees the text."""
    counts = Counter(t for t in tokens if len(t.encode()) <= MAX_LEXEME_BYTES)
    return " ".join(
        f"'{term}':{','.join(str(p) for p in range(1, min(n, MAX_COUNT) + 1))}"
        for term, n in counts.items()
    )
