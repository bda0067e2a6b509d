"""What several benchmarks share: synthetic archives, cheap passage vectors, latency percentiles.

Latency and freshness depend on how many vectors and postings an archive holds, not on what the
vectors mean, so the big synthetic archives get pseudo-random passage vectors (or real ones with
noise) while every query is embedded for real.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
from collections.abc import Sequence
from typing import Any, Self

import numpy as np

from catalog import Chunk, DocumentMetadata, NewDocument, Page
from models import Embedder


class SyntheticPassages(Embedder):
    """Real query embeddings; passages get deterministic pseudo-random unit vectors."""

    def __init__(self, inner: Embedder) -> None:
        self.__dict__.update(inner.__dict__)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            out[i] = np.random.default_rng(seed).standard_normal(self.dimension)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


def reshuffled(paragraphs: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """``count`` passages of six sentences drawn from ``paragraphs``: text that reads like the
    corpus (real words, real lengths) without repeating any passage."""
    sentences = [s for p in paragraphs for s in p.replace("\n", " ").split(". ") if len(s) > 20]
    return [" ".join(rng.sample(sentences, 6)) for _ in range(count)]


def text_document(
    key: str, texts: Sequence[str], doc_type: str | None = None, bilingual: bool = False
) -> NewDocument:
    """A document of one page per passage; ``bilingual`` alternates English and Vietnamese
    passages, as a mixed archive holds both."""
    languages = ["vi", "en"] if bilingual else ["vi"]
    return NewDocument(
        source_key=key,
        source_name=f"{key}.pdf",
        content_hash=key,
        kind="pdf",
        stored_file=key,
        size_bytes=1,
        metadata=DocumentMetadata(title=key, doc_type=doc_type, languages=languages),
        pages=[Page(i + 1, t, "text") for i, t in enumerate(texts)],
        chunks=[
            Chunk(i, t, "", i + 1, i + 1, language=languages[(i + 1) % len(languages)])
            for i, t in enumerate(texts)
        ],
    )


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """Count, median, 95th percentile and maximum of latencies in milliseconds."""
    arr = np.asarray(samples)
    return {
        "n": len(samples),
        "p50_ms": round(float(np.percentile(arr, 50)), 1),
        "p95_ms": round(float(np.percentile(arr, 95)), 1),
        "max_ms": round(float(arr.max()), 1),
    }


class Databases:
    """Databases made for the run on a PostgreSQL server (a private one when no URL is given),
    dropped at the end."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.made: list[str] = []
        self._server: Any = None
        self._admin: Any = None

    def __enter__(self) -> Self:
        if self.url is None:
            return self
        if not self.url:
            import pgserver

            self._server = pgserver.get_server(
                tempfile.mkdtemp(prefix="hoptac-bench-pg-"), cleanup_mode="delete"
            )
            self.url = str(self._server.get_uri())
        import psycopg

        self._admin = psycopg.connect(self.url, autocommit=True)
        return self

    def new(self) -> str:
        assert self._admin is not None and self.url
        name = f"hoptac_bench_{len(self.made) + 1}"
        self._admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin.execute(f"CREATE DATABASE {name}")
        self.made.append(name)
        base, _, query = self.url.partition("?")
        return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")

    def __exit__(self, *_: object) -> None:
        if self._admin is not None:
            for name in self.made:
                self._admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self._admin.close()
        if self._server is not None:
            self._server.cleanup()
