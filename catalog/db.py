"""Where the catalog's tables live: an SQLite file (the embedded default) or a PostgreSQL database.

Every store writes one text of each statement, in SQLite's spelling ("?" placeholders, rows read by
name or by position, ``INSERT ... RETURNING id``, ``ON CONFLICT ... DO UPDATE``). On PostgreSQL a
thin adapter turns the placeholders into psycopg's and gives rows both kinds of access, so the
stores need no second copy of their SQL. What the two dialects spell differently (column types,
the chunk change log's trigger, a JSON array test, table introspection) is named here, once.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hoptac.errors import CatalogUnreachable

if TYPE_CHECKING:
    import psycopg

#: A catalog's location: an SQLite file, or a ``postgresql://`` URL (``HOPTAC_DATABASE_URL``).
Location = Path | str

#: An arbitrary constant naming the catalog's write lock on PostgreSQL (``pg_advisory_xact_lock``).
WRITE_LOCK = 0x686F70746163  # "hoptac"


class Cursor(Protocol):
    """What the stores use of a cursor; ``sqlite3.Cursor`` and psycopg's both have it."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the stores use of a connection; ``sqlite3.Connection`` and ``PostgresConnection``."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor: ...

    def close(self) -> None: ...


def _database_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


#: What a failed statement raises, on either database (psycopg is an optional extra).
DATABASE_ERRORS = _database_errors()


def is_postgres(location: Location) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def connect(location: Location) -> Connection:
    """A connection in autocommit mode (transactions are explicit) whose rows read by name."""
    if is_postgres(location):
        return PostgresConnection(str(location))
    return connect_sqlite(Path(location))


def connect_sqlite(path: Path) -> sqlite3.Connection:
    """A connection as every SQLite file of the data directory uses it: autocommit (transactions
    are explicit), rows by name, WAL so readers never block the writer, and a 30 s busy wait."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class Row:
    """A PostgreSQL row read as ``sqlite3.Row`` reads: ``row[0]``, ``row["id"]``, ``dict(row)``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[self._index[key] if isinstance(key, str) else key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


@lru_cache(maxsize=1024)
def postgres_placeholders(sql: str) -> str:
    """SQLite's ``?`` as psycopg's ``%s`` (outside quotes), and a literal ``%`` doubled."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if char == "%":
            out.append("%%")
        elif quote:
            out.append(char)
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
            out.append(char)
        else:
            out.append("%s" if char == "?" else char)
    return "".join(out)


class PostgresConnection:
    """A psycopg connection speaking the stores' SQLite-spelt statements."""

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.types.numeric import IntDumper

        try:
            self._conn: psycopg.Connection[Any] = psycopg.connect(
                url, autocommit=True, row_factory=_row_factory
            )
        except psycopg.OperationalError as error:
            where = psycopg.conninfo.conninfo_to_dict(url)  # named without its password
            name = f"{where.get('dbname', '')} on {where.get('host') or 'localhost'}"
            raise CatalogUnreachable(name, " ".join(str(error).split())) from error
        # SQLite stores Python booleans as 0/1 in INTEGER columns; so does this connection.
        self._conn.adapters.register_dumper(bool, IntDumper)

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Cursor:
        if not parameters:
            return self._conn.execute(sql)
        return self._conn.execute(postgres_placeholders(sql), list(parameters))

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor:
        cursor = self._conn.cursor()
        cursor.executemany(postgres_placeholders(sql), [list(p) for p in parameters])
        return cursor

    def close(self) -> None:
        self._conn.close()


# -- dialects -------------------------------------------------------------------------------------


def begin(conn: Connection, location: Location) -> None:
    """Start a write transaction. One writer at a time on both: SQLite's ``BEGIN IMMEDIATE``, and
    on PostgreSQL a transaction-wide advisory lock, so the chunk change log's positions are
    committed in the order they are numbered and an index tailing it never skips one."""
    if is_postgres(location):
        conn.execute("BEGIN")
        conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
    else:
        conn.execute("BEGIN IMMEDIATE")


def ddl(schema: str, location: Location) -> list[str]:
    """The statements of an SQLite-spelt schema, as the location's database spells them.

    On PostgreSQL: integers are 64-bit, reals double precision, blobs ``bytea``, an
    ``INTEGER PRIMARY KEY`` an identity column; a table without a primary key gains the ``rowid``
    SQLite gives every table (the stores read some tables in insertion order); SQLite's
    triggers are left out (``catalog.schema.POSTGRES_TRIGGERS`` does their work).
    """
    statements = _split(schema)
    if not is_postgres(location):
        return statements
    return [
        _postgres_statement(s) for s in statements if not s.upper().startswith("CREATE TRIGGER")
    ]


def _split(schema: str) -> list[str]:
    """Statements split at ``;``, a trigger's ``BEGIN ... END;`` body kept whole."""
    statements: list[str] = []
    current = ""
    for part in schema.split(";"):
        current += part
        if current.strip().upper().startswith("CREATE TRIGGER") and not re.search(
            r"\bEND\s*$", current.strip(), re.IGNORECASE
        ):
            current += ";"
            continue
        text = "\n".join(
            line for line in current.strip().splitlines() if not line.strip().startswith("--")
        )
        if text.strip():
            statements.append(text.strip())
        current = ""
    return statements


def _postgres_statement(statement: str) -> str:
    s = re.sub(
        r"\bINTEGER PRIMARY KEY( AUTOINCREMENT)?",
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        statement,
    )
    s = re.sub(r"\bINTEGER\b", "BIGINT", s)
    s = re.sub(r"\bREAL\b", "DOUBLE PRECISION", s)
    s = re.sub(r"\bBLOB\b", "BYTEA", s)
    if s.upper().startswith("CREATE TABLE") and "PRIMARY KEY" not in s.upper():
        s = s.rstrip()[:-1].rstrip() + ",\n    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY\n)"
    return s


def column_type(declaration: str, location: Location) -> str:
    """A column declaration (``ALTER TABLE ... ADD COLUMN``) as the location's database spells it."""
    return _postgres_statement(declaration) if is_postgres(location) else declaration


def columns(conn: Connection, table: str, location: Location) -> set[str]:
    """The names of a table's columns."""
    if is_postgres(location):
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?",
            (table,),
        )
        return {str(r[0]) for r in rows}
    return {str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")}


def has_table(conn: Connection, table: str, location: Location) -> bool:
    if is_postgres(location):
        sql = "SELECT to_regclass(?) IS NOT NULL"
        return bool(conn.execute(sql, (table,)).fetchone()[0])
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(sql, (table,)).fetchone() is not None


def json_array_contains(column: str, location: Location) -> str:
    """SQL true when the JSON array in ``column`` holds the text of the next placeholder."""
    if is_postgres(location):
        return f"jsonb_exists(({column})::jsonb, ?)"
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE value = ?)"
