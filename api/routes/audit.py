"""GET /api/audit: the audit log, for admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import AuditDep, UserDep
from api.schemas import plain
from auth import Right

router = APIRouter(prefix="/api", tags=["audit"])


@router.get("/audit")
def audit_log(
    audit: AuditDep, user: UserDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> dict[str, Any]:
    """Sign-ins (and failures), uploads, edits, reclassifications, deletes, confidential downloads."""
    user.require(Right.AUDIT)
    return {"entries": [plain(e) for e in audit.entries(limit)]}
