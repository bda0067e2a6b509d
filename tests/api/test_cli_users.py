"""An administrator at the terminal adds accounts, hands out API tokens and reads the audit log."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from api.cli import main
from auth import AuditLog, UserStore
from ingest.catalog import Catalog


def run(data: Path, *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(main, ["--data-dir", str(data), *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_admin_adds_lists_tokens_and_removes_a_reader(tmp_path: Path) -> None:
    run(
        tmp_path,
        *["users", "add", "lan", "--role", "reader", "--clearance", "internal", "--password-stdin"],
        stdin="correct horse\n",
    )
    assert "lan" in run(tmp_path, "users", "list")
    token = run(tmp_path, "users", "token", "lan")
    assert token.count("\n") == 1 and token.startswith("hoptac_")
    store = UserStore(Catalog(tmp_path / "catalog.sqlite3"))
    assert store.user_for_token(token.strip()).name == "lan"  # type: ignore[union-attr]
    assert store.authenticate("lan", "correct horse").role == "reader"
    run(tmp_path, "users", "remove", "lan")
    assert store.user_for_token(token.strip()) is None


def test_a_bad_role_is_refused_with_the_choices(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(tmp_path),
            "users",
            "add",
            "x",
            "--role",
            "boss",
            "--clearance",
            "public",
        ],
    )
    assert result.exit_code == 2 and "reader" in result.output


def test_the_audit_command_shows_recent_entries(tmp_path: Path) -> None:
    AuditLog(Catalog(tmp_path / "catalog.sqlite3")).record("lan", "sign-in failed")
    assert "sign-in failed" in run(tmp_path, "audit")
