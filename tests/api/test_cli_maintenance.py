"""A librarian at the terminal: backup, check, a damaged catalog, a new version of a document."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main


def run(data: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner(env={"HOPTAC_DATA_DIR": None, "HOPTAC_RESTORE_DIACRITICS": "false"})
    result = runner.invoke(main, ["--data-dir", str(data), *args])
    return result.exit_code, result.output


@pytest.mark.sqlite_only
def test_backup_then_check_a_small_library(tmp_path: Path) -> None:
    data = tmp_path / "data"
    note = tmp_path / "cong-van.txt"
    note.write_text("Công văn về hội thảo dinh dưỡng lâm sàng của Sở Y tế Hà Nội.")
    assert run(data, "ingest", "--no-index", str(note))[0] == 0
    code, output = run(data, "backup", str(tmp_path / "copy"))
    assert code == 0 and "1 documents and 1 originals" in output
    code, output = run(tmp_path / "copy", "check", "--no-index")
    assert code == 0 and "all sound" in output


@pytest.mark.sqlite_only
def test_a_damaged_catalog_is_one_clear_line_naming_the_file_and_the_recovery(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "catalog.sqlite3").write_bytes(b"not a database, a page of zeros" + bytes(4096))
    code, output = run(data, "documents")
    output = output.replace("\n", "")  # the terminal wraps the line
    assert code == 1
    assert "catalog.sqlite3 is damaged" in output and "restore the latest backup" in output
    assert "Traceback" not in output


def test_ingest_replaces_makes_a_new_version_and_takes_one_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    draft, final = tmp_path / "draft.txt", tmp_path / "final.txt"
    draft.write_text("Quyết định số 12 về hội đồng khoa học, bản nháp.")
    final.write_text("Quyết định số 12 về hội đồng khoa học, bản chính thức.")
    assert run(data, "ingest", "--no-index", str(draft))[0] == 0
    code, output = run(data, "ingest", "--no-index", "--replaces", "1", str(final))
    assert code == 0 and "1 updated" in output
    code, output = run(data, "ingest", "--no-index", "--replaces", "1", str(draft), str(final))
    assert code == 1 and "exactly one file" in output
    code, output = run(data, "ingest", "--no-index", "--replaces", str(2**63), str(final))
    assert code == 2 and "--replaces" in output
