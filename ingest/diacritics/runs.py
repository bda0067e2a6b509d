"""A line's words decoded in runs: the one loop the restorer, the OCR corrector and the hole
filler share, so that all three give the syllable model the context it was trained on (runs cut
at sentence punctuation, a placeholder for each foreign word, number and comma)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ingest.diacritics.decoder import MAX_RUN, Slot, decode
from ingest.diacritics.model import SyllableModel
from ingest.diacritics.tokens import COMMA, FOREIGN, NUMBER, OPENERS, PLACEHOLDERS, gap_placeholder


@dataclass(frozen=True)
class Word:
    """A word of the line: where it is, what it says, and how it should be treated."""

    start: int
    end: int
    text: str
    kind: str  # "syllable" (Vietnamese-shaped), "garbled", "frozen", "number", "digit" (may be "ở")


def decode_words(
    line: str,
    words: list[Word],
    model: SyllableModel,
    slot_for: Callable[[Word, bool], Slot | None],
    pairs: Mapping[tuple[int, int], float] | None = None,
) -> list[tuple[Word, int]]:
    """Each decoded word with the syllable id chosen for it, decoding the line's syllables in
    runs cut at sentence punctuation.

    ``slot_for(word, named)`` gives a syllable's or garbled word's candidates (None: treat it as a
    foreign word); ``named`` is True for a capitalised word inside a sentence. ``pairs``: see
    ``decode``.
    """
    chosen: list[tuple[Word, int]] = []
    run: list[tuple[Word | None, Slot]] = []
    placeholder_ids = {name: model.index[name] for name in PLACEHOLDERS if name in model.index}

    def fixed(name: str) -> None:
        ident = placeholder_ids.get(name)
        if ident is None:
            flush()
        elif not run or run[-1][1].candidates != (ident,) or name == COMMA:
            run.append((None, Slot((ident,), (0.0,))))

    def flush() -> None:
        if any(word is not None for word, _ in run):
            ids = decode(model, [slot for _, slot in run], pairs)
            chosen.extend((word, i) for (word, _), i in zip(run, ids) if word is not None)
        run.clear()

    previous_end = 0
    inside = False  # is the current word inside a sentence (not its first word)?
    for word in words:
        gap = line[previous_end : word.start]
        effect = gap_placeholder(gap)
        previous_end = word.end
        if effect == "" or any(ch in OPENERS for ch in gap):
            inside = False
        if effect == "":
            flush()
        elif effect:
            fixed(effect)
        slot = None
        if word.kind in ("syllable", "garbled", "digit"):
            named = inside and word.text[:1].isupper() and word.text[1:].islower()
            slot = slot_for(word, named)
        inside = True
        if slot is not None:
            run.append((word, slot))
            if len(run) >= MAX_RUN:
                flush()
        elif word.kind == "number" or (word.kind == "code" and word.text[0].isdigit()):
            fixed(NUMBER)
        else:
            fixed(FOREIGN)
    flush()
    return chosen
