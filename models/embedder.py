"""The sentence embedder the search engine uses: loaded once, offline, with the right prompts.

E5 models expect ``query: `` / ``passage: `` prefixes and lose quality without them, while other
models would be hurt by them; the choice is made here, once, and exposed (``prompts``) so the index
can store how its vectors were made.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hoptac.errors import ModelUnavailable
from hoptac.settings import Settings
from models import onnx, precision
from models.convert import BUNDLED_NAME, PASSAGE_PROMPT, QUERY_PROMPT, ensure_bundled_model
from models.neutral import LanguageNeutralizer, neutralizer_for

#: Runtimes that make the raw vectors: sentence-transformers in fp32, or ONNX Runtime in int8.
TORCH = "torch"
RUNTIMES = (TORCH, onnx.RUNTIME)
#: Environment variable that picks the runtime.
RUNTIME_VARIABLE = "HOPTAC_EMBED_RUNTIME"
#: fp32 until the int8 runtime is shown to keep every dev retrieval pair within 0.005 MRR.
DEFAULT_RUNTIME = TORCH
#: Texts per forward pass. Sentence-transformers sorts texts by length, so a smaller batch pads
#: less; that pays in bfloat16, where padding is a larger share of the work.
BATCH = 32
BF16_BATCH = 16

_PROBES = ("Hợp tác quốc tế trong lĩnh vực y tế", "international cooperation in health care")


@dataclass(frozen=True)
class Prompts:
    """Prefixes added to queries and passages before embedding ("" when the model wants none)."""

    query: str
    passage: str


class Embedder:
    """Normalised float32 embeddings of queries and passages from one sentence-transformers model.

    With a ``neutralizer`` the vectors are language-neutral (``models/neutral.py``): that is what
    the search index stores and compares; without one they are the model's own.
    """

    def __init__(
        self,
        model: object,
        name: str,
        prompts: Prompts,
        fingerprint: str,
        neutralizer: LanguageNeutralizer | None = None,
        bf16: bool = False,
    ) -> None:
        self._model = model
        #: Matrix products in bfloat16 (``models/precision.py``); torch models only.
        self.bf16 = bf16
        self._lock = threading.Lock()
        self.name = name
        self.prompts = prompts
        self.dimension = int(_dimension(model))
        self.fingerprint = fingerprint
        self.neutralizer = neutralizer

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._neutral(self._encode([self.prompts.query + t for t in texts]))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._neutral(self._encode([self.prompts.passage + t for t in texts]))

    def _neutral(self, vectors: np.ndarray) -> np.ndarray:
        return vectors if self.neutralizer is None else self.neutralizer.apply(vectors)

    def with_neutralizer(self, neutralizer: LanguageNeutralizer | None) -> Embedder:
        """The same loaded model producing vectors through another map (no reload)."""
        other = copy.copy(self)
        base = self.fingerprint.split("+", 1)[0]
        other.neutralizer = neutralizer
        other.fingerprint = base if neutralizer is None else f"{base}+{neutralizer.digest}"
        return other

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock, precision.autocast(self.bf16):  # torch modules are not re-entrant
            vectors = self._model.encode(  # type: ignore[attr-defined]
                texts,
                batch_size=BF16_BATCH if self.bf16 else BATCH,
                normalize_embeddings=True,
                convert_to_numpy=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _dimension(model: object) -> int:
    getter = getattr(model, "get_embedding_dimension", None)
    getter = getter or model.get_sentence_embedding_dimension  # type: ignore[attr-defined]
    return int(getter())


def model_location(settings: Settings) -> str:
    """The folder (or cached model name) the settings select; the bundled model by default."""
    if settings.model:
        return settings.model
    return str(ensure_bundled_model(settings.models_dir))


def load_embedder(settings: Settings, runtime: str | None = None) -> Embedder:
    """The configured model with its language-neutral map (unless settings turn it off)."""
    raw = load_raw_embedder(settings, runtime)
    if not settings.language_neutral:
        return raw
    neutralizer = neutralizer_for(
        raw.fingerprint, settings.models_dir, raw.embed_queries, raw.embed_passages
    )
    return raw.with_neutralizer(neutralizer)


def load_raw_embedder(settings: Settings, runtime: str | None = None) -> Embedder:
    """Load the configured model without any network access; raise ModelUnavailable if absent.

    ``runtime`` (default: ``$HOPTAC_EMBED_RUNTIME``, else ``DEFAULT_RUNTIME``) picks what computes
    the vectors; ``onnx-int8`` is used where onnxruntime is installed and the model is a
    mean-pooled transformer folder, and its vectors have their own fingerprint (``models/onnx.py``).
    """
    runtime = runtime or os.environ.get(RUNTIME_VARIABLE) or DEFAULT_RUNTIME
    if runtime not in RUNTIMES:
        raise ModelUnavailable(f"unknown embedding runtime {runtime!r}; use one of {RUNTIMES}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    location = model_location(settings)
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        model = SentenceTransformer(
            location,
            device="cpu",
            local_files_only=True,
            model_kwargs={"dtype": torch.float32},
        )
    except Exception as exc:  # any failure here means: the model is not usable offline
        raise ModelUnavailable(
            f"cannot load the embedding model {location!r} offline ({exc}); set HOPTAC_MODEL to a "
            "local sentence-transformers folder, or leave it empty for the bundled model"
        ) from exc
    prompts = _choose_prompts(location, model)
    name = Path(location).name if Path(location).is_dir() else location
    embedder = Embedder(model, name, prompts, fingerprint="")
    object.__setattr__(embedder, "fingerprint", _fingerprint(location, embedder))
    embedder.bf16 = precision.use_bf16(settings.embed_precision)
    if runtime == onnx.RUNTIME and onnx.available() and onnx.exportable(Path(location)):
        # The bundled model's export sits beside its conversion (the data directory's models
        # folder, or a shared one where the conversion is shared); any other model's in ours.
        folder = Path(location)
        cache = folder.parent if folder.name == BUNDLED_NAME else settings.models_dir
        return _onnx_embedder(embedder, cache)
    return embedder


def _onnx_embedder(embedder: Embedder, cache: Path) -> Embedder:
    """The same model through ONNX Runtime in int8, exported once into ``cache``."""
    model = embedder._model
    try:
        path = onnx.ensure_onnx_model(model, cache, embedder.fingerprint)
        encoder = onnx.OnnxEncoder(
            path,
            model.tokenizer,  # type: ignore[attr-defined]
            int(model.max_seq_length),  # type: ignore[attr-defined]
            dict(getattr(model, "prompts", {}) or {}),
        )
    except Exception as exc:
        raise ModelUnavailable(
            f"cannot run the embedding model through ONNX Runtime ({exc}); set "
            f"{RUNTIME_VARIABLE}={TORCH} to use sentence-transformers instead"
        ) from exc
    fingerprint = f"{embedder.fingerprint}-{onnx.RUNTIME}"
    return Embedder(encoder, embedder.name, embedder.prompts, fingerprint)


def _choose_prompts(location: str, model: object) -> Prompts:
    """The model's own saved prompts if it has them, E5 prefixes for E5-like names, else none."""
    saved = getattr(model, "prompts", None) or {}
    if "query" in saved or "passage" in saved:
        return Prompts(saved.get("query", ""), saved.get("passage", saved.get("document", "")))
    if "e5" in Path(location).name.lower():
        return Prompts(QUERY_PROMPT, PASSAGE_PROMPT)
    return Prompts("", "")


def _fingerprint(location: str, embedder: Embedder) -> str:
    """Hash of the weights files (cheap: sizes + first and last MiB) or, failing that, of probes.

    Two folders holding the same weights share a fingerprint; any retrained or other model differs.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps([embedder.prompts.query, embedder.prompts.passage]).encode())
    folder = Path(location)
    weights = sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))
    if folder.is_dir() and weights:
        for path in weights:
            size = path.stat().st_size
            digest.update(f"{path.name}:{size}".encode())
            with path.open("rb") as fh:
                digest.update(fh.read(1 << 20))
                fh.seek(max(0, size - (1 << 20)))
                digest.update(fh.read(1 << 20))
    else:
        probes = embedder.embed_passages(list(_PROBES))
        digest.update(np.round(probes, 2).tobytes())
    return digest.hexdigest()[:16]
