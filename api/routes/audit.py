"""GET /api/audit: the audit log, for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AuditDep, AuditorDep
from api.schemas import AuditEntries

router = APIRouter(prefix="/api", tags=["audit"])


@router.get("/audit", response_model=AuditEntries)
def audit_log(
    audit: AuditDep, user: AuditorDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> AuditEntries:
    """Sign-ins (and failures), uploads, edits, reclassifications, deletes, confidential downloads."""
    return AuditEntries.of(audit.entries(limit))
