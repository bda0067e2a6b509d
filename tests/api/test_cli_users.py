"""An administrator at the terminal adds accounts, hands out API tokens and reads the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from auth import AuditLog, UserStore
from catalog import Catalog
from hoptac.errors import Unauthenticated
from hoptac.settings import Settings


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
    store = UserStore(Catalog(Settings(data_dir=tmp_path).catalog_location))
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
    AuditLog(Catalog(Settings(data_dir=tmp_path).catalog_location)).record("lan", "sign-in failed")
    assert "sign-in failed" in run(tmp_path, "audit")


def test_ingest_marks_new_documents_with_the_classification_given(tmp_path: Path) -> None:
    inbox = tmp_path / "mat"
    inbox.mkdir()
    (inbox / "ke-hoach-mat.txt").write_text(
        "KẾ HOẠCH bảo vệ bí mật nhà nước trong hợp tác quốc tế về y tế năm 2026.", encoding="utf-8"
    )
    (inbox / "thong-bao.txt").write_text(
        "THÔNG BÁO lịch khám sàng lọc miễn phí cho người cao tuổi.", encoding="utf-8"
    )
    data = tmp_path / "data"
    run(
        data,
        "ingest",
        str(inbox / "ke-hoach-mat.txt"),
        "--classification",
        "confidential",
        "--no-index",
    )
    run(data, "ingest", str(inbox / "thong-bao.txt"), "--no-index")
    kinds = {
        d.source_name: d.classification
        for d in Catalog(Settings(data_dir=data).catalog_location).list_documents()
    }
    assert kinds == {"ke-hoach-mat.txt": "confidential", "thong-bao.txt": "internal"}


def test_the_first_serve_creates_an_admin_and_prints_its_password_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    import api.app

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.setattr(api.app, "create_app", lambda *args, **kwargs: None)
    first = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "serve"])
    assert first.exit_code == 0, first.output
    password = first.output.split("with the password")[1].split()[0]
    store = UserStore(Catalog(Settings(data_dir=tmp_path).catalog_location))
    assert store.authenticate("admin", password).role == "admin"
    again = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "serve"])
    assert "password" not in again.output


def test_the_admin_replaces_the_one_time_password(tmp_path: Path) -> None:
    store = UserStore(Catalog(Settings(data_dir=tmp_path).catalog_location))
    first = store.ensure_admin()
    run(tmp_path, "users", "password", "admin", "--password-stdin", stdin="a long new password\n")
    assert store.authenticate("admin", "a long new password").name == "admin"
    with pytest.raises(Unauthenticated):
        store.authenticate("admin", first or "")


def test_changes_made_at_the_terminal_are_in_the_audit_log(tmp_path: Path) -> None:
    run(tmp_path, "users", "add", "bot", "--role", "librarian", "--clearance", "public")
    run(tmp_path, "users", "token", "bot")
    entries = AuditLog(Catalog(Settings(data_dir=tmp_path).catalog_location)).entries()
    assert [e.action for e in entries] == ["token issued", "user added"]
    assert all(e.actor.startswith("cli:") for e in entries)
