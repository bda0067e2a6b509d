"""Users, roles, clearance, API tokens, sessions and the audit log, kept in the catalog."""

from auth.audit import AuditEntry, AuditLog
from auth.records import ANONYMOUS, Right, Role, User
from auth.users import UserStore

__all__ = ["ANONYMOUS", "AuditEntry", "AuditLog", "Right", "Role", "User", "UserStore"]
