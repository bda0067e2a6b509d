"""A folder ingest never leaves the folder given: links out of it are reported and skipped."""

from __future__ import annotations

from pathlib import Path

from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import ingest_paths


def test_a_link_to_a_file_outside_the_folder_is_skipped_and_reported(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 20)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "passwd.txt").symlink_to(secret)
    (inbox / "etc").symlink_to(secret.parent, target_is_directory=True)
    settings = Settings(data_dir=tmp_path / "data")
    catalog = Catalog(settings.catalog_location)

    report = ingest_paths(catalog, settings, [inbox])

    assert [(Path(f.path).name, f.status) for f in report.files] == [("passwd.txt", "skipped")]
    assert "outside the folder" in (report.files[0].reason or "")
    assert catalog.list_documents() == []
