"""Recording and reading the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.audit.models import AuditEvent
from frontdesk.audit.repository import AuditRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.http import RequestMeta
from frontdesk.workspaces.permissions import Permission, WorkspaceContext


async def record(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    actor_user_id: uuid.UUID | None,
    action: str,
    meta: RequestMeta | None,
    *,
    target: tuple[str, uuid.UUID | str] | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    target_type, target_id = target if target else ("", "")
    AuditRepository(session, workspace_id).add(
        AuditEvent(
            actor_user_id=actor_user_id,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            ip=meta.ip if meta else None,
            details=details or {},
            created_at=utcnow(),
        )
    )


async def record_by(
    session: AsyncSession,
    ctx: WorkspaceContext,
    action: str,
    *,
    target: tuple[str, uuid.UUID | str] | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    await record(
        session, ctx.workspace_id, ctx.user_id, action, ctx.meta, target=target, details=details
    )


async def list_events(
    session: AsyncSession,
    ctx: WorkspaceContext,
    limit: int,
    before: datetime | None,
    action: str | None,
) -> Sequence[AuditEvent]:
    ctx.require(Permission.READ_AUDIT)
    return await AuditRepository(session, ctx.workspace_id).page(limit, before, action)
