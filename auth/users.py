"""Users, their passwords, API tokens and browser sessions, kept in the catalog's SQLite file.

Passwords are hashed with argon2 (pwdlib). Tokens and session ids are random and long, so a plain
SHA-256 of them is what is stored: a copy of the catalog gives no usable credential.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from pwdlib import PasswordHash

from auth.records import Role, User, parse_clearance, parse_role
from catalog import Catalog
from hoptac.errors import InvalidInput, NotFound, Unauthenticated

_hasher = PasswordHash.recommended()
#: Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password anyone has")
_USER_FIELDS = "id, name, role, clearance, created_at"
#: Shorter passwords are refused: guessing them is cheap even at a few tries a minute.
MIN_PASSWORD = 8


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _user(row: object) -> User:
    r = dict(row)  # type: ignore[call-overload]
    return User(r["id"], r["name"], Role(r["role"]), r["clearance"], r["created_at"])


class UserStore:
    """The accounts of one data directory; every method is one short catalog transaction."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- accounts ------------------------------------------------------------------------------

    def add(self, name: str, role: str, clearance: str, password: str | None = None) -> User:
        """A new account; without a password it can only use API tokens."""
        name = name.strip()
        if not name or len(name) > 64 or any(c.isspace() for c in name):
            raise InvalidInput(
                "a user name is 1 to 64 characters without spaces, e.g. 'lan.nguyen'"
            )
        role, clearance = parse_role(role), parse_clearance(clearance)
        if password is not None:
            _check_password(password)
        if self.find(name) is not None:
            raise InvalidInput(f"user {name} already exists; remove it first or pick another name")
        hashed = _hasher.hash(password) if password else None
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute(
                "INSERT INTO users (name, role, clearance, password_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, role.value, clearance, hashed, _now().isoformat(timespec="seconds")),
            )
        return self.get(name)

    def find(self, name: str) -> User | None:
        rows = self.catalog.query(f"SELECT {_USER_FIELDS} FROM users WHERE name = ?", (name,))
        return _user(rows[0]) if rows else None

    def get(self, name: str) -> User:
        user = self.find(name)
        if user is None:
            raise NotFound(f"user {name} does not exist; see hoptac users list")
        return user

    def list(self) -> list[User]:
        return [
            _user(r) for r in self.catalog.query(f"SELECT {_USER_FIELDS} FROM users ORDER BY id")
        ]

    def remove(self, name: str) -> User:
        """Delete the account; its tokens and sessions go with it."""
        user = self.get(name)
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute("DELETE FROM users WHERE id = ?", (user.id,))
        return user

    def set_password(self, name: str, password: str) -> None:
        """Change the password; the user's browser sessions end (API tokens stay)."""
        user = self.get(name)
        _check_password(password)
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), user.id)
            )
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))

    def has_admin(self) -> bool:
        return bool(self.catalog.query("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1"))

    def ensure_admin(self, password: str | None = None) -> str | None:
        """On first start, create ``admin``; returns the password to show once, or None if one exists.

        ``password`` (from ``HOPTAC_ADMIN_PASSWORD``) is used when given, else a random one is made.
        """
        if self.has_admin():
            return None
        password = password or secrets.token_urlsafe(12)
        self.add("admin", Role.ADMIN.value, "confidential", password)
        return password

    def authenticate(self, name: str, password: str) -> User:
        """The user, when the password is theirs; Unauthenticated otherwise (same message either way)."""
        rows = self.catalog.query("SELECT password_hash FROM users WHERE name = ?", (name,))
        stored = rows[0]["password_hash"] if rows else None
        if not _hasher.verify(password, stored or _DUMMY_HASH) or not stored:
            raise Unauthenticated("wrong user name or password")
        return self.get(name)

    # -- API tokens ------------------------------------------------------------------------------

    def new_token(self, name: str) -> str:
        """A new API token for ``name``; shown once, only its hash is kept."""
        user = self.get(name)
        token = "hoptac_" + secrets.token_urlsafe(32)
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute(
                "INSERT INTO api_tokens VALUES (?, ?, ?)",
                (_digest(token), user.id, _now().isoformat(timespec="seconds")),
            )
        return token

    def revoke_tokens(self, name: str) -> int:
        """Revoke every API token of ``name``; returns how many there were."""
        user = self.get(name)
        with self.catalog.transaction(documents_changed=False) as conn:
            return conn.execute("DELETE FROM api_tokens WHERE user_id = ?", (user.id,)).rowcount

    def user_for_token(self, token: str) -> User | None:
        rows = self.catalog.query(
            f"SELECT {', '.join('u.' + f for f in _USER_FIELDS.split(', '))} FROM api_tokens t "
            "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
            (_digest(token),),
        )
        return _user(rows[0]) if rows else None

    # -- browser sessions --------------------------------------------------------------------------

    def start_session(self, user: User, lifetime: timedelta) -> str:
        """A new session id for a signed-in browser; it expires after ``lifetime``."""
        session = secrets.token_urlsafe(32)
        expires = (_now() + lifetime).isoformat(timespec="seconds")
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (_now().isoformat(),))
            conn.execute(
                "INSERT INTO sessions VALUES (?, ?, ?)", (_digest(session), user.id, expires)
            )
        return session

    def user_for_session(self, session: str) -> User | None:
        rows = self.catalog.query(
            f"SELECT {', '.join('u.' + f for f in _USER_FIELDS.split(', '))} FROM sessions s "
            "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
            (_digest(session), _now().isoformat(timespec="seconds")),
        )
        return _user(rows[0]) if rows else None

    def end_session(self, session: str) -> None:
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(session),))
