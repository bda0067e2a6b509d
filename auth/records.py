"""Who someone is and what their role lets them do: roles, rights, clearance, the user record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from catalog import CLASSIFICATIONS
from hoptac.errors import Forbidden, InvalidInput, Unauthenticated


class Role(StrEnum):
    """Each role has the rights of the one before it, and more."""

    READER = "reader"
    LIBRARIAN = "librarian"
    ADMIN = "admin"


class Right(StrEnum):
    READ = "read"
    UPLOAD = "upload"
    EDIT = "edit"
    CLASSIFY = "classify"
    DELETE = "delete"
    MANAGE_USERS = "manage users"
    AUDIT = "read the audit log"


#: The least role holding each right.
LEAST_ROLE = {
    Right.READ: Role.READER,
    Right.UPLOAD: Role.LIBRARIAN,
    Right.EDIT: Role.LIBRARIAN,
    Right.CLASSIFY: Role.LIBRARIAN,
    Right.DELETE: Role.ADMIN,
    Right.MANAGE_USERS: Role.ADMIN,
    Right.AUDIT: Role.ADMIN,
}
_ORDER = list(Role)


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"unknown role {value!r}; choose one of {', '.join(r.value for r in Role)}"
        ) from None


def parse_clearance(value: str) -> str:
    if value not in CLASSIFICATIONS:
        raise InvalidInput(
            f"unknown clearance {value!r}; choose one of {', '.join(CLASSIFICATIONS)}"
        )
    return value


@dataclass(frozen=True)
class User:
    """A person or script; ``clearance`` is the most restricted classification they may see."""

    id: int | None
    name: str
    role: Role
    clearance: str
    created_at: str = ""

    def can(self, right: Right) -> bool:
        return _ORDER.index(self.role) >= _ORDER.index(LEAST_ROLE[right])

    def require(self, right: Right) -> None:
        """Raise Forbidden (403) naming the role that has ``right`` when this user lacks it
        (Unauthenticated, 401, for an anonymous visitor: signing in may help)."""
        if not self.can(right) and self.id is None:
            raise Unauthenticated(f"sign in to {right.value}; anonymous visitors may only read")
        if not self.can(right):
            raise Forbidden(
                f"{self.name} is a {self.role.value}; to {right.value} you need the role "
                f"{LEAST_ROLE[right].value} or above (ask an admin: hoptac users add ...)"
            )


#: Who an unauthenticated request acts as, where anonymous reading is allowed by a setting.
ANONYMOUS = User(id=None, name="anonymous", role=Role.READER, clearance="public")
