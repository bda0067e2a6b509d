"""Snippets: the sentence(s) of a chunk that best answer a query, query words marked, HTML-safe.

Matching is accent-insensitive, so "ke hoach" marks "Kế hoạch" and an accented query marks words
in OCR text that lost its accents. When the query shares no word with the passage (it was asked in
another language), the engine picks the sentence closest in meaning instead (``around`` a best
index it computed from sentence vectors), so the user still sees why the passage answers.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from hoptac.vietnamese import fold_word, folded_tokens
from search.lexical import folded

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_WORD = re.compile(r"\w+")
_LIST_NUMBER = re.compile(r"[\dIVXivx]+(\.\d+)*[.)]?")
MAX_CHARS = 320
#: Shorter pieces (a list number, a heading) say too little to be weighed by meaning alone.
MIN_MEANINGFUL = 40
#: Function words (folded) that neither pick the snippet nor get marked: "in" lit up everywhere.
STOPWORDS = frozenset(
    (  # noqa: SIM905 -- a word list reads best as words
        "a an and are as at be by do does for from has have how in into is it of on or the their "
        "this to was were what when where which who why with "
        "au aux d de des du en et l la le les par pour sur un une "
        "cac cho co cua duoc la mot nhung thi va ve voi"
    ).split()
)


def query_words(query: str) -> set[str]:
    """The query's folded words worth marking: its content words, or all if it has none."""
    words = set(folded_tokens(query))
    return (words - STOPWORDS) or words


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def meaningful_sentences(text: str, min_chars: int = MIN_MEANINGFUL) -> list[str]:
    """Sentences that can be weighed by meaning on their own: a heading or list number ("1.8.",
    "Y tế từ xa:") joined to what it introduces, any other short piece to what it ends."""
    out: list[str] = []
    pending = ""
    for sentence in split_sentences(text):
        if pending:
            sentence, pending = f"{pending} {sentence}", ""
        if sentence.endswith(":") or _LIST_NUMBER.fullmatch(sentence):
            pending = sentence
        elif len(sentence) < min_chars and out:
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    if pending:
        out.append(pending)
    return out


def shares_words(text: str, query: str) -> bool:
    """Whether any of the query's content words occurs in ``text`` (accent-insensitively)."""
    return not query_words(query).isdisjoint(folded_tokens(text))


def best_sentences(text: str, query: str, max_chars: int = MAX_CHARS) -> str:
    """The sentence with most query words (ties: earliest), extended by its neighbours to fill."""
    sentences = split_sentences(text) or [text.strip()]
    wanted = query_words(query)
    scores = [len(wanted & set(folded_tokens(s))) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    return around(sentences, best, wanted, max_chars)


def around(
    sentences: Sequence[str], best: int, wanted: set[str] | None = None, max_chars: int = MAX_CHARS
) -> str:
    """Sentence ``best`` extended by the sentences after it while they fit in ``max_chars``."""
    wanted = wanted or set()
    chosen = sentences[best]
    nxt = best + 1
    while nxt < len(sentences) and len(chosen) + len(sentences[nxt]) + 1 <= max_chars:
        chosen = f"{chosen} {sentences[nxt]}"
        nxt += 1
    if len(chosen) > max_chars:
        chosen = _clip_around(chosen, wanted, max_chars)
    return chosen


def _clip_around(sentence: str, wanted: set[str], max_chars: int) -> str:
    """Cut a long sentence to ``max_chars`` around its first matched word."""
    start = 0
    for match in _WORD.finditer(sentence):
        if not wanted.isdisjoint(fold_word(match.group())):
            start = max(0, match.start() - max_chars // 4)
            break
    clipped = sentence[start : start + max_chars]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + max_chars < len(sentence) else ""
    return f"{prefix}{clipped.strip()}{suffix}"


def mark(sentence: str, query: str) -> str:
    """HTML-escape ``sentence`` and wrap words matching the query (accent-insensitively) in <mark>."""
    wanted = query_words(query)
    sentence = unicodedata.normalize("NFC", sentence)
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(sentence):
        if wanted.isdisjoint(fold_word(match.group())):
            continue
        out.append(html.escape(sentence[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    out.append(html.escape(sentence[last:]))
    return "".join(out)


def snippet(text: str, query: str) -> tuple[str, str]:
    """(plain best sentence(s), marked HTML snippet) of ``text`` for ``query``."""
    plain = best_sentences(text, query)
    return plain, mark(plain, query)


def locate_page(
    plain: str, pages: Sequence[tuple[int, str]], page_start: int, page_end: int
) -> int:
    """The page on which ``plain`` stands, found accent-insensitively; ``page_start`` otherwise.

    Pages inside the chunk's span are tried first. A snippet that straddles a page break is placed
    by its first words.
    """
    needle = folded(plain)
    probes = [p for p in (needle, " ".join(needle.split()[:8])) if p]
    ordered = sorted(pages, key=lambda p: (not (page_start <= p[0] <= page_end), p[0]))
    seen: list[tuple[int, str]] = []
    for number, text in ordered:  # fold lazily: the snippet is nearly always in the chunk's span
        seen.append((number, folded(text)))
        if probes and probes[0] in seen[-1][1]:
            return number
    for probe in probes[1:]:
        for number, text in seen:
            if probe in text:
                return number
    return page_start
