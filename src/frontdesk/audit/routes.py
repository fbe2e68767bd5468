from __future__ import annotations

from fastapi import APIRouter, Query

from frontdesk.audit import service
from frontdesk.audit.schemas import AuditEventOut, AuditPage
from frontdesk.deps import Ctx, Uow
from frontdesk.kit.params import IsoDatetime

router = APIRouter(prefix="/api", tags=["audit"])


@router.get("/audit", response_model=AuditPage)
async def list_audit_events(
    uow: Uow,
    ctx: Ctx,
    limit: int = Query(50, ge=1, le=200),
    before: IsoDatetime | None = None,
    action: str | None = None,
) -> AuditPage:
    events = await service.list_events(uow.session, ctx, limit, before, action)
    return AuditPage(
        events=[AuditEventOut.model_validate(e) for e in events],
        next_before=events[-1].created_at if len(events) == limit else None,
    )
