from __future__ import annotations

from frontdesk.assistant.models import AssistantProfile
from frontdesk.kit.repository import WorkspaceRepository


class AssistantRepository(WorkspaceRepository[AssistantProfile]):
    model = AssistantProfile

    async def current(self) -> AssistantProfile | None:
        result = await self.session.execute(self.scoped().limit(1))
        return result.scalar_one_or_none()
