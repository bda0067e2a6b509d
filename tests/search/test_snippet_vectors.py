"""Snippet-sentence vectors as the catalog keeps them: small, and choosing what float32 chooses."""

from __future__ import annotations

import numpy as np
import pytest

from search.snippet_vectors import decode, encode, snippet_sentences


def test_eight_bit_codes_choose_the_same_sentence_as_the_float_vectors() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        sentences = rng.normal(size=(6, 384)).astype(np.float32)
        sentences /= np.linalg.norm(sentences, axis=1, keepdims=True)
        query = rng.normal(size=384).astype(np.float32)
        query /= np.linalg.norm(query)
        scores = sentences @ query
        if np.sort(scores)[-1] - np.sort(scores)[-2] < 0.01:
            continue  # a near tie either way is a fair choice
        stored = encode(sentences)
        assert len(stored) == 6 * (4 + 384)  # a quarter of float32, and a scale per sentence
        assert np.argmax(decode(stored, 384) @ query) == np.argmax(scores)


def test_a_passage_of_one_sentence_stores_nothing_and_a_wrong_dimension_is_refused() -> None:
    assert snippet_sentences("Y tế từ xa cho người bệnh tại nhà qua điện thoại di động.") == []
    assert encode(np.zeros((0, 384), dtype=np.float32)) == b""
    assert decode(b"", 384).shape == (0, 384)
    with pytest.raises(ValueError, match="384 dimensions"):
        decode(encode(np.ones((2, 768), dtype=np.float32)), 384)
