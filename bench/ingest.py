"""Ingest throughput under the name issue 15 gives it: ``python -m bench.ingest`` (or ``python
bench/ingest.py``) runs ``bench.ingest_speed``, which prints pages per second for text layers and
OCR and the embedding rates, each beside its baseline from the same run."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent

if __name__ == "ingest":
    # Another bench script run as a file ("python bench/metadata.py") has this folder first on its
    # path, so its ``import ingest`` found this file instead of the package: hand it the package.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
    del sys.modules[__name__]
    importlib.import_module("ingest")
elif __name__ == "__main__":
    if __package__ in (None, ""):  # run as a file: the repository root is not on the path
        sys.path.insert(0, str(_BENCH.parent))
    from bench.ingest_speed import main

    main()
