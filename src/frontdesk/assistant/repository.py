from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, func

from frontdesk.assistant.models import AssistantProfile, CustomIntent, ModelUsage
from frontdesk.kit.repository import WorkspaceRepository


class AssistantRepository(WorkspaceRepository[AssistantProfile]):
    model = AssistantProfile

    async def current(self) -> AssistantProfile | None:
        result = await self.session.execute(self.scoped().limit(1))
        return result.scalar_one_or_none()


class CustomIntentRepository(WorkspaceRepository[CustomIntent]):
    model = CustomIntent

    async def by_name(self, name: str) -> CustomIntent | None:
        result = await self.session.execute(self.scoped().where(CustomIntent.name == name))
        return result.scalar_one_or_none()


class ModelUsageRepository(WorkspaceRepository[ModelUsage]):
    model = ModelUsage

    async def totals(self, since: datetime) -> Sequence[Row[str, str, int, int, int]]:
        """Calls and tokens per provider and model since ``since``."""
        statement = (
            self.scoped()
            .with_only_columns(
                ModelUsage.provider,
                ModelUsage.model,
                func.count(),
                func.coalesce(func.sum(ModelUsage.input_tokens), 0),
                func.coalesce(func.sum(ModelUsage.output_tokens), 0),
            )
            .where(ModelUsage.created_at >= since)
            .group_by(ModelUsage.provider, ModelUsage.model)
            .order_by(ModelUsage.provider, ModelUsage.model)
        )
        return (await self.session.execute(statement)).all()
