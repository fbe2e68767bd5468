from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select

from frontdesk.attachments.models import Attachment
from frontdesk.conversations.models import Message
from frontdesk.documents.models import Document
from frontdesk.kit.db import utcnow
from frontdesk.kit.repository import WorkspaceRepository


class DocumentRepository(WorkspaceRepository[Document]):
    model = Document

    async def page(self, status: str | None, limit: int, offset: int) -> Sequence[Document]:
        statement = self.scoped()
        if status:
            statement = statement.where(Document.status == status)
        statement = statement.order_by(Document.created_at.desc(), Document.id)
        result = await self.session.execute(statement.limit(limit).offset(offset))
        return result.scalars().all()

    async def get_for_update(self, document_id: uuid.UUID) -> Document | None:
        statement = self.scoped().where(Document.id == document_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def recent_customer_words(
        self, conversation_id: uuid.UUID, message: Message, within: timedelta
    ) -> str:
        """The customer's latest words before ``message`` (text only), if recent."""
        statement = (
            select(Message.text)
            .where(
                Message.workspace_id == self.workspace_id,
                Message.conversation_id == conversation_id,
                Message.sender_type == "customer",
                Message.id != message.id,
                Message.text != "",
                Message.created_at >= message.created_at - within,
            )
            .order_by(Message.created_at.desc())
            .limit(1)
        )
        return (await self.session.execute(statement)).scalar_one_or_none() or ""

    async def recent_unclaimed_files(
        self, conversation_id: uuid.UUID, kinds: Sequence[str], within: timedelta, limit: int
    ) -> Sequence[Attachment]:
        """Files the customer sent lately in this conversation that are no document yet."""
        claimed = select(Document.attachment_id).where(
            Document.workspace_id == self.workspace_id,
            Document.conversation_id == conversation_id,
        )
        statement = (
            select(Attachment)
            .join(Message, Message.id == Attachment.message_id)
            .where(
                Attachment.workspace_id == self.workspace_id,
                Attachment.conversation_id == conversation_id,
                Attachment.kind.in_(kinds),
                Attachment.created_at >= utcnow() - within,
                Message.sender_type == "customer",
                Attachment.id.not_in(claimed),
            )
            .order_by(Attachment.created_at.desc())
            .limit(limit)
        )
        return (await self.session.execute(statement)).scalars().all()
