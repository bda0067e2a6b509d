"""The audit log: who signed in (or failed to), uploaded, edited, reclassified, deleted, downloaded.

Entries live in the catalog, so a backup of the data directory keeps them; they are never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from catalog import Catalog


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    document_id: int | None
    detail: str | None


class AuditLog:
    """Append-only record of security-relevant actions."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def record(
        self, actor: str, action: str, document_id: int | None = None, detail: str | None = None
    ) -> None:
        """One entry; ``action`` is a short verb such as ``sign-in failed`` or ``delete``."""
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute(
                "INSERT INTO audit_log (at, actor, action, document_id, detail) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    actor,
                    action,
                    document_id,
                    detail,
                ),
            )

    def entries(self, limit: int = 100) -> list[AuditEntry]:
        """The most recent entries first."""
        rows = self.catalog.query(
            "SELECT id, at, actor, action, document_id, detail FROM audit_log "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [AuditEntry(**dict(r)) for r in rows]
