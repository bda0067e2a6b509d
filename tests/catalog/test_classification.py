"""Each document has a classification; filters by clearance hide what is above it."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from catalog import Catalog, DocumentFilter
from hoptac.errors import InvalidInput
from hoptac.settings import Settings

from .test_catalog import new_document


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return Catalog(Settings(data_dir=tmp_path).catalog_location)


def test_documents_are_internal_unless_said_otherwise(catalog: Catalog) -> None:
    doc_id, _ = catalog.store(new_document())
    assert catalog.get_document(doc_id).classification == "internal"


def test_a_clearance_filter_hides_documents_above_it(catalog: Catalog) -> None:
    public, _ = catalog.store(
        dataclasses.replace(new_document("/a", "a1"), classification="public")
    )
    internal, _ = catalog.store(new_document("/b", "b1"))
    secret, _ = catalog.store(
        dataclasses.replace(new_document("/c", "c1"), classification="confidential")
    )
    assert catalog.document_ids(DocumentFilter(max_classification="public")) == {public}
    assert catalog.document_ids(DocumentFilter(max_classification="internal")) == {public, internal}
    assert catalog.document_ids(DocumentFilter(max_classification="confidential")) == {
        public,
        internal,
        secret,
    }
    listed = catalog.list_documents(DocumentFilter(max_classification="internal"))
    assert secret not in {d.id for d in listed}


def test_a_new_version_never_lowers_the_classification(catalog: Catalog) -> None:
    doc_id, _ = catalog.store(
        dataclasses.replace(new_document("/c", "c1"), classification="confidential")
    )
    catalog.store(new_document("/c", "c2"))
    assert catalog.get_document(doc_id).classification == "confidential"
    assert catalog.classify(doc_id, "public").classification == "public"


def test_an_unknown_classification_is_refused(catalog: Catalog) -> None:
    doc_id, _ = catalog.store(new_document())
    with pytest.raises(InvalidInput, match="public, internal, confidential"):
        catalog.classify(doc_id, "mật")


@pytest.mark.sqlite_only
def test_a_catalog_from_an_earlier_release_gains_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    Catalog(path).store(new_document())
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE documents DROP COLUMN classification")
    conn.commit()
    conn.close()
    assert Catalog(path).list_documents()[0].classification == "internal"
