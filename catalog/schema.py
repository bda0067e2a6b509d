"""The catalog's schema (in SQLite's spelling, ``catalog.db`` translates) and the facts its rows are
checked against."""

from __future__ import annotations

from hoptac.errors import InvalidInput

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_key TEXT NOT NULL UNIQUE,
    source_name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    kind TEXT NOT NULL,
    stored_file TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    title TEXT, number TEXT, doc_type TEXT, issuer TEXT, issue_date TEXT,
    partner_country TEXT, technology_area TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    page_count INTEGER NOT NULL,
    stripped_score REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS document_versions (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    stored_file TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (document_id, version)
);
CREATE TABLE IF NOT EXISTS corrections (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT,
    corrected_at TEXT NOT NULL,
    PRIMARY KEY (document_id, field)
);
CREATE TABLE IF NOT EXISTS pages (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    method TEXT NOT NULL,
    ocr_confidence REAL,
    stripped_score REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, number)
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_restored TEXT,
    section TEXT NOT NULL,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    language TEXT,
    stripped_score REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
-- Every chunk added or deleted, in order: the search indexes apply what changed since they last
-- looked instead of re-reading every chunk (a metadata edit touches no chunk, so no index).
CREATE TABLE IF NOT EXISTS chunk_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS chunk_added AFTER INSERT ON chunks
BEGIN INSERT INTO chunk_changes (chunk_id) VALUES (new.id); END;
CREATE TRIGGER IF NOT EXISTS chunk_removed AFTER DELETE ON chunks
BEGIN INSERT INTO chunk_changes (chunk_id) VALUES (old.id); END;
-- Where each search index reading the log has got to: the log is pruned up to the slowest one, so
-- several servers sharing one PostgreSQL catalog each follow it with indexes of their own.
CREATE TABLE IF NOT EXISTS change_readers (
    reader TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    seen_at TEXT NOT NULL
);
-- The sentences a snippet by meaning chooses among, embedded once by the writer after the passage
-- itself (search/snippet_vectors.py): a search then embeds only its query. Chunks never change,
-- so a row stays right until its chunk is deleted or the model changes (its fingerprint).
CREATE TABLE IF NOT EXISTS snippet_vectors (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    vectors BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    owner TEXT
);
CREATE TABLE IF NOT EXISTS ingest_files (
    run_id INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    status TEXT NOT NULL,
    document_id INTEGER,
    reason TEXT,
    seconds REAL,
    warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    clearance TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    document_id INTEGER,
    detail TEXT
);
"""

#: Columns added since the first release, added to older catalogs when they are opened.
ADDED_COLUMNS = (
    ("ingest_runs", "status", "TEXT NOT NULL DEFAULT 'running'"),
    ("ingest_runs", "owner", "TEXT"),
    ("ingest_files", "warnings", "TEXT NOT NULL DEFAULT '[]'"),
    ("documents", "classification", "TEXT NOT NULL DEFAULT 'internal'"),
    ("documents", "place", "TEXT"),
    ("documents", '"references"', "TEXT NOT NULL DEFAULT '[]'"),
    ("pages", "source_reason", "TEXT"),
    ("pages", "text_layer_garbled", "REAL"),
    ("pages", "ocr_garbled", "REAL"),
    # fold(doc_type) and fold(issuer), for the accent-insensitive filters: PostgreSQL cannot call
    # the Python fold, so both databases store it.
    ("documents", "doc_type_folded", "TEXT"),
    ("documents", "issuer_folded", "TEXT"),
)

#: Fields whose folded form is stored beside them (``<field>_folded``).
FOLDED_FIELDS = ("doc_type", "issuer")

#: What SQLite's triggers and functions do, on PostgreSQL: the chunk change log, and ``instr``.
POSTGRES_EXTRAS = (
    """CREATE OR REPLACE FUNCTION log_chunk_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO chunk_changes (chunk_id) VALUES (OLD.id);
    ELSE
        INSERT INTO chunk_changes (chunk_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$""",
    (
        "CREATE OR REPLACE TRIGGER chunk_changed AFTER INSERT OR DELETE ON chunks "
        "FOR EACH ROW EXECUTE FUNCTION log_chunk_change()"
    ),
    (
        "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE "
        "AS 'SELECT strpos($1, $2)'"
    ),
    # The lexical index (catalog/terms.py): each chunk's folded terms, positions counting them,
    # found through a GIN index; document frequencies and totals kept by the statements that add
    # or delete chunks, in their transaction.
    "ALTER TABLE chunks ADD COLUMN IF NOT EXISTS terms tsvector",
    "ALTER TABLE chunks ADD COLUMN IF NOT EXISTS term_count integer",
    "CREATE INDEX IF NOT EXISTS chunks_terms ON chunks USING gin (terms)",
    "CREATE TABLE IF NOT EXISTS lexicon_terms (term text PRIMARY KEY, df bigint NOT NULL)",
    (
        "CREATE TABLE IF NOT EXISTS lexicon_totals (id integer PRIMARY KEY CHECK (id = 1), "
        "chunks bigint NOT NULL, tokens bigint NOT NULL)"
    ),
    "INSERT INTO lexicon_totals VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING",
    """CREATE OR REPLACE FUNCTION count_terms_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lexicon_terms (term, df)
        SELECT u.lexeme, count(*) FROM added, unnest(added.terms) u GROUP BY u.lexeme
        ON CONFLICT (term) DO UPDATE SET df = lexicon_terms.df + excluded.df;
    UPDATE lexicon_totals SET
        chunks = chunks + (SELECT count(*) FROM added WHERE terms IS NOT NULL),
        tokens = tokens + (SELECT coalesce(sum(term_count), 0) FROM added WHERE terms IS NOT NULL);
    RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION count_terms_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lexicon_terms t SET df = t.df - g.n
        FROM (SELECT u.lexeme, count(*) AS n FROM removed, unnest(removed.terms) u
              GROUP BY u.lexeme) g
        WHERE t.term = g.lexeme;
    UPDATE lexicon_totals SET
        chunks = chunks - (SELECT count(*) FROM removed WHERE terms IS NOT NULL),
        tokens = tokens - (SELECT coalesce(sum(term_count), 0) FROM removed WHERE terms IS NOT NULL);
    RETURN NULL;
END $$""",
    (
        "CREATE OR REPLACE TRIGGER chunk_terms_added AFTER INSERT ON chunks "
        "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION count_terms_added()"
    ),
    (
        "CREATE OR REPLACE TRIGGER chunk_terms_removed AFTER DELETE ON chunks "
        "REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION count_terms_removed()"
    ),
)

#: Recounts the term statistics from the chunks (after chunks written before them gained terms).
POSTGRES_RECOUNT_TERMS = (
    "DELETE FROM lexicon_terms",
    (
        "INSERT INTO lexicon_terms (term, df) SELECT u.lexeme, count(*) FROM chunks, unnest(terms) u "
        "GROUP BY u.lexeme"
    ),
    (
        "UPDATE lexicon_totals SET chunks = (SELECT count(*) FROM chunks WHERE terms IS NOT NULL), "
        "tokens = (SELECT coalesce(sum(term_count), 0) FROM chunks WHERE terms IS NOT NULL)"
    ),
)

#: Document classifications, least to most restricted; a user's clearance is one of them.
CLASSIFICATIONS = ("public", "internal", "confidential")

DOCUMENT_FIELDS = (
    "id, source_key, source_name, content_hash, version, kind, stored_file, size_bytes, title, "
    "number, doc_type, issuer, issue_date, partner_country, technology_area, languages, page_count, "
    'stripped_score, created_at, updated_at, classification, place, "references"'
)
#: A chunk's columns as ``ChunkRow`` reads them (on PostgreSQL the table also holds its terms).
CHUNK_FIELDS = (
    "id, document_id, ordinal, text, text_restored, section, page_start, page_end, language, "
    "stripped_score"
)
PAGE_FIELDS = (
    "document_id, number, text, method, ocr_confidence, stripped_score, source_reason, "
    "text_layer_garbled, ocr_garbled"
)


def classification_rank(classification: str) -> int:
    """0 for public, 1 internal, 2 confidential; anything else is refused with the choices."""
    if classification not in CLASSIFICATIONS:
        raise InvalidInput(
            f"unknown classification {classification!r}; choose one of {', '.join(CLASSIFICATIONS)}"
        )
    return CLASSIFICATIONS.index(classification)


#: SQL for a classification column's rank; an unknown value ranks as the most restricted.
RANK_SQL = "(CASE {column} WHEN 'public' THEN 0 WHEN 'internal' THEN 1 ELSE 2 END)"
