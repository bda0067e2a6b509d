"""The benchmarks issue 15 names by file, run the ways a reader of the issue would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "bench.ingest"],
        ["bench/ingest.py"],
        ["-m", "bench.metadata"],
        # A bench file run directly has bench/ first on its path, where bench/ingest.py would
        # stand for the ingest package.
        ["bench/metadata.py"],
    ],
)
def test_the_named_benchmarks_start_as_modules_and_as_files(command: list[str]) -> None:
    done = _run([*command, "--help"])
    assert done.stdout.startswith("usage:")


def test_the_folding_benchmark_runs_a_round() -> None:
    """``bench.fold`` clears the caches it times; it once cleared one that had moved away."""
    done = _run(["-m", "bench.fold", "--rounds", "1"])
    assert "folded_tokens, warm cache" in done.stdout


def _run(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """A benchmark run as a reader of the issue runs it, from the repository root; it must exit 0."""
    done = subprocess.run(
        [sys.executable, *arguments],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done
