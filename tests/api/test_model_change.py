"""A site switches models: the server still starts, says what to do, and reindex fixes it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from auth import UserStore
from catalog import Catalog
from hoptac.settings import Settings
from search.engine import SearchEngine

pytestmark = pytest.mark.slow


def test_an_index_built_with_another_model_asks_for_reindex(
    tmp_path: Path, sample_data_dir: Path, model_dir: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    settings = Settings(data_dir=data, model=str(model_dir))
    if settings.search_in_database:  # the vectors in PostgreSQL record their model in a row
        with Catalog(settings.catalog_location).transaction(documents_changed=False) as conn:
            conn.execute(
                "UPDATE vector_model SET model = 'multilingual-e5-base', fingerprint = 'other'"
            )
    else:
        params = data / "index" / "vectors.json"
        saved = json.loads(params.read_text())
        params.write_text(
            json.dumps({**saved, "model": "multilingual-e5-base", "fingerprint": "other"})
        )
    # The sample corpus is internal: an admin token sees it.
    users = UserStore(Catalog(settings.catalog_location))
    users.add("admin", "admin", "confidential")
    headers = {"Authorization": f"Bearer {users.new_token('admin')}"}

    with TestClient(create_app(settings), base_url="http://localhost", headers=headers) as client:
        health = client.get("/health")
        assert health.status_code == 409
        assert "hoptac reindex" in health.json()["message"]
        search = client.get("/api/search", params={"q": "y tế"})
        assert search.status_code == 409
        assert client.get("/api/documents").status_code == 200, "the catalog stays readable"

    catalog = Catalog(settings.catalog_location)
    report = SearchEngine(settings, catalog).reindex()
    assert report.total == len(catalog.chunk_ids())
    with TestClient(create_app(settings), base_url="http://localhost", headers=headers) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/api/search", params={"q": "y tế"}).json()["results"]
