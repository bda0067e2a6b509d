"""Keeping the indexes current: apply the catalog's chunk changes, publish a new snapshot.

The catalog logs every chunk added or deleted (``chunk_changes``); a sync embeds the added chunks,
puts them in the small delta segments, masks the deleted ones, and publishes. Its cost follows what
changed, not the archive. When the delta outgrows a share of the base, the two are merged (the only
step that costs the archive's size, and it happens once per that share of growth). With no usable
snapshot (first start, damaged or deleted files, ``reindex``) everything is rebuilt from the
catalog, reusing the vectors a readable older index still holds.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from catalog import Catalog, ChunkRow
from catalog.terms import lexical_tokens
from search.lexical import LexicalIndex, Segment
from search.records import SyncReport
from search.snapshot import Manifest, remove_unused, stamp
from search.vectors import (
    FLAT,
    IndexDamaged,
    IndexParams,
    VectorIndex,
    base_file,
    delta_file,
    open_legacy,
    read_params,
    tombstones_file,
    warn_damaged,
)

logger = logging.getLogger("hoptac")

#: Passages handed to the embedder at once: it sorts them by length, so a larger batch pads less.
EMBED_BATCH = 256
#: Chunks read from the catalog per lexical segment during a full rebuild (bounds its memory).
REBUILD_BATCH = 20_000

Embed = Callable[[list[ChunkRow]], np.ndarray]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Snapshot:
    """Everything a search reads; replaced whole when a newer one is published, never mutated."""

    vectors: VectorIndex
    lexical: LexicalIndex
    manifest: Manifest | None
    #: The manifest file's identity when this was loaded (a reader's change signal).
    stamp: tuple[int, int, int] | None
    #: The catalog generation a writer synced at (its own change signal).
    catalog_generation: int = -1

    @property
    def seq(self) -> int:
        return self.manifest.seq if self.manifest else 0

    def rows_of(self, ids: Iterable[int]) -> np.ndarray:
        """Lexical rows of chunk ids (-1 for ids this snapshot does not hold)."""
        lex = self.lexical
        ids = np.asarray(list(ids), dtype=np.int64)
        if len(lex) == 0 or len(ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.searchsorted(lex.ids, ids, sorter=lex.sorter)
        at = np.minimum(at, len(lex.ids) - 1)
        rows = lex.sorter[at]
        found = (lex.ids[rows] == ids) & lex.live[rows]
        return np.where(found, rows, -1)


def empty_snapshot(params: IndexParams) -> Snapshot:
    vectors = VectorIndex(params)
    return Snapshot(vectors, LexicalIndex([Segment.empty(), Segment.empty()]), None, None)


def load(
    folder: Path, model: tuple[str, int, str], previous: Snapshot | None = None
) -> Snapshot | None:
    """The published snapshot (reusing ``previous``'s base when unchanged); None when there is
    none or it is damaged (warned); IndexMismatch when another model built it."""
    params = read_params(folder, *model)
    if params is None:
        return None
    at = stamp(folder)
    try:
        manifest = Manifest.read(folder)
        if manifest is None:
            return None
        old = previous if previous and previous.manifest else None
        if old and old.manifest and old.manifest.base == manifest.base:
            vectors = VectorIndex.load_delta(folder, old.vectors, manifest.delta)
            base_segment = old.lexical.segments[0]
        else:
            vectors = VectorIndex.load(folder, params, manifest.base, manifest.delta)
            base_segment = _load_segment(folder / lexical_base(manifest.base))
        delta_segment = _load_segment(folder / lexical_delta(manifest.delta))
    except IndexDamaged as damage:
        warn_damaged(damage.path, damage.reason)
        return None
    return Snapshot(vectors, _lexical(vectors, base_segment, delta_segment), manifest, at)


def sync(
    catalog: Catalog,
    folder: Path,
    model: tuple[str, int, str],
    embed: Embed,
    ann_threshold: int,
    current: Snapshot | None,
    fresh: bool = False,
    on_progress: Progress | None = None,
) -> tuple[Snapshot, SyncReport]:
    """Bring the published snapshot up to the catalog (the caller holds the writer lock)."""
    started = time.perf_counter()
    generation = catalog.generation()
    latest = None if fresh else load(folder, model, current)
    if latest is None:
        snapshot, added, removed = _rebuild(
            catalog, folder, model, embed, ann_threshold, fresh, on_progress, generation
        )
    else:
        snapshot, added, removed = _apply_changes(
            catalog, folder, latest, embed, ann_threshold, on_progress, generation
        )
    return snapshot, SyncReport(
        added=added,
        removed=removed,
        total=len(snapshot.vectors),
        generation=generation,
        seconds=round(time.perf_counter() - started, 3),
    )


def _apply_changes(
    catalog: Catalog,
    folder: Path,
    latest: Snapshot,
    embed: Embed,
    ann_threshold: int,
    on_progress: Progress | None,
    generation: int,
) -> tuple[Snapshot, int, int]:
    seq, changed = catalog.changed_chunks(latest.seq)
    if not changed and len(latest.vectors) != catalog.counts()[1]:
        # The log missed something (a catalog restored from a backup, edited by hand): compare
        # the ids themselves, the one step here that costs the archive's size.
        changed = catalog.chunk_ids() ^ latest.vectors.ids()
    if not changed:
        return _with_generation(latest, generation), 0, 0
    present = catalog.chunks_by_ids(sorted(changed))
    held = latest.vectors.contains(np.asarray(sorted(changed), dtype=np.int64))
    held_ids = {i for i, h in zip(sorted(changed), held, strict=True) if h}
    added = [c for c in present if c.id not in held_ids]
    removed = held_ids - {c.id for c in present}
    vectors = latest.vectors.changed(
        [c.id for c in added], _embed_all(added, embed, on_progress), removed
    )
    old_delta = latest.lexical.segments[1]
    keep = ~np.isin(np.asarray(old_delta.ids), np.asarray(sorted(removed), dtype=np.int64))
    delta = Segment.merge([(old_delta, keep), (_segment(added), np.ones(len(added), bool))])
    base = latest.lexical.segments[0]
    if vectors.needs_compaction(ann_threshold):
        vectors = vectors.compacted(ann_threshold)
        live = ~np.isin(np.asarray(base.ids), latest.vectors.tombstones)
        live &= ~np.isin(np.asarray(base.ids), np.asarray(sorted(removed), dtype=np.int64))
        base = Segment.merge([(base, live), (delta, np.ones(len(delta), bool))])
        delta = Segment.empty()
    snapshot = _publish(folder, vectors, base, delta, latest.manifest, seq, generation)
    catalog.forget_changes(seq, _reader(folder))
    return snapshot, len(added), len(removed)


def _rebuild(
    catalog: Catalog,
    folder: Path,
    model: tuple[str, int, str],
    embed: Embed,
    ann_threshold: int,
    fresh: bool,
    on_progress: Progress | None,
    generation: int,
) -> tuple[Snapshot, int, int]:
    """Everything from the catalog; vectors a readable older index holds are reused, not embedded."""
    seq = catalog.change_seq()  # read first: what changes after it is replayed next time
    source = None if fresh else _readable_vectors(folder, model)
    params = IndexParams(*model, factory=FLAT)
    total = catalog.counts()[1]
    flat = faiss.index_factory(params.dimension, FLAT, faiss.METRIC_INNER_PRODUCT)
    segments: list[Segment] = []
    added = 0
    done = 0
    for batch in _batches(catalog, REBUILD_BATCH):
        ids = np.asarray([c.id for c in batch], dtype=np.int64)
        reuse = source.contains(ids) if source is not None else np.zeros(len(ids), bool)
        fresh_chunks = [c for c, r in zip(batch, reuse, strict=True) if not r]
        matrix = np.zeros((len(batch), params.dimension), dtype=np.float32)
        if reuse.any() and source is not None:
            matrix[reuse] = source.vectors([int(i) for i in ids[reuse]])
        if fresh_chunks:

            def progress(count: int, _: int, base: int = done) -> None:
                if on_progress:
                    on_progress(base + count, total)

            matrix[~reuse] = _embed_all(fresh_chunks, embed, progress)
        flat.add_with_ids(matrix, ids)
        segments.append(_segment(batch))
        added += len(fresh_chunks)
        done += len(batch)
    if on_progress:
        on_progress(done, total)
    vectors = VectorIndex(params, delta=flat).compacted(ann_threshold)
    base = (
        Segment.merge([(s, np.ones(len(s), bool)) for s in segments])
        if segments
        else Segment.empty()
    )
    previous = _readable_manifest(folder)
    snapshot = _publish(folder, vectors, base, Segment.empty(), previous, seq, generation)
    catalog.forget_changes(seq, _reader(folder))
    removed = max(len(source) - (done - added), 0) if source is not None else 0
    return snapshot, added, removed


def _publish(
    folder: Path,
    vectors: VectorIndex,
    base: Segment,
    delta: Segment,
    previous: Manifest | None,
    seq: int,
    catalog_generation: int,
) -> Snapshot:
    """Write the new segments under a fresh name, then replace the manifest (the publication)."""
    generation = (previous.generation if previous else 0) + 1
    name = f"{generation:08d}"
    new_base = vectors.base_name is None
    vectors.save(folder, name)
    if new_base:
        _save_segment(base, folder / lexical_base(name))
    _save_segment(delta, folder / lexical_delta(name))
    manifest = Manifest(generation=generation, seq=seq, base=str(vectors.base_name), delta=name)
    manifest.publish(folder)
    keep = _files(manifest) | (_files(previous) if previous else set())
    remove_unused(folder, keep)
    snapshot = Snapshot(vectors, _lexical(vectors, base, delta), manifest, stamp(folder))
    return _with_generation(snapshot, catalog_generation)


def lexical_base(name: str) -> str:
    return f"base-{name}.lexical"


def lexical_delta(name: str) -> str:
    return f"delta-{name}.lexical"


def _files(manifest: Manifest) -> set[str]:
    return {
        base_file(manifest.base),
        lexical_base(manifest.base),
        delta_file(manifest.delta),
        lexical_delta(manifest.delta),
        tombstones_file(manifest.delta),
    }


def _lexical(vectors: VectorIndex, base: Segment, delta: Segment) -> LexicalIndex:
    dead = np.isin(np.asarray(base.ids), vectors.tombstones)
    return LexicalIndex([base, delta], [dead, np.zeros(len(delta), dtype=bool)])


def _with_generation(snapshot: Snapshot, generation: int) -> Snapshot:
    return replace(snapshot, catalog_generation=generation)


def _segment(chunks: list[ChunkRow]) -> Segment:
    """What BM25 reads: the text, plus its restored text when there is one, folded."""
    tokens = [lexical_tokens(c.text, c.text_restored) for c in chunks]
    return Segment.build([c.id for c in chunks], [c.document_id for c in chunks], tokens)


def _embed_all(chunks: list[ChunkRow], embed: Embed, on_progress: Progress | None) -> np.ndarray:
    parts = []
    for start in range(0, len(chunks), EMBED_BATCH):
        if on_progress:
            on_progress(start, len(chunks))
        parts.append(embed(chunks[start : start + EMBED_BATCH]))
    if on_progress:
        on_progress(len(chunks), len(chunks))
    return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)


def _batches(catalog: Catalog, size: int) -> Iterable[list[ChunkRow]]:
    batch: list[ChunkRow] = []
    for rows in catalog.iter_chunks():
        batch.extend(rows)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _readable_vectors(folder: Path, model: tuple[str, int, str]) -> VectorIndex | None:
    """Whatever vectors can still be read (published snapshot or an earlier release's file)."""
    try:
        params = read_params(folder, *model)
        if params is None:
            return None
        manifest = Manifest.read(folder)
        if manifest is None:
            return open_legacy(folder, params)
        return VectorIndex.load(folder, params, manifest.base, manifest.delta)
    except IndexDamaged:
        return None


def _readable_manifest(folder: Path) -> Manifest | None:
    try:
        return Manifest.read(folder)
    except IndexDamaged:
        return None


def _save_segment(segment: Segment, path: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        segment.save(tmp)
        for child in tmp.iterdir():
            with open(child, "rb") as fh:
                os.fsync(fh.fileno())
        if path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _load_segment(path: Path) -> Segment:
    try:
        return Segment.load(path)
    except FileNotFoundError as error:
        raise IndexDamaged(path, "it is missing") from error
    except (OSError, ValueError) as error:
        raise IndexDamaged(path, str(error) or "it is damaged") from error


def _reader(folder: Path) -> str:
    """This index as a reader of the chunk change log: servers sharing a PostgreSQL catalog each
    keep indexes of their own, and the log is kept until every one has applied it."""
    return f"{socket.gethostname()}:{folder.resolve()}"
