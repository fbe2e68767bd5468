from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from frontdesk.audit.models import AuditEvent
from frontdesk.kit.repository import WorkspaceRepository


class AuditRepository(WorkspaceRepository[AuditEvent]):
    model = AuditEvent

    async def page(
        self, limit: int, before: datetime | None = None, action: str | None = None
    ) -> Sequence[AuditEvent]:
        statement = self.scoped()
        if before is not None:
            statement = statement.where(AuditEvent.created_at < before)
        if action:
            statement = statement.where(AuditEvent.action == action)
        statement = statement.order_by(AuditEvent.created_at.desc(), AuditEvent.id).limit(limit)
        return (await self.session.execute(statement)).scalars().all()
