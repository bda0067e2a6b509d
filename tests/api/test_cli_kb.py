"""The knowledge base at the terminal: rebuild it, list partners, list agreements running out."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from api.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(sample_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    copy = tmp_path_factory.mktemp("cli-kb") / "data"
    shutil.copytree(sample_data_dir, copy)
    return str(copy)


@pytest.fixture(scope="module")
def runner(model_dir: Path) -> CliRunner:
    return CliRunner(env={"HOPTAC_MODEL": str(model_dir), "HOPTAC_DATA_DIR": None})


def test_rebuild_then_list_the_korean_partners(runner: CliRunner, data: str) -> None:
    rebuilt = runner.invoke(main, ["--data-dir", data, "kb", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "keywords only" not in rebuilt.output and "agreements" in rebuilt.output
    listed = runner.invoke(main, ["--data-dir", data, "partners", "--country", "Korea", "--json"])
    assert listed.exit_code == 0, listed.output
    names = {json.loads(line)["name"] for line in listed.output.splitlines()}
    assert names == {
        "Korea International Cooperation Agency (KOICA)",
        "Seoul National University Hospital",
    }


def test_agreements_expiring_within_a_number_of_months(
    runner: CliRunner, data: str, tmp_path: Path
) -> None:
    table = runner.invoke(main, ["--data-dir", data, "agreements"])
    assert table.exit_code == 0 and "Hospices Civils de Lyon (France)" in table.output
    far = runner.invoke(main, ["--data-dir", data, "agreements", "--expiring", "600", "--json"])
    assert far.exit_code == 0
    assert all(json.loads(line)["status"] == "expiring" for line in far.output.splitlines())
    within = ["--data-dir", data, "agreements", "--expiring-within", "50y", "--json"]
    assert runner.invoke(main, within).output == far.output
    bad = runner.invoke(main, ["--data-dir", data, "agreements", "--expiring-within", "soon"])
    assert bad.exit_code == 2 and "12m" in bad.output
    target = tmp_path / "agreements.csv"
    written = runner.invoke(main, ["--data-dir", data, "agreements", "--csv", str(target)])
    assert written.exit_code == 0 and "2417/QĐ-SYT" in target.read_text(encoding="utf-8-sig")


def test_the_agreements_table_written_to_an_excel_workbook(
    runner: CliRunner, data: str, tmp_path: Path
) -> None:
    target = tmp_path / "agreements.xlsx"
    written = runner.invoke(main, ["--data-dir", data, "agreements", "--xlsx", str(target)])
    assert written.exit_code == 0, written.output
    sheet = load_workbook(target).active
    header, *rows = list(sheet.values)
    assert header[:4] == ("document", "number", "title", "foreign partners")
    seoul = next(r for r in rows if r[1] == "2417/QĐ-SYT")
    assert seoul[header.index("expires")] == datetime(2027, 6, 30)
    assert seoul[header.index("months")] == 24


def test_an_unknown_status_is_a_usage_error(runner: CliRunner, data: str) -> None:
    result = runner.invoke(main, ["--data-dir", data, "agreements", "--status", "soon"])
    assert result.exit_code == 2 and "soon" in result.output


def test_show_names_the_news_article_as_plan_137s_twin(runner: CliRunner, data: str) -> None:
    listed = runner.invoke(main, ["--data-dir", data, "documents", "--json"])
    ids = {
        d["source_name"]: d["id"]
        for d in (json.loads(line) for line in listed.output.splitlines() if line.startswith("{"))
    }
    plan, news = ids["kh-137-ubnd-2025-ocr.txt"], ids["news-hanoi-kh137-2025-05-17.txt"]
    shown = runner.invoke(main, ["--data-dir", data, "show", str(plan)], env={"COLUMNS": "300"})
    assert shown.exit_code == 0, shown.output
    assert "Twins" in shown.output and "cites 137/KH-UBND" in shown.output
    as_json = runner.invoke(main, ["--data-dir", data, "show", str(plan), "--json"])
    [twin] = json.loads(as_json.output)["twins"]
    assert (twin["document_id"], twin["kind"]) == (news, "about")
