from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.attachments.models import Attachment
from frontdesk.kit.repository import WorkspaceRepository

# Per unit of work: message id -> its attachments, as far as this unit already knows them.
# A message created in this unit has exactly the attachments this unit gave it, so serialising
# it (for its event and the response) needs no query.
_KNOWN = "attachments_by_message"


def remember(session: AsyncSession, message_id: uuid.UUID, files: Sequence[Attachment]) -> None:
    session.info.setdefault(_KNOWN, {})[message_id] = list(files)


class AttachmentRepository(WorkspaceRepository[Attachment]):
    model = Attachment

    async def for_messages(
        self, message_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[Attachment]]:
        known: dict[uuid.UUID, list[Attachment]] = self.session.info.get(_KNOWN, {})
        found = {i: known[i] for i in message_ids if i in known}
        missing = [i for i in message_ids if i not in known]
        if missing:
            result = await self.session.execute(
                self.scoped()
                .where(Attachment.message_id.in_(missing))
                .order_by(Attachment.created_at)
            )
            for attachment in result.scalars().all():
                assert attachment.message_id is not None
                found.setdefault(attachment.message_id, []).append(attachment)
        return found

    async def unattached(
        self, conversation_id: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> Sequence[Attachment]:
        result = await self.session.execute(
            self.scoped().where(
                Attachment.conversation_id == conversation_id,
                Attachment.id.in_(ids),
                Attachment.message_id.is_(None),
            )
        )
        return result.scalars().all()


class AttachmentFiles:
    """Reaching a file by its capability URL (id + access key), and the expiry sweep: both
    cross workspaces by design — the key, not a tenant, grants access."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_access(self, attachment_id: uuid.UUID, access_key: str) -> Attachment | None:
        result = await self.session.execute(
            select(Attachment).where(
                Attachment.id == attachment_id, Attachment.access_key == access_key
            )
        )
        return result.scalar_one_or_none()

    async def unattached_before(self, moment: datetime, limit: int = 500) -> Sequence[Attachment]:
        result = await self.session.execute(
            select(Attachment)
            .where(Attachment.message_id.is_(None), Attachment.created_at < moment)
            .limit(limit)
        )
        return result.scalars().all()
