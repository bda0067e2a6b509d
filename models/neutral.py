"""Language-neutral vectors: the model's language-identity directions projected out.

A multilingual encoder adds to every vector a component that says which language the text is in.
Query and passage in the same language share it, so in a mixed archive an unrelated passage in the
query's language outscores the relevant one in another language. That component lives in a few
directions: where the mean vectors of the same sentences in different languages differ (Libovický
et al., "On the Language Neutrality of Pre-trained Multilingual Representations", 2020). Removing
those directions from every query and passage vector (an orthogonal projection, then
renormalisation) keeps what the text says and drops which language says it.

The directions come from a reference set shipped with the product (``models/reference/``: the same
sentences in English, Vietnamese and the partners' languages), never from the corpus: a fixed map
works the same for the seven-document sample and a million passages, and adding a document never
changes the vectors already stored. One projection for every vector, whatever its language, so
code-switched queries ("AI trong chẩn đoán hình ảnh"), unknown languages and mislabelled chunks
need no language guess. The bundled model's measurements ship with it; any other model measures
its own once and caches them in the data directory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
PARALLEL_FILE = REFERENCE_DIR / "parallel.jsonl"
ROLES = ("query", "passage")
#: Languages whose identity directions are removed (codes as ``ingest.language`` names them).
LANGUAGES = ("en", "vi", "fr", "de", "es", "ko", "ja", "zh", "ru")
#: Singular values below this share of the largest carry no language difference, only noise.
RANK_CUTOFF = 1e-3

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class LanguageNeutralizer:
    """An orthogonal projection removing the rows of ``basis`` (orthonormal) from vectors."""

    basis: np.ndarray

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Project, then renormalise, so inner products stay cosines."""
        projected = vectors - (vectors @ self.basis.T) @ self.basis
        norms = np.linalg.norm(projected, axis=-1, keepdims=True)
        return np.ascontiguousarray(projected / np.maximum(norms, 1e-12), dtype=np.float32)

    @property
    def digest(self) -> str:
        """Identifies the map, so an index knows which projection its vectors went through."""
        return hashlib.sha256(np.round(self.basis, 5).tobytes()).hexdigest()[:12]


def fit(
    centroids: dict[str, np.ndarray], languages: Sequence[str] = LANGUAGES
) -> LanguageNeutralizer:
    """The directions in which the languages' mean vectors differ, for queries and passages."""
    differences = []
    for role in ROLES:
        means = np.stack([centroids[f"{role}:{language}"] for language in languages])
        differences.append(means - means.mean(axis=0))
    _, singular, rows = np.linalg.svd(np.concatenate(differences), full_matrices=False)
    keep = singular > RANK_CUTOFF * singular[0]
    return LanguageNeutralizer(np.ascontiguousarray(rows[keep], dtype=np.float32))


def read_parallel(path: Path = PARALLEL_FILE) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def measure_centroids(
    encode_query: Encode, encode_passage: Encode, rows: list[dict[str, str]]
) -> dict[str, np.ndarray]:
    """Mean raw vector of the reference sentences per role and language."""
    out = {}
    for language in LANGUAGES:
        texts = [row[language] for row in rows]
        out[f"query:{language}"] = encode_query(texts).mean(axis=0)
        out[f"passage:{language}"] = encode_passage(texts).mean(axis=0)
    return out


def centroids_file(folder: Path, fingerprint: str) -> Path:
    return folder / f"centroids-{fingerprint}.npz"


def save_centroids(folder: Path, fingerprint: str, centroids: dict[str, np.ndarray]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = centroids_file(folder, fingerprint)
    tmp = path.with_suffix(".part.npz")
    arrays: dict[str, np.ndarray] = {k.replace(":", "__"): v for k, v in centroids.items()}
    np.savez(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(path)
    return path


def load_centroids(folder: Path, fingerprint: str) -> dict[str, np.ndarray] | None:
    path = centroids_file(folder, fingerprint)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            centroids = {key.replace("__", ":"): data[key] for key in data.files}
    except (OSError, ValueError):  # a damaged cache is measured again
        return None
    wanted = {f"{role}:{language}" for role in ROLES for language in LANGUAGES}
    return centroids if wanted <= set(centroids) else None


def neutralizer_for(
    fingerprint: str, cache_dir: Path, encode_query: Encode, encode_passage: Encode
) -> LanguageNeutralizer:
    """The model's map: shipped measurements, else cached ones, else measured now and cached."""
    centroids = load_centroids(REFERENCE_DIR, fingerprint) or load_centroids(cache_dir, fingerprint)
    if centroids is None:
        centroids = measure_centroids(encode_query, encode_passage, read_parallel())
        save_centroids(cache_dir, fingerprint, centroids)
    return fit(centroids)
