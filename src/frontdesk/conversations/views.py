"""Messages as clients see them, with their attachments loaded in one query."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.attachments.repository import AttachmentRepository
from frontdesk.conversations.models import Message
from frontdesk.conversations.schemas import MessageOut


async def message_views(
    session: AsyncSession, workspace_id: uuid.UUID, messages: Sequence[Message], staff: bool = False
) -> list[MessageOut]:
    files = await AttachmentRepository(session, workspace_id).for_messages([m.id for m in messages])
    return [MessageOut.of(m, staff=staff, attachments=files.get(m.id, ())) for m in messages]


async def message_view(session: AsyncSession, message: Message, staff: bool = False) -> MessageOut:
    return (await message_views(session, message.workspace_id, [message], staff))[0]
