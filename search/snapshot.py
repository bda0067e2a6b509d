"""The published index on disk: which segment files make up the current snapshot.

A writer writes new segment files under fresh names, then replaces ``snapshot.json`` atomically;
that rename is the moment the snapshot is published. Readers reload when the manifest changes, so
they never wait for a writer and never see half of its work. Writers take an exclusive lock on the
folder (the worker, a CLI ingest and ``hoptac reindex`` may run at once) and build on the latest
published snapshot. ``seq`` is the position in the catalog's chunk change log the snapshot has
applied: a writer killed before publishing leaves the manifest as it was, and the next sync
replays the changes since ``seq`` (applying a change twice is harmless).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from search.vectors import IndexDamaged, write_json_atomic

MANIFEST_FILE = "snapshot.json"
LOCK_FILE = ".writer.lock"


@dataclass(frozen=True)
class Manifest:
    """The current snapshot: base and delta segment names, and how far it follows the catalog."""

    #: Counts publications (the knowledge base notes which one it was built from).
    generation: int
    #: Catalog chunk change log position applied.
    seq: int
    base: str
    delta: str

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        """The manifest; None when there is none; IndexDamaged when it cannot be read."""
        path = folder / MANIFEST_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                generation=int(data["generation"]),
                seq=int(data["seq"]),
                base=str(data["base"]),
                delta=str(data["delta"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise IndexDamaged(path, str(error) or type(error).__name__) from error

    def publish(self, folder: Path) -> None:
        write_json_atomic(folder / MANIFEST_FILE, asdict(self))


def stamp(folder: Path) -> tuple[int, int, int] | None:
    """Changes whenever a snapshot is published (the manifest is replaced by a rename)."""
    try:
        st = (folder / MANIFEST_FILE).stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


@contextmanager
def writer_lock(folder: Path, wait: bool = True) -> Iterator[bool]:
    """One writer at a time per index folder, across processes; yields whether it holds the lock
    (with ``wait=False`` it does not when another writer does)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def remove_unused(folder: Path, keep: set[str]) -> None:
    """Delete segment files no snapshot in ``keep`` names (a reader that loaded the previous
    snapshot has it in memory; lexical segments are mapped, and Linux keeps a mapped file)."""
    for path in folder.iterdir():
        if path.name.startswith(("base-", "delta-", "tombstones-")) and path.name not in keep:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        elif path.name.startswith(".") and path.name != LOCK_FILE and _older_than(path, 3600):
            path.unlink(missing_ok=True)  # a temp file a killed writer left


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds and path.is_file()
    except OSError:
        return False
