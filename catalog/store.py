"""The catalog: documents, pages, chunks, corrections and ingest runs in one SQLite file, or in a
PostgreSQL database shared by several servers (``HOPTAC_DATABASE_URL``; ``catalog.db``).

The catalog is the source of truth. Vector and lexical indexes are derived from it and reconcile
against it (``chunk_ids``), so a crash between a catalog commit and an index save is repaired on the
next open. Every document is written in one transaction: a crash leaves no half document. Chunk ids
are never reused (AUTOINCREMENT), so a stale vector can never point at another passage.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from catalog import db
from catalog.db import Connection, Location
from catalog.records import DocumentMetadata
from catalog.rows import (
    ChunkRow,
    DocumentFilter,
    DocumentRow,
    IngestFileRow,
    IngestRunRow,
    NewDocument,
    PageRow,
)
from catalog.schema import (
    ADDED_COLUMNS,
    CHUNK_FIELDS,
    DOCUMENT_FIELDS,
    FOLDED_FIELDS,
    PAGE_FIELDS,
    POSTGRES_EXTRAS,
    POSTGRES_RECOUNT_TERMS,
    RANK_SQL,
    SCHEMA,
    classification_rank,
)
from catalog.terms import lexical_tokens, tsvector_literal
from hoptac.errors import CatalogDamaged, InvalidInput, NotFound
from hoptac.vietnamese import fold


def _fold(value: str | None) -> str | None:
    """Accent- and case-insensitive form for SQL filters ("ke hoach" matches "Kế hoạch")."""
    return None if value is None else fold(value)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Catalog:
    """Thread-safe access to the catalog: one connection per thread (WAL for concurrent reads on
    SQLite). ``location`` is the SQLite file or a ``postgresql://`` URL."""

    def __init__(self, location: Location) -> None:
        self.location = location
        self.postgres = db.is_postgres(location)
        if not self.postgres:
            Path(location).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        try:
            self._install()
        except sqlite3.DatabaseError as error:
            self.close()
            raise CatalogDamaged(location, error) from error

    def _install(self) -> None:
        if self.postgres:
            with self.transaction(documents_changed=False) as conn:
                for statement in [*db.ddl(SCHEMA, self.location), *POSTGRES_EXTRAS]:
                    conn.execute(statement)
                self._add_new_columns(conn)
            self._fill_terms()
        else:
            with self._write_lock:
                conn = self._conn
                assert isinstance(conn, sqlite3.Connection)
                conn.executescript(SCHEMA)
                self._add_new_columns(conn)

    @property
    def _conn(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = db.connect(self.location)
            if isinstance(conn, sqlite3.Connection):
                conn.execute("PRAGMA foreign_keys=ON")
                conn.create_function("fold", 1, _fold, deterministic=True)
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, documents_changed: bool = True) -> Iterator[Connection]:
        """One write transaction; everything inside commits together or not at all.

        Writes that leave documents alone (sessions, audit entries) pass ``documents_changed=False``
        so that the search indexes do not resync after them.
        """
        with self._write_lock:
            conn = self._conn
            db.begin(conn, self.location)
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if documents_changed:
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
                )
            conn.execute("COMMIT")

    def _fill_terms(self, batch: int = 2_000) -> None:
        """Give the chunks written before the lexical columns their terms, then recount the term
        statistics (PostgreSQL; once, on the first start of this release)."""
        filled = 0
        while True:
            with self.transaction(documents_changed=False) as conn:
                rows = conn.execute(
                    "SELECT id, text, text_restored FROM chunks WHERE terms IS NULL LIMIT ?",
                    (batch,),
                ).fetchall()
                for r in rows:
                    tokens = lexical_tokens(r["text"], r["text_restored"])
                    conn.execute(
                        "UPDATE chunks SET terms = ?::tsvector, term_count = ? WHERE id = ?",
                        (tsvector_literal(tokens), len(tokens), r["id"]),
                    )
                if not rows:
                    if filled:
                        for statement in POSTGRES_RECOUNT_TERMS:
                            conn.execute(statement)
                    return
            filled += len(rows)

    def recount_terms(self) -> None:
        """Count the lexical index's term statistics again from the chunks (PostgreSQL; what
        ``hoptac reindex`` does, should they ever disagree)."""
        if self.postgres:
            with self.transaction(documents_changed=False) as conn:
                for statement in POSTGRES_RECOUNT_TERMS:
                    conn.execute(statement)

    def _add_new_columns(self, conn: Connection) -> None:
        for table, column, declaration in ADDED_COLUMNS:
            if column.strip('"') not in db.columns(conn, table, self.location):
                declaration = db.column_type(declaration, self.location)
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                if column == "status":
                    conn.execute(
                        "UPDATE ingest_runs SET status = 'finished' WHERE finished_at IS NOT NULL"
                    )
                if column.endswith("_folded") and not self.postgres:  # fold what is there
                    field = column.removesuffix("_folded")
                    conn.execute(f"UPDATE documents SET {column} = fold({field})")

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Rows of one read-only statement, for modules keeping their own tables here (``auth``);
        a row reads by name or position, as ``sqlite3.Row``."""
        return self._conn.execute(sql, params).fetchall()

    def ddl(self, schema: str) -> list[str]:
        """The statements of an SQLite-spelt schema as this catalog's database spells them."""
        return db.ddl(schema, self.location)

    def has_table(self, table: str) -> bool:
        return db.has_table(self._conn, table, self.location)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- reading ---------------------------------------------------------------------------

    def generation(self) -> int:
        """A counter bumped by every write: derived indexes compare it to know they are current."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def counts(self) -> tuple[int, int]:
        """(documents, chunks), cheaply: the health check asks often."""
        row = self._conn.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM chunks)"
        ).fetchone()
        return int(row[0]), int(row[1])

    def find_by_hash(self, content_hash: str) -> int | None:
        row = self._conn.execute(
            "SELECT id FROM documents WHERE content_hash = ? ORDER BY id LIMIT 1", (content_hash,)
        ).fetchone()
        return int(row[0]) if row else None

    def find_by_source(self, source_key: str) -> int | None:
        row = self._conn.execute(
            "SELECT id FROM documents WHERE source_key = ?", (source_key,)
        ).fetchone()
        return int(row[0]) if row else None

    def get_document(self, document_id: int) -> DocumentRow:
        row = self._conn.execute(
            f"SELECT {DOCUMENT_FIELDS} FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"document {document_id} does not exist")
        return self._documents([row])[0]

    def list_documents(self, filters: DocumentFilter | None = None) -> list[DocumentRow]:
        where, params = _document_where(filters or DocumentFilter(), self.location)
        rows = self._conn.execute(
            f"SELECT {DOCUMENT_FIELDS} FROM documents {where} ORDER BY id", params
        ).fetchall()
        return self._documents(rows)

    def document_where(self, filters: DocumentFilter) -> tuple[str, list[object]]:
        """``WHERE ...`` over ``documents`` for the filters (empty when none), and its parameters:
        for a query that must filter inside itself (the search indexes in the database)."""
        return _document_where(filters, self.location)

    def document_ids(self, filters: DocumentFilter) -> set[int]:
        where, params = _document_where(filters, self.location)
        return {int(r[0]) for r in self._conn.execute(f"SELECT id FROM documents {where}", params)}

    def documents_by_ids(self, ids: Iterable[int]) -> dict[int, DocumentRow]:
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(
            f"SELECT {DOCUMENT_FIELDS} FROM documents WHERE id IN ({marks})", ids
        ).fetchall()
        return {doc.id: doc for doc in self._documents(rows)}

    def pages(self, document_id: int, first: int = 1, last: int | None = None) -> list[PageRow]:
        """The document's pages, or those from ``first`` to ``last``: a search hit needs only its
        passage's pages, not all of a long document's."""
        last = last if last is not None else 2**31 - 1
        rows = self._conn.execute(
            f"SELECT {PAGE_FIELDS} FROM pages WHERE document_id = ? AND number BETWEEN ? AND ? "
            "ORDER BY number",
            (document_id, first, last),
        ).fetchall()
        return [PageRow(**dict(r)) for r in rows]

    def chunks(self, document_id: int) -> list[ChunkRow]:
        rows = self._conn.execute(
            f"SELECT {CHUNK_FIELDS} FROM chunks WHERE document_id = ? ORDER BY ordinal",
            (document_id,),
        ).fetchall()
        return [ChunkRow(**dict(r)) for r in rows]

    def chunk_ids(self) -> set[int]:
        return {int(r[0]) for r in self._conn.execute("SELECT id FROM chunks")}

    def chunks_by_ids(self, ids: Sequence[int]) -> list[ChunkRow]:
        """Chunks in the order of ``ids``; ids that no longer exist are skipped."""
        found: dict[int, ChunkRow] = {}
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            marks = ",".join("?" * len(part))
            for r in self._conn.execute(
                f"SELECT {CHUNK_FIELDS} FROM chunks WHERE id IN ({marks})", part
            ):
                found[int(r["id"])] = ChunkRow(**dict(r))
        return [found[i] for i in ids if i in found]

    def iter_chunks(self, batch: int = 512) -> Iterator[list[ChunkRow]]:
        last = 0
        while True:
            rows = self._conn.execute(
                f"SELECT {CHUNK_FIELDS} FROM chunks WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            yield [ChunkRow(**dict(r)) for r in rows]
            last = int(rows[-1]["id"])

    def snippet_vectors(self, ids: Sequence[int], fingerprint: str) -> dict[int, bytes]:
        """The stored snippet-sentence vectors of these chunks made by the model ``fingerprint``."""
        found: dict[int, bytes] = {}
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            marks = ",".join("?" * len(part))
            for r in self._conn.execute(
                f"SELECT chunk_id, vectors FROM snippet_vectors WHERE fingerprint = ? "
                f"AND chunk_id IN ({marks})",
                [fingerprint, *part],
            ):
                found[int(r[0])] = bytes(r[1])
        return found

    def chunks_without_snippet_vectors(
        self, fingerprint: str, after: int = 0, limit: int = 256
    ) -> list[int]:
        """Ids above ``after`` (ascending) of chunks with no snippet vectors by ``fingerprint``."""
        rows = self._conn.execute(
            "SELECT c.id FROM chunks c LEFT JOIN snippet_vectors s ON s.chunk_id = c.id "
            "AND s.fingerprint = ? WHERE c.id > ? AND s.chunk_id IS NULL ORDER BY c.id LIMIT ?",
            (fingerprint, after, limit),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def save_snippet_vectors(self, fingerprint: str, rows: Sequence[tuple[int, bytes]]) -> None:
        """Store (chunk id, vectors) rows; a chunk deleted meanwhile is skipped."""
        with self.transaction(documents_changed=False) as conn:
            for chunk_id, vectors in rows:
                conn.execute(
                    "INSERT INTO snippet_vectors (chunk_id, fingerprint, vectors) "
                    "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?) "
                    "ON CONFLICT(chunk_id) DO UPDATE SET fingerprint = excluded.fingerprint, "
                    "vectors = excluded.vectors",
                    (chunk_id, fingerprint, vectors, chunk_id),
                )

    def change_seq(self) -> int:
        """The last position in the chunk change log (0 when nothing was ever logged)."""
        row = self._conn.execute("SELECT max(seq) FROM chunk_changes").fetchone()
        return int(row[0] or 0)

    def changed_chunks(self, after: int) -> tuple[int, set[int]]:
        """(last position, ids of the chunks added or deleted after position ``after``)."""
        rows = self._conn.execute(
            "SELECT seq, chunk_id FROM chunk_changes WHERE seq > ? ORDER BY seq", (after,)
        ).fetchall()
        return (int(rows[-1][0]) if rows else after), {int(r[1]) for r in rows}

    def forget_changes(self, upto: int, reader: str = "index") -> None:
        """Record that ``reader`` (an index) has applied the log up to ``upto``, and drop the
        entries every reader has applied. A reader not heard from for a week no longer holds the
        log back (a server gone for good); if it comes back, ``hoptac reindex`` rebuilds it."""
        now = datetime.now(UTC)
        with self.transaction(documents_changed=False) as conn:
            conn.execute(
                "INSERT INTO change_readers VALUES (?, ?, ?) ON CONFLICT(reader) "
                "DO UPDATE SET seq = excluded.seq, seen_at = excluded.seen_at",
                (reader, upto, now.isoformat(timespec="seconds")),
            )
            week_ago = (now - timedelta(days=7)).isoformat(timespec="seconds")
            row = conn.execute(
                "SELECT min(seq) FROM change_readers WHERE seen_at >= ?", (week_ago,)
            ).fetchone()
            conn.execute("DELETE FROM chunk_changes WHERE seq <= ?", (min(upto, int(row[0])),))

    def corrections(self, document_id: int) -> dict[str, str | None]:
        """Librarians' corrections of a document; inside ``transaction`` it reads through the
        transaction's own connection (one per thread), so it sees the transaction's writes."""
        rows = self._conn.execute(
            "SELECT field, value FROM corrections WHERE document_id = ?", (document_id,)
        ).fetchall()
        return {r["field"]: r["value"] for r in rows}

    def has_run(self, run_id: int) -> bool:
        return (
            self._conn.execute("SELECT 1 FROM ingest_runs WHERE id = ?", (run_id,)).fetchone()
            is not None
        )

    def runs(self, limit: int = 20) -> list[IngestRunRow]:
        runs = self._conn.execute(
            "SELECT id, started_at, finished_at, status FROM ingest_runs ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        result = []
        for run in runs:
            files = self._conn.execute(
                "SELECT run_id, path, status, document_id, reason, seconds, warnings "
                "FROM ingest_files WHERE run_id = ? ORDER BY rowid",
                (run["id"],),
            ).fetchall()
            rows = [
                IngestFileRow(**{**dict(f), "warnings": json.loads(f["warnings"] or "[]")})
                for f in files
            ]
            result.append(IngestRunRow(**dict(run), files=rows))
        return result

    # -- writing ---------------------------------------------------------------------------

    def store(self, new: NewDocument, replaces: int | None = None) -> tuple[int, int]:
        """Insert a document, or a new version of the one at the same source or of document
        ``replaces``; returns (id, version).

        Librarians' corrections to an existing document are re-applied over the fresh metadata.
        Raises NotFound when ``replaces`` names no document.
        """
        classification_rank(new.classification)
        now = _now()
        meta = new.metadata
        values = {
            "source_name": new.source_name,
            "content_hash": new.content_hash,
            "kind": new.kind,
            "stored_file": new.stored_file,
            "size_bytes": new.size_bytes,
            "title": meta.title,
            "number": meta.number,
            "doc_type": meta.doc_type,
            "issuer": meta.issuer,
            "issue_date": meta.issue_date,
            "place": meta.place,
            '"references"': json.dumps(meta.references, ensure_ascii=False),
            "partner_country": meta.partner_country,
            "technology_area": meta.technology_area,
            "languages": json.dumps(meta.languages),
            "page_count": len(new.pages),
            "stripped_score": max((p.stripped_score for p in new.pages), default=0.0),
            "updated_at": now,
            **{f"{f}_folded": _fold(getattr(meta, f)) for f in FOLDED_FIELDS},
        }
        with self.transaction() as conn:
            if replaces is None:
                row = conn.execute(
                    "SELECT id, version FROM documents WHERE source_key = ?", (new.source_key,)
                ).fetchone()
            else:
                row = conn.execute(
                    "SELECT id, version FROM documents WHERE id = ?", (replaces,)
                ).fetchone()
                if row is None:
                    raise NotFound(f"document {replaces} does not exist; nothing to replace")
            if row is None:
                cols = ["source_key", "created_at", "classification", *values]
                document_id = int(
                    conn.execute(
                        f"INSERT INTO documents ({', '.join(cols)}) "
                        f"VALUES ({', '.join('?' * len(cols))}) RETURNING id",
                        [new.source_key, now, new.classification, *values.values()],
                    ).fetchone()[0]
                )
                version = 1
            else:
                document_id, version = int(row["id"]), int(row["version"]) + 1
                sets = ", ".join(f"{c} = ?" for c in values)
                conn.execute(
                    f"UPDATE documents SET {sets}, version = ? WHERE id = ?",
                    [*values.values(), version, document_id],
                )
                conn.execute("DELETE FROM pages WHERE document_id = ?", (document_id,))
                conn.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
                # A new version is never less restricted than the last: re-ingest cannot leak it.
                conn.execute(
                    "UPDATE documents SET classification = ? WHERE id = ? AND ? > "
                    f"{RANK_SQL.format(column='classification')}",
                    (new.classification, document_id, classification_rank(new.classification)),
                )
                for fld, value in self.corrections(document_id).items():  # same connection
                    sets, params = _set_field(fld, value)
                    conn.execute(
                        f"UPDATE documents SET {sets} WHERE id = ?", [*params, document_id]
                    )
            conn.execute(
                "INSERT INTO document_versions VALUES (?, ?, ?, ?, ?)",
                (document_id, version, new.content_hash, new.stored_file, now),
            )
            conn.executemany(
                f"INSERT INTO pages ({PAGE_FIELDS}) VALUES ({', '.join('?' * 9)})",
                [
                    (
                        document_id,
                        p.number,
                        p.text,
                        p.method,
                        p.ocr_confidence,
                        p.stripped_score,
                        p.source_reason,
                        p.text_layer_garbled,
                        p.ocr_garbled,
                    )
                    for p in new.pages
                ],
            )
            rows = [
                (
                    document_id,
                    c.ordinal,
                    c.text,
                    c.text_restored,
                    c.section,
                    c.page_start,
                    c.page_end,
                    c.language,
                    c.stripped_score,
                )
                for c in new.chunks
            ]
            if self.postgres and rows:
                # The lexical index lives here too (catalog/terms.py); one statement for all the
                # chunks, so the term statistics are counted once per document.
                tokens = [lexical_tokens(c.text, c.text_restored) for c in new.chunks]
                columns = [list(column) for column in zip(*rows, strict=True)]
                conn.execute(
                    f"INSERT INTO chunks ({CHUNK_COLUMNS}, terms, term_count) SELECT * FROM "
                    "unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[],"
                    " ?::bigint[], ?::text[], ?::float8[], ?::tsvector[], ?::integer[])",
                    [*columns, [tsvector_literal(t) for t in tokens], [len(t) for t in tokens]],
                )
            elif not self.postgres:
                conn.executemany(
                    f"INSERT INTO chunks ({CHUNK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
        return document_id, version

    def correct(self, document_id: int, changes: dict[str, str | None]) -> DocumentRow:
        """Record librarians' corrections; they win over extracted metadata, now and on re-ingest."""
        unknown = set(changes) - set(DocumentMetadata.EDITABLE)
        if unknown:
            raise InvalidInput(
                f"cannot edit {', '.join(sorted(unknown))}; editable fields: "
                + ", ".join(DocumentMetadata.EDITABLE)
            )
        self.get_document(document_id)
        now = _now()
        with self.transaction() as conn:
            for fld, value in changes.items():
                value = value.strip() or None if isinstance(value, str) else value
                conn.execute(
                    "INSERT INTO corrections VALUES (?, ?, ?, ?) ON CONFLICT(document_id, field) "
                    "DO UPDATE SET value = excluded.value, corrected_at = excluded.corrected_at",
                    (document_id, fld, value, now),
                )
                sets, params = _set_field(fld, value)
                conn.execute(
                    f"UPDATE documents SET {sets}, updated_at = ? WHERE id = ?",
                    [*params, now, document_id],
                )
        return self.get_document(document_id)

    def classify(self, document_id: int, classification: str) -> DocumentRow:
        """Set who may see a document: ``public``, ``internal`` or ``confidential``."""
        classification_rank(classification)
        self.get_document(document_id)
        with self.transaction() as conn:
            conn.execute(
                "UPDATE documents SET classification = ?, updated_at = ? WHERE id = ?",
                (classification, _now(), document_id),
            )
        return self.get_document(document_id)

    def delete(self, document_id: int) -> DocumentRow:
        doc = self.get_document(document_id)
        with self.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return doc

    def stored_files(self, document_id: int) -> set[str]:
        """Stored originals of every version of a document."""
        rows = self._conn.execute(
            "SELECT stored_file FROM document_versions WHERE document_id = ?", (document_id,)
        ).fetchall()
        return {r[0] for r in rows}

    def stored_versions(self) -> list[tuple[int, int, str, str]]:
        """(document id, version, content hash, stored file) of every version, for ``check``."""
        rows = self._conn.execute(
            "SELECT document_id, version, content_hash, stored_file FROM document_versions "
            "ORDER BY document_id, version"
        ).fetchall()
        return [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check; empty when the file is sound (a PostgreSQL server keeps
        its own: nothing to check from here)."""
        if self.postgres:
            return []
        rows = [str(r[0]) for r in self._conn.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def stored_files_in_use(self) -> set[str]:
        rows = self._conn.execute("SELECT stored_file FROM document_versions").fetchall()
        return {r[0] for r in rows}

    def start_run(self) -> int:
        """Open a run owned by this process; runs whose process died are marked interrupted first."""
        self.mark_interrupted_runs()
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO ingest_runs (started_at, status, owner) VALUES (?, 'running', ?) "
                "RETURNING id",
                (_now(), PROCESS_OWNER),
            ).fetchone()
            return int(row[0])

    def mark_interrupted_runs(self) -> list[int]:
        """Mark "interrupted" the running runs whose process is gone (killed mid-way); their ids.

        A run records the process that owns it, so a run another live process (a CLI ingest while
        the server starts) is still working on is left alone.
        """
        rows = self._conn.execute(
            "SELECT id, owner FROM ingest_runs WHERE status = 'running'"
        ).fetchall()
        dead = [int(r["id"]) for r in rows if not owner_alive(r["owner"])]
        if dead:
            with self.transaction() as conn:
                conn.executemany(
                    "UPDATE ingest_runs SET status = 'interrupted' WHERE id = ?",
                    [(run_id,) for run_id in dead],
                )
        return dead

    def record_file(
        self,
        run_id: int,
        path: str,
        status: str,
        document_id: int | None,
        reason: str | None,
        seconds: float,
        warnings: Sequence[str] = (),
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO ingest_files (run_id, path, status, document_id, reason, seconds, "
                "warnings) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    path,
                    status,
                    document_id,
                    reason,
                    seconds,
                    json.dumps(list(warnings), ensure_ascii=False),
                ),
            )

    def finish_run(self, run_id: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE ingest_runs SET finished_at = ?, status = 'finished' WHERE id = ?",
                (_now(), run_id),
            )

    # -- helpers ---------------------------------------------------------------------------

    def _documents(self, rows: Sequence[Any]) -> list[DocumentRow]:
        """Rows as DocumentRows, with the fields librarians corrected read in one query."""
        corrected: dict[int, list[str]] = {}
        ids = [int(r["id"]) for r in rows]
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            for r in self._conn.execute(
                "SELECT document_id, field FROM corrections WHERE document_id IN "
                f"({','.join('?' * len(part))}) ORDER BY field",
                part,
            ):
                corrected.setdefault(int(r[0]), []).append(str(r[1]))
        docs = []
        for r in rows:
            data = dict(r)
            data["languages"] = json.loads(data["languages"])
            data["references"] = json.loads(data["references"] or "[]")
            docs.append(DocumentRow(**data, corrected=corrected.get(int(r["id"]), [])))
        return docs


#: The chunk columns a document's ingest writes (the id is the database's).
CHUNK_COLUMNS = CHUNK_FIELDS.removeprefix("id, ")


def _set_field(field: str, value: str | None) -> tuple[str, list[str | None]]:
    """SQL setting a document field, and its folded form where one is stored."""
    if field in FOLDED_FIELDS:
        return f"{field} = ?, {field}_folded = ?", [value, _fold(value)]
    return f"{field} = ?", [value]


#: This process, as the owner of the runs it opens: its pid plus a token, since a restarted
#: container often gives the new server the pid the killed one had, and its host, since servers
#: sharing a PostgreSQL catalog cannot see each other's processes.
PROCESS_OWNER = f"{os.getpid()}:{uuid.uuid4().hex}@{socket.gethostname()}"


def owner_alive(owner: str | None) -> bool:
    if owner == PROCESS_OWNER:
        return True
    owner, _, host = (owner or "").partition("@")
    if host and host != socket.gethostname():
        return True  # another machine's process: only that machine can tell it has died
    pid_text, _, _ = owner.partition(":")
    if not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False  # unknown, or an earlier process that had this pid
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _document_where(filters: DocumentFilter, location: Location) -> tuple[str, list[object]]:
    """SQL for the document filters; issuer and type match case-insensitively on a substring."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.doc_type:
        clauses.append("doc_type_folded = ?")
        params.append(fold(filters.doc_type))
    if filters.language:
        clauses.append(db.json_array_contains("documents.languages", location))
        params.append(filters.language)
    if filters.issuer:
        clauses.append("instr(issuer_folded, ?) > 0")
        params.append(fold(filters.issuer))
    if filters.date_from:
        clauses.append("issue_date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append("issue_date <= ?")
        params.append(filters.date_to)
    if filters.document_ids is not None:
        clauses.append(f"id IN ({','.join('?' * len(filters.document_ids)) or 'NULL'})")
        params.extend(filters.document_ids)
    if filters.max_classification is not None:
        clauses.append(f"{RANK_SQL.format(column='classification')} <= ?")
        params.append(classification_rank(filters.max_classification))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
