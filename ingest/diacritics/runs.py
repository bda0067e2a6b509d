"""A line's words decoded in runs: the one loop the restorer, the OCR corrector and the hole
filler share, so that all three give the syllable model the context it was trained on (runs cut
at sentence punctuation, a placeholder for each foreign word, number and comma)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from hoptac.vietnamese import SLASH_ABBREVIATIONS
from ingest.diacritics.decoder import BEAM, MAX_RUN, Slot, decode
from ingest.diacritics.model import SyllableModel
from ingest.diacritics.tokens import COMMA, FOREIGN, NUMBER, OPENERS, PLACEHOLDERS, gap_placeholder


@dataclass(frozen=True)
class Word:
    """A word of the line: where it is, what it says, and how it should be treated."""

    start: int
    end: int
    text: str
    #: "syllable" (Vietnamese-shaped), "garbled", "frozen", "number", "digit" (may be "ở"),
    #: "abbreviation" (read as its words, written as it is)
    kind: str


@dataclass(frozen=True)
class Phrases:
    """Pairs of syllables a document writes next to each other, each with a bonus for choosing
    the second right after the first (``decode``); ``after`` and ``before``: for each syllable,
    the ones it pairs with, so that a word whose own candidates miss a phrase's other half can be
    offered it where its neighbour may be the first (``decode_words``)."""

    bonus: Mapping[tuple[int, int], float]
    after: Mapping[int, frozenset[int]]
    before: Mapping[int, frozenset[int]]

    @classmethod
    def of(cls, bonus: Mapping[tuple[int, int], float]) -> Phrases:
        after: dict[int, set[int]] = {}
        before: dict[int, set[int]] = {}
        for a, b in bonus:
            after.setdefault(a, set()).add(b)
            before.setdefault(b, set()).add(a)
        return cls(
            bonus,
            {a: frozenset(bs) for a, bs in after.items()},
            {b: frozenset(as_) for b, as_ in before.items()},
        )

    def partners(self, previous: Slot | None, following: Slot | None) -> set[int]:
        """The syllables that make a phrase with a likely reading of either neighbour."""
        return _partners(self.after, self.before, previous, following)


def _partners(
    after: Mapping[int, frozenset[int]],
    before: Mapping[int, frozenset[int]],
    previous: Slot | None,
    following: Slot | None,
) -> set[int]:
    found: set[int] = set()
    for slot, halves in ((previous, after), (following, before)):
        if slot is not None:
            for i in _likeliest(slot):
                found |= halves.get(i, frozenset())
    return found


def _pair_partners(
    calls: Mapping[int, frozenset[int]], model: SyllableModel, pair: list[Slot]
) -> set[int]:
    """The syllables that likely readings of two neighbouring words nearly call for (``calls``:
    ``SyllableModel.follows_pair`` for the two before, ``precedes_pair`` for the two after)."""
    found: set[int] = set()
    for u in _likeliest(pair[0]):
        for v in _likeliest(pair[1]):
            found |= calls.get(u * model.size + v, frozenset())
    return found


#: How many of a neighbour's likeliest readings may call for a phrase's other half.
_NEIGHBOUR_READINGS = 2


def _likeliest(slot: Slot) -> list[int]:
    ranked = sorted(zip(slot.bonus, slot.candidates), reverse=True)
    return [i for _, i in ranked[:_NEIGHBOUR_READINGS]]


def decode_words(
    line: str,
    words: list[Word],
    model: SyllableModel,
    slot_for: Callable[[Word, bool], Slot | None],
    phrases: Phrases | None = None,
    widen: Callable[[Word, bool, frozenset[int]], Slot | None] | None = None,
    beam_width: int = BEAM,
) -> list[tuple[Word, int]]:
    """Each decoded word with the syllable id chosen for it, decoding the line's syllables in
    runs cut at sentence punctuation.

    ``slot_for(word, named)`` gives a syllable's or garbled word's candidates (None: treat it as a
    foreign word); ``named`` is True for a capitalised word inside a sentence. ``phrases``: the
    document's own pairs (``Phrases``); ``widen(word, named, partners)`` gives the word's slot
    again, reaching further for ``partners``, the syllables that make a phrase with a neighbour.
    ``beam_width``: see ``decoder.DEBRIS_BEAM``. A garbled word is offered the model's collocations
    with its neighbours as well (``SyllableModel.follows``).
    """
    chosen: list[tuple[Word, int]] = []
    run: list[tuple[Word | None, Slot, bool]] = []
    placeholder_ids = {name: model.index[name] for name in PLACEHOLDERS if name in model.index}

    def fixed(name: str) -> None:
        ident = placeholder_ids.get(name)
        if ident is None:
            flush()
        elif not run or run[-1][1].candidates != (ident,) or name == COMMA:
            run.append((None, Slot((ident,), (0.0,)), False))

    def slots() -> list[Slot]:
        found = [slot for _, slot, _ in run]
        if widen is None:
            return found
        wider = list(found)
        for k, (word, slot, named) in enumerate(run):
            if word is None:
                continue
            previous = found[k - 1] if k else None
            following = found[k + 1] if k + 1 < len(found) else None
            partners = phrases.partners(previous, following) if phrases else set()
            if word.kind != "syllable":
                # A garbled word may also be the other half of a collocation ("d€ nghiCn ctnr":
                # cứu after nghiên; "tháng 02 ndan": năm after "tháng <n>"; "Ouyét dinh 56":
                # quyết before "định số"); a well-formed one keeps to its own letters ("kinh"
                # stays kính, not the lệnh of "pháp lệnh").
                partners |= _partners(model.follows, model.precedes, previous, following)
                if k >= 2:
                    partners |= _pair_partners(model.follows_pair, model, found[k - 2 : k])
                if k + 2 < len(found):
                    partners |= _pair_partners(model.precedes_pair, model, found[k + 1 : k + 3])
            partners -= set(slot.candidates)
            if partners:
                wider[k] = widen(word, named, frozenset(partners)) or slot
        return wider

    def flush() -> None:
        if any(word is not None for word, _, _ in run):
            ids = decode(model, slots(), phrases.bonus if phrases else None, beam_width)
            chosen.extend((word, i) for (word, _, _), i in zip(run, ids) if word is not None)
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
            run.append((word, slot, named))
            if len(run) >= MAX_RUN:
                flush()
        elif word.kind == "abbreviation":
            for syllable in SLASH_ABBREVIATIONS[word.text.lower()].split():
                ident = model.index.get(syllable)
                if ident is None:
                    fixed(FOREIGN)
                else:
                    run.append((None, Slot((ident,), (0.0,)), False))
        elif word.kind == "number" or (word.kind == "code" and word.text[0].isdigit()):
            fixed(NUMBER)
        else:
            fixed(FOREIGN)
    flush()
    return chosen
