"""The audit log, for admins: who asked for what, newest first, filtered, one page at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query

from matcher.store import ApiKey

from ..deps import MAX_ROW, State, require
from ..schemas import AuditEntryPublic, AuditPage
from . import ERRORS

router = APIRouter(prefix="/audit", tags=["audit"], responses=ERRORS)

Admin = Annotated[ApiKey, Depends(require())]


@router.get("", response_model=AuditPage, summary="Audit entries, newest first (admins only)")
def list_audit(
    state: State,
    key: Admin,
    key_id: Annotated[str | None, Query(max_length=32, description="entries of this key id")] = None,
    action: Annotated[str | None, Query(max_length=100, description="e.g. serve_candidates, create_vacancy")] = None,
    target: Annotated[str | None, Query(max_length=300, description="e.g. a vacancy or candidate id")] = None,
    since: Annotated[datetime | None, Query(description="entries at or after this time (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="entries before this time")] = None,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ROW, description="entries older than this id")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """``next`` is the link to the following (older) page, or null on the last one."""
    entries = state.store.list_audit(
        key_id=key_id, action=action, limit=limit, target=target, since=since, until=until, before_id=before_id
    )
    filters = {"key_id": key_id, "action": action, "target": target, "since": since, "until": until}
    query = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in filters.items() if v is not None}
    next_link = (
        f"/audit?{urlencode({**query, 'limit': limit, 'before_id': entries[-1].id})}" if len(entries) == limit else None
    )
    return AuditPage(
        items=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in entries], limit=limit, next=next_link
    )
