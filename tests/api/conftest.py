"""An app over a copy of the ingested sample corpus, one per test module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from hoptac.settings import Settings


@pytest.fixture(scope="module")
def app_settings(
    tmp_path_factory: pytest.TempPathFactory, sample_data_dir: Path, model_dir: Path
) -> Settings:
    data = tmp_path_factory.mktemp("api-data") / "data"
    shutil.copytree(sample_data_dir, data)
    return Settings(data_dir=data, model=str(model_dir))


@pytest.fixture(scope="module")
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings)) as client:
        yield client
