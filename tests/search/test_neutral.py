"""The language-neutral map: what it removes, what it keeps, and where its measurements come from."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.neutral import LANGUAGES, ROLES, fit, neutralizer_for, read_parallel

DIM = 16


def centroids_with_language_axis(axis: np.ndarray) -> dict[str, np.ndarray]:
    """Reference means that differ between languages only along ``axis``."""
    shared = np.ones(DIM) / np.sqrt(DIM)
    return {
        f"{role}:{language}": shared + (n - 4) * axis
        for role in ROLES
        for n, language in enumerate(LANGUAGES)
    }


def test_the_language_direction_is_removed_and_meaning_kept() -> None:
    axis = np.eye(DIM)[3]
    neutral = fit(centroids_with_language_axis(axis))
    assert neutral.basis.shape == (1, DIM)
    meaning = np.eye(DIM)[7]
    vietnamese = (meaning + 0.8 * axis)[None, :]
    english = (meaning - 0.8 * axis)[None, :]
    a, b = neutral.apply(vietnamese), neutral.apply(english)
    assert np.allclose(a, b, atol=1e-6)
    assert np.isclose(float(np.linalg.norm(a)), 1.0)
    assert np.allclose(neutral.apply(a), a, atol=1e-6)  # applying twice changes nothing


def test_the_map_is_identified_by_its_digest() -> None:
    first = fit(centroids_with_language_axis(np.eye(DIM)[3]))
    again = fit(centroids_with_language_axis(np.eye(DIM)[3]))
    other = fit(centroids_with_language_axis(np.eye(DIM)[5]))
    assert first.digest == again.digest != other.digest


def test_another_model_measures_its_directions_once_and_caches_them(tmp_path: Path) -> None:
    calls: list[int] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        rng = np.random.default_rng(len(texts[0]))
        return rng.normal(size=(len(texts), DIM)).astype(np.float32)

    first = neutralizer_for("some-other-model", tmp_path, encode, encode)
    measured = len(calls)
    assert measured == 2 * len(LANGUAGES)
    again = neutralizer_for("some-other-model", tmp_path, encode, encode)
    assert len(calls) == measured and again.digest == first.digest


def test_the_bundled_model_ships_its_measurements() -> None:
    shipped = list((Path(__file__).resolve().parents[2] / "models" / "reference").glob("*.npz"))
    assert shipped, "run scripts/build_reference.py"
    assert len(read_parallel()) >= 200
