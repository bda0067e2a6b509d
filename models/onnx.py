"""The same model through ONNX Runtime with int8 weights: the fast runtime for ingest and queries.

On these CPUs (AVX-512 VNNI) an int8 matrix product is several times cheaper than an fp32 one, and
ONNX Runtime fuses attention and layer norms that PyTorch's eager mode runs op by op. The BERT of
a sentence-transformers folder is exported once (``torch.onnx.export``), its linear layers are
quantised dynamically (int8 weights, per channel; activations quantised per batch at run time),
except each layer's feed-forward output (``FP32_NODES``), and
the file is cached in the data directory's models folder under the raw model's fingerprint, so a
changed model is exported again and never mixed up with an old export.

Int8 vectors are close to the fp32 ones but not equal, so they carry their
own fingerprint (``RUNTIME`` appended): an index built with one runtime is rebuilt for the other.
Only folders whose pipeline is Transformer, mean pooling and normalisation are exported; anything
else stays on sentence-transformers.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

#: Name of this runtime, appended to the raw fingerprint of vectors it makes.
RUNTIME = "onnx-int8"
#: Matrix products left in fp32: the feed-forward outputs, whose inputs (after GELU) have outliers
#: that per-batch int8 activations flatten; quantising them too is ~25% faster but moves passage
#: vectors to cosine 0.995 (min 0.982 on real chunks) of the fp32 ones instead of 0.999.
FP32_NODES = "/output/dense/"
#: Bumped whenever the export or quantisation changes, so an older cached file is not reused.
EXPORT_VERSION = 2
#: Texts per ONNX run: sorted by length first, so a batch pads to about its own length.
BATCH = 16
_POOLING_MODULES = ("Transformer", "Pooling", "Normalize")
#: Disk the export needs at its peak, in fp32 model sizes: the fp32 file, the shape-inferred copy
#: the quantiser writes beside it, and the int8 result.
_EXPORT_PEAK = 2.5


class NoRoomToExport(OSError):
    """The cache folder's disk cannot hold the export: said before a large file is half-written."""


def available() -> bool:
    """True when onnxruntime (and onnx, for the export) are installed."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def exportable(folder: Path) -> bool:
    """True for a local sentence-transformers folder of a transformer with mean pooling."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    kinds = tuple(str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules)
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    return kinds == _POOLING_MODULES and modes == {"pooling_mode_mean_tokens"}


def ensure_onnx_model(model: object, cache_dir: Path, fingerprint: str) -> Path:
    """The int8 ONNX file of ``model`` (a loaded SentenceTransformer), exporting it if missing.

    Written in a temporary sibling folder and renamed into place, like the converted model.
    """
    target = cache_dir / f"onnx-{fingerprint}-v{EXPORT_VERSION}" / "model-int8.onnx"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    needed = int(_EXPORT_PEAK * 4 * _parameters(model))
    free = shutil.disk_usage(cache_dir).free
    if free < needed:
        raise NoRoomToExport(
            f"exporting the model to ONNX needs about {needed >> 20} MiB free in {cache_dir}, "
            f"and {free >> 20} MiB are"
        )
    tmp = Path(tempfile.mkdtemp(prefix=f".onnx-{fingerprint}-", dir=cache_dir))
    try:
        _export(model, tmp / "model.onnx")
        _quantize(tmp / "model.onnx", tmp / "model-int8.onnx")
        (tmp / "model.onnx").unlink()
        try:
            tmp.rename(target.parent)
        except OSError:  # another process finished first: keep theirs
            if not target.exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _parameters(model: object) -> int:
    bert = model[0].auto_model  # type: ignore[index]
    return sum(int(p.numel()) for p in bert.parameters())


def _export(model: object, path: Path) -> None:
    import torch

    bert = model[0].auto_model.eval()  # type: ignore[index]

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden: torch.Tensor = self.bert(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state
            return hidden

    sample = model.tokenizer(["passage: a b", "query: c"], padding=True, return_tensors="pt")  # type: ignore[attr-defined]
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            LastHidden(),
            (sample["input_ids"], sample["attention_mask"]),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )


def _quantize(source: Path, target: Path) -> None:
    import onnx as onnx_format
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx_format.load(str(source), load_external_data=False).graph
    keep = [
        node.name
        for node in graph.node
        if node.op_type == "MatMul" and FP32_NODES in node.name and "attention" not in node.name
    ]
    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=keep,
    )


class OnnxEncoder:
    """Mean-pooled, normalised embeddings from an ONNX file; ``encode`` as sentence-transformers'."""

    def __init__(
        self, path: Path, tokenizer: object, max_length: int, prompts: dict[str, str]
    ) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = min(os.cpu_count() or 1, 8)
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.prompts = prompts
        self.path = path
        self._dimension = int(self._session.get_outputs()[0].shape[-1])

    def get_sentence_embedding_dimension(self) -> int:
        return self._dimension

    def encode(self, texts: list[str], **_: object) -> np.ndarray:
        """Normalised float32 vectors, one row per text, in the order given (``BATCH`` a run)."""
        batch_size = BATCH
        order = np.argsort([-len(text) for text in texts], kind="stable")
        out = np.zeros((len(texts), self.get_sentence_embedding_dimension()), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            encoded = self.tokenizer(  # type: ignore[operator]
                [texts[i] for i in rows],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="np",
            )
            mask = encoded["attention_mask"].astype(np.int64)
            (hidden,) = self._session.run(
                None, {"input_ids": encoded["input_ids"].astype(np.int64), "attention_mask": mask}
            )
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out
