"""An admin manages accounts; passwords and tokens are checked and never stored in the clear."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from auth import AuditLog, Right, UserStore
from catalog import Catalog
from hoptac.errors import Forbidden, InvalidInput, Unauthenticated
from hoptac.settings import Settings


@pytest.fixture
def users(tmp_path: Path) -> UserStore:
    return UserStore(Catalog(Settings(data_dir=tmp_path).catalog_location))


def test_a_reader_signs_in_with_her_password_and_not_with_another(users: UserStore) -> None:
    users.add("lan", "reader", "internal", "correct horse")
    assert users.authenticate("lan", "correct horse").clearance == "internal"
    with pytest.raises(Unauthenticated):
        users.authenticate("lan", "wrong")
    with pytest.raises(Unauthenticated):
        users.authenticate("nobody", "correct horse")


def test_passwords_and_tokens_are_stored_only_as_hashes(users: UserStore) -> None:
    users.add("lan", "reader", "internal", "correct horse")
    token = users.new_token("lan")
    tables = ("users", "api_tokens", "sessions", "audit_log", "meta")
    dump = "\n".join(
        str(list(row)) for table in tables for row in users.catalog.query(f"SELECT * FROM {table}")
    )
    assert "correct horse" not in dump and token not in dump
    assert "$argon2" in dump


def test_a_token_names_its_user_until_revoked(users: UserStore) -> None:
    users.add("bot", "librarian", "public")
    token = users.new_token("bot")
    assert users.user_for_token(token).name == "bot"  # type: ignore[union-attr]
    assert users.revoke_tokens("bot") == 1
    assert users.user_for_token(token) is None


def test_a_session_expires(users: UserStore) -> None:
    user = users.add("lan", "reader", "internal", "long enough")
    live = users.start_session(user, timedelta(hours=1))
    dead = users.start_session(user, timedelta(seconds=-1))
    assert users.user_for_session(live) == user
    assert users.user_for_session(dead) is None
    users.end_session(live)
    assert users.user_for_session(live) is None


def test_roles_grow_rights_and_a_reader_is_told_who_may(users: UserStore) -> None:
    reader = users.add("lan", "reader", "internal")
    librarian = users.add("minh", "librarian", "internal")
    admin = users.add("root", "admin", "confidential")
    assert librarian.can(Right.UPLOAD) and not librarian.can(Right.DELETE)
    assert admin.can(Right.DELETE)
    with pytest.raises(Forbidden, match="librarian"):
        reader.require(Right.UPLOAD)


def test_unknown_roles_and_clearances_are_refused_with_the_choices(users: UserStore) -> None:
    with pytest.raises(InvalidInput, match="reader, librarian, admin"):
        users.add("x", "boss", "internal")
    with pytest.raises(InvalidInput, match="public, internal, confidential"):
        users.add("x", "reader", "secret")


def test_the_first_start_makes_one_admin_only(users: UserStore) -> None:
    password = users.ensure_admin()
    assert password and users.authenticate("admin", password).role == "admin"
    assert users.ensure_admin() is None


def test_account_writes_do_not_make_the_search_index_resync(users: UserStore) -> None:
    before = users.catalog.generation()
    user = users.add("lan", "reader", "internal", "long enough")
    users.start_session(user, timedelta(hours=1))
    AuditLog(users.catalog).record("lan", "sign-in")
    assert users.catalog.generation() == before


def test_the_audit_log_keeps_the_latest_first(users: UserStore) -> None:
    log = AuditLog(users.catalog)
    log.record("lan", "sign-in failed")
    log.record("admin", "delete", 3, "plan.pdf")
    assert [e.action for e in log.entries()] == ["delete", "sign-in failed"]


def test_a_short_password_is_refused(users: UserStore) -> None:
    with pytest.raises(InvalidInput, match="at least 8"):
        users.add("lan", "reader", "internal", "short")
