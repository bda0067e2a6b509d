"""The persistent lexical index scores exactly as a bm25s index rebuilt over the live passages,
however they arrived: in segments, with deletions masked, merged, saved and mapped back."""

from __future__ import annotations

import json
import math
from pathlib import Path

import bm25s
import numpy as np
import pytest

from search.lexical import (
    LexicalIndex,
    Segment,
    accented_tokens,
    exact_share,
    exact_tokens,
    folded,
    folded_tokens,
)

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "xquad-dev-mixed"
SENTENCES = [
    "Hòa bình và hợp tác quốc tế trong lĩnh vực y tế.",
    "Hoa binh va hop tac quoc te trong linh vuc y te.",
    "Bệnh viện Bạch Mai hội chẩn từ xa với các tỉnh.",
    "International cooperation in health care and telemedicine.",
    "Kế hoạch đào tạo bác sĩ gia đình năm 2025 của Sở Y tế Hà Nội.",
    "The plan trains family doctors; y tế cơ sở is primary care.",
]
QUERIES = ["hợp tác y tế", "hop tac quoc te", "family doctors", "Bạch Mai", "y tế y tế", "zzz"]


def _texts(n: int) -> list[str]:
    rng = np.random.default_rng(5)
    return [" ".join(rng.choice(SENTENCES, size=int(rng.integers(1, 5)))) for _ in range(n)]


def bm25s_scores(texts: list[str], query: str) -> np.ndarray:
    """What the engine scored before: bm25s over folded text, divided by the query's IDF mass."""
    corpus = bm25s.tokenize(
        [folded(t) for t in texts],
        lower=False,
        token_pattern=r"(?u)\b\w+\b",
        stopwords=None,
        show_progress=False,
    )
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    tokens = folded_tokens(query)
    known = [t for t in tokens if t in index.vocab_dict]
    if not known:
        return np.zeros(len(texts), dtype=np.float32)
    raw = np.asarray(index.get_scores(known), dtype=np.float32)
    indptr, n = index.scores["indptr"], float(index.scores["num_docs"])
    bound = 0.0
    for t in tokens:
        column = index.vocab_dict.get(t)
        df = 0.0 if column is None else float(indptr[column + 1] - indptr[column])
        bound += math.log(1 + (n - df + 0.5) / (df + 0.5))
    return raw / bound


@pytest.mark.skipif(not EVAL.exists(), reason="the shared dev sets are not here")
def test_scores_equal_bm25s_on_the_dev_corpus() -> None:
    rows = [json.loads(line) for line in (EVAL / "corpus.jsonl").read_text().splitlines()][:600]
    texts = [str(r["text"]) for r in rows]
    index = LexicalIndex.build(list(range(1, len(texts) + 1)), texts)
    for query in QUERIES + [texts[3][:60], texts[100][:80]]:
        assert np.allclose(index.scores(query), bm25s_scores(texts, query), atol=1e-5), query


def test_segments_with_deletions_score_as_a_rebuild_over_the_survivors(tmp_path: Path) -> None:
    texts = _texts(300)
    ids = list(range(1, 301))
    old = Segment.build(ids[:200], [1] * 200, [folded_tokens(t) for t in texts[:200]])
    new = Segment.build(ids[200:], [2] * 100, [folded_tokens(t) for t in texts[200:]])
    dead = np.zeros(200, dtype=bool)
    dead[::3] = True
    survivors = [t for i, t in enumerate(texts) if not (i < 200 and dead[i])]
    old.save(tmp_path / "old")
    mapped = Segment.load(tmp_path / "old")
    segmented = LexicalIndex([mapped, new], [dead, np.zeros(100, dtype=bool)])
    merged = LexicalIndex([Segment.merge([(old, ~dead), (new, np.ones(100, dtype=bool))])])
    for query in QUERIES:
        expected = bm25s_scores(survivors, query)
        assert np.allclose(segmented.scores(query)[segmented.live], expected, atol=1e-5)
        assert np.allclose(merged.scores(query), expected, atol=1e-5)
        assert not segmented.scores(query)[~segmented.live].any()
    assert list(merged.ids) == [i for i in ids if not (i <= 200 and dead[i - 1])]
    assert set(merged.docs) == {1, 2}


def test_exact_share_counts_the_accented_query_words_standing_as_words() -> None:
    texts = _texts(50) + ["hòa bìnhxyz tế", "HÒA BÌNH", "(hòa)"]
    query = "hòa bình y tế"
    wanted = set(accented_tokens(query))
    expected = [len(wanted & set(exact_tokens(t))) / len(wanted) for t in texts]
    assert np.allclose(exact_share(query, texts), expected)
