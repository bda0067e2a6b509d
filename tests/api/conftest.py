"""An app over a copy of the ingested sample corpus, one per test module.

``client`` acts as an admin through an API token; tests about who may do what make their own users
with ``make_token``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from auth import UserStore
from catalog import Catalog
from hoptac.settings import Settings


@pytest.fixture(scope="module")
def app_settings(
    tmp_path_factory: pytest.TempPathFactory, sample_data_dir: Path, model_dir: Path
) -> Settings:
    data = tmp_path_factory.mktemp("api-data") / "data"
    shutil.copytree(sample_data_dir, data)
    return Settings(data_dir=data, model=str(model_dir), allowed_hosts=["testserver"])


@pytest.fixture(scope="module")
def make_token(app_settings: Settings) -> Callable[[str, str], str]:
    """An API token for a new user with this role and clearance (one user per call)."""
    users = UserStore(Catalog(app_settings.catalog_location))
    made: list[int] = []

    def make(role: str, clearance: str) -> str:
        made.append(1)
        name = f"{role}-{clearance}-{len(made)}"
        users.add(name, role, clearance, password=f"{name}-password")
        return users.new_token(name)

    return make


@pytest.fixture(scope="module")
def client(app_settings: Settings, make_token: Callable[[str, str], str]) -> Iterator[TestClient]:
    headers = {"Authorization": f"Bearer {make_token('admin', 'confidential')}"}
    with TestClient(create_app(app_settings), headers=headers) as client:
        yield client
