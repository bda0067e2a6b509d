"""Whether the embedding model's matrix products run in bfloat16 on this CPU.

Under ``torch.autocast`` only the linear layers and attention products run in bfloat16 (with fp32
accumulation); layer norms, softmax, pooling and normalisation stay fp32. The vectors then differ
from fp32 ones by less than fp32 results differ between processors' kernels, so they keep the
model's fingerprint and mix freely with vectors already in an index. Processors without native
bfloat16 instructions would emulate it, slower than fp32, so ``auto`` uses it only where the CPU
has them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from pathlib import Path

#: CPU flags (as /proc/cpuinfo names them) of native bfloat16 matrix instructions.
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


@lru_cache(maxsize=1)
def native_bf16() -> bool:
    """True when this CPU has native bfloat16 matrix instructions (Linux; elsewhere False)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="ignore")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return not BF16_FLAGS.isdisjoint(line.partition(":")[2].split())
    return False


def use_bf16(precision: str) -> bool:
    """The setting ``embed_precision`` ("auto", "fp32", "bf16") resolved on this machine."""
    return precision == "bf16" or (precision == "auto" and native_bf16())


def autocast(bf16: bool) -> AbstractContextManager[object]:
    """The context a torch encode runs in: bfloat16 autocast, or nothing."""
    if not bf16:
        return nullcontext()
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16)
