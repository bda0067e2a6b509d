"""Lexical matching, fusion weights, snippets and grouping: the pure parts, no model needed."""

from __future__ import annotations

import re

import numpy as np

from hoptac.vietnamese import fold
from search.fusion import Candidates, FusionWeights, fuse, lexical_weights, profile_query
from search.grouping import group_by_document
from search.lexical import LexicalIndex, accented_tokens, exact_share, folded
from search.snippets import locate_page, mark, snippet

TEXTS = [
    "Hòa bình và hợp tác quốc tế trong lĩnh vực y tế.",
    "Hoa binh va hop tac quoc te trong linh vuc y te.",
    "Bình hoa đặt trên bàn làm việc của giám đốc sở.",
    "International cooperation in health care.",
]


def test_unaccented_query_scores_accented_and_stripped_text_alike() -> None:
    index = LexicalIndex.build([10, 11, 12, 13], TEXTS)
    scores = index.scores("hop tac quoc te")
    assert scores[0] == scores[1] > 0
    assert scores[2] == 0 and scores[3] == 0


def test_accented_words_found_verbatim_only_in_the_accented_text() -> None:
    assert accented_tokens("hòa bình y tế") == ["hòa", "bình", "tế"]
    share = exact_share("hòa bình y tế", TEXTS)
    assert share[0] == 1.0 and share[1] == 0.0
    assert 0 < share[2] < 1  # "bình" only
    assert not exact_share("hoa binh", TEXTS).any()


def test_lexical_scores_are_a_share_of_the_query_weight() -> None:
    index = LexicalIndex.build([1, 2, 3, 4], TEXTS)
    full = index.scores("hợp tác quốc tế")
    partial = index.scores("hợp tác quốc tế Panthers touchdown")
    assert 0 < full.max() <= 1.0
    assert partial.max() < full.max()  # words the collection lacks lower the share


def _candidates(languages: list[str], stripped: list[bool], exact: list[float]) -> Candidates:
    n = len(languages)
    return Candidates(
        ids=np.arange(n),
        dense=np.full(n, 0.8, dtype=np.float32),
        lexical=np.full(n, 0.9, dtype=np.float32),
        exact=np.asarray(exact, dtype=np.float32),
        languages=list(languages),
        stripped=np.asarray(stripped),
        restored=np.zeros(n, dtype=bool),
    )


def test_lexical_evidence_depends_on_language_and_accents() -> None:
    weights = FusionWeights(
        same_language=0.2, cross_language=0.0, stripped_candidate=0.6, unaccented_query=0.5
    )
    cands = _candidates(["vi", "en", "vi"], [False, False, True], [0.0, 0.0, 0.0])
    english = lexical_weights(profile_query("health cooperation plan", "en"), cands, weights)
    assert list(english) == [0.0, 0.2, 0.0]
    vietnamese = lexical_weights(profile_query("kế hoạch hợp tác", "vi"), cands, weights)
    assert list(np.round(vietnamese, 3)) == [0.2, 0.0, 0.6]
    unaccented = lexical_weights(profile_query("ke hoach hop tac", "vi"), cands, weights)
    assert list(np.round(unaccented, 3)) == [0.5, 0.0, 0.6]


def test_exact_accent_match_outranks_its_stripped_copy_at_equal_similarity() -> None:
    cands = _candidates(["vi", "vi"], [False, True], [1.0, 0.0])
    scores = fuse(profile_query("hòa bình", "vi"), cands)
    assert scores[0] > scores[1]


def test_snippet_picks_the_matching_sentence_and_marks_it_safely() -> None:
    text = "Mở đầu về kế hoạch. Hội chẩn <từ xa> với Bạch Mai & Huế. Phần cuối."
    plain, marked = snippet(text, "hoi chan tu xa")
    assert plain.startswith("Hội chẩn")
    assert marked.startswith(
        "<mark>Hội</mark> <mark>chẩn</mark> &lt;<mark>từ</mark> <mark>xa</mark>&gt;"
    )
    assert "&amp;" in marked
    assert mark("Ke hoach hop tac", "kế hoạch") == "<mark>Ke</mark> <mark>hoach</mark> hop tac"


def test_page_is_found_accent_insensitively() -> None:
    pages = [(1, "Trang mot."), (2, "Noi dung ve hoi chan tu xa giua cac benh vien."), (3, "Het.")]
    assert locate_page("Nội dung về hội chẩn từ xa", pages, 1, 3) == 2
    assert locate_page("không có ở đâu", pages, 1, 3) == 1


def test_grouping_keeps_two_hits_per_document_best_first() -> None:
    ranked = [1, 2, 3, 4, 5]
    document_of = {1: 7, 2: 7, 3: 7, 4: 8, 5: 7}
    assert group_by_document(ranked, document_of) == [1, 2, 4]


def test_word_by_word_folding_agrees_with_ingest_fold() -> None:
    text = "Hợp tác quốc tế, Đà Nẵng & Huế: “Bệnh viện Bạch Mai” (2025) — Thủy, khỏe."
    assert folded(text) == " ".join(re.findall(r"\w+", fold(text)))
    assert folded(text) == "hop tac quoc te da nang hue benh vien bach mai 2025 thuy khoe"
