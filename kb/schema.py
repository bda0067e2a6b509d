"""The knowledge base's tables in the catalog's SQLite file, and the seeded taxonomy.

Why in the catalog: the knowledge base is derived from the catalog's documents and chunks, and each
update (``kb/build.py``) commits with the facts it read, so a crash midway leaves the previous state
and the next update redoes what it had not recorded. ``kb_documents`` records, per document, the
stamp it was derived at: the next update finds changed documents by comparing stamps. Librarians'
corrections (areas renamed or added, tags added or removed, partners renamed, merged, split,
confirmed, agreements' signing dates) live in tables of their own that a rebuild never clears, the
way the catalog keeps metadata corrections apart.
"""

from __future__ import annotations

import json

from catalog import Catalog
from kb.taxonomy import SEED_AREAS

#: Bumped when derived tables change, so the next read rebuilds an older knowledge base.
VERSION = "4"

SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kb_areas (
    key TEXT PRIMARY KEY, name_vi TEXT NOT NULL, name_en TEXT NOT NULL,
    phrases TEXT NOT NULL, keywords TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kb_area_vectors (
    fingerprint TEXT NOT NULL, area TEXT NOT NULL, digest TEXT NOT NULL, vectors BLOB NOT NULL,
    PRIMARY KEY (fingerprint, area)
);
CREATE TABLE IF NOT EXISTS kb_area_corrections (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    area TEXT NOT NULL, action TEXT NOT NULL, corrected_at TEXT NOT NULL,
    PRIMARY KEY (document_id, area)
);
CREATE TABLE IF NOT EXISTS kb_partner_ids (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS kb_partner_corrections (
    key TEXT NOT NULL, field TEXT NOT NULL, value TEXT, corrected_at TEXT NOT NULL,
    PRIMARY KEY (key, field)
);
CREATE TABLE IF NOT EXISTS kb_partner_splits (
    key TEXT NOT NULL, surface TEXT NOT NULL, new_key TEXT NOT NULL, PRIMARY KEY (key, surface)
);
CREATE TABLE IF NOT EXISTS kb_chunk_areas (
    chunk_id INTEGER NOT NULL, document_id INTEGER NOT NULL, area TEXT NOT NULL,
    score REAL NOT NULL, evidence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kb_chunk_areas_document ON kb_chunk_areas(document_id);
CREATE INDEX IF NOT EXISTS kb_chunk_areas_area ON kb_chunk_areas(area);
CREATE TABLE IF NOT EXISTS kb_partners (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, country TEXT,
    side TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS kb_mentions (
    partner_id INTEGER NOT NULL, document_id INTEGER NOT NULL, chunk_id INTEGER NOT NULL,
    surface TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, country TEXT
);
CREATE INDEX IF NOT EXISTS kb_mentions_partner ON kb_mentions(partner_id);
CREATE INDEX IF NOT EXISTS kb_mentions_document ON kb_mentions(document_id);
CREATE INDEX IF NOT EXISTS kb_mentions_key ON kb_mentions(key);
CREATE TABLE IF NOT EXISTS kb_agreements (
    document_id INTEGER PRIMARY KEY, signed TEXT, effective TEXT, duration_months INTEGER,
    duration_text TEXT, expires TEXT, funding TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kb_citations (
    document_id INTEGER NOT NULL, chunk_id INTEGER NOT NULL, number TEXT NOT NULL,
    doc_type TEXT NOT NULL, relation TEXT NOT NULL, target_document_id INTEGER
);
CREATE INDEX IF NOT EXISTS kb_citations_target ON kb_citations(target_document_id);
CREATE INDEX IF NOT EXISTS kb_citations_document ON kb_citations(document_id);
CREATE INDEX IF NOT EXISTS kb_citations_number ON kb_citations(number);
CREATE TABLE IF NOT EXISTS kb_twins (
    first_id INTEGER NOT NULL, second_id INTEGER NOT NULL, kind TEXT NOT NULL,
    score REAL NOT NULL, evidence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kb_twins_first ON kb_twins(first_id);
CREATE INDEX IF NOT EXISTS kb_twins_second ON kb_twins(second_id);
CREATE TABLE IF NOT EXISTS kb_documents (
    document_id INTEGER PRIMARY KEY, stamp TEXT NOT NULL, vectors INTEGER NOT NULL,
    language TEXT NOT NULL, number TEXT, cites TEXT NOT NULL, figures TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kb_documents_number ON kb_documents(number);
CREATE TABLE IF NOT EXISTS kb_closest (
    document_id INTEGER NOT NULL, language TEXT NOT NULL, other_id INTEGER NOT NULL,
    score REAL NOT NULL, PRIMARY KEY (document_id, language)
);
CREATE INDEX IF NOT EXISTS kb_closest_other ON kb_closest(other_id);
CREATE TABLE IF NOT EXISTS kb_agreement_corrections (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    signed TEXT, corrected_at TEXT NOT NULL
);
"""

DERIVED_TABLES = (
    "kb_chunk_areas",
    "kb_partners",
    "kb_mentions",
    "kb_agreements",
    "kb_citations",
    "kb_twins",
    "kb_documents",
    "kb_closest",
)

#: What a document's derived facts were read from, as one SQL expression over ``documents d``: the
#: version (a re-ingest), the edit time, and the fields the facts depend on (an edit within the
#: second of the last one still changes them).
STAMP = (
    "CAST(d.version AS TEXT) || '|' || d.updated_at || '|' || coalesce(d.number, '') || '|' || "
    "coalesce(d.doc_type, '') || '|' || coalesce(d.title, '') || '|' || "
    "coalesce(d.issue_date, '') || '|' || d.languages"
)


def install(catalog: Catalog) -> None:
    """Create the tables (idempotent) and seed the taxonomy where no area exists yet.

    Every request opens the knowledge base, so the common case (all there) is one read, no write.
    A knowledge base from before per-document updates loses its derived tables (their columns
    changed; the next update derives them again), never its corrections.
    """
    if catalog.has_table("kb_closest"):
        return
    with catalog.transaction(documents_changed=False) as conn:
        for table in DERIVED_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in catalog.ddl(SCHEMA):
            conn.execute(statement)
        if conn.execute("SELECT count(*) FROM kb_areas").fetchone()[0] == 0:
            conn.executemany(
                "INSERT INTO kb_areas VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        a.key,
                        a.name_vi,
                        a.name_en,
                        json.dumps(list(a.phrases), ensure_ascii=False),
                        json.dumps(list(a.keywords)),
                        position,
                    )
                    for position, a in enumerate(SEED_AREAS)
                ],
            )
