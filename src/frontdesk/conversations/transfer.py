"""Exporting a conversation (JSON, or CSV of its messages) and importing one back."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.conversations import inbox
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import ConversationRepository, MessageRepository
from frontdesk.conversations.schemas import ConversationOut, MessageOut
from frontdesk.conversations.views import message_views
from frontdesk.kit.params import TextDatetime
from frontdesk.kit.security import hash_opaque_token, new_opaque_token
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

CSV_COLUMNS = ("created_at", "sender_type", "sender_name", "status", "text")


class ImportedMessage(BaseModel):
    sender_type: Literal["customer", "assistant", "staff", "system"]
    sender_name: str = Field("", max_length=200)
    text: str = Field("", max_length=8000)
    status: Literal["sent", "draft", "deleted"] = "sent"
    created_at: TextDatetime


class ImportedConversation(BaseModel):
    customer_name: str = Field("", max_length=200)
    customer_email: str = Field("", max_length=320)
    channel: Literal["portal", "widget", "import"] = "import"
    status: Literal["open", "closed"] = "closed"
    client_description: str = Field("", max_length=4000)


class ConversationImport(BaseModel):
    """The JSON export's shape; ids are not kept (the import is a new conversation)."""

    conversation: ImportedConversation
    messages: list[ImportedMessage] = Field(max_length=5000)


class ConversationExport(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]


async def export(
    session: AsyncSession, ctx: WorkspaceContext, conversation_id: uuid.UUID
) -> ConversationExport:

    conversation = await inbox.get(session, ctx, conversation_id)
    history = await inbox.messages(session, ctx, conversation_id)
    return ConversationExport(
        conversation=ConversationOut.of(conversation),
        messages=await message_views(session, ctx.workspace_id, history, staff=True),
    )


def as_csv(exported: ConversationExport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for m in exported.messages:
        # A leading =, +, - or @ would run as a formula in a spreadsheet: neutralise it.
        text = f"'{m.text}" if m.text[:1] in ("=", "+", "-", "@") else m.text
        writer.writerow([m.created_at.isoformat(), m.sender_type, m.sender_name, m.status, text])
    return buffer.getvalue()


async def import_conversation(
    session: AsyncSession, ctx: WorkspaceContext, data: ConversationImport
) -> Conversation:
    ctx.require(Permission.RESPOND)
    c = data.conversation
    conversation = ConversationRepository(session, ctx.workspace_id).add(
        Conversation(
            session_token_hash=hash_opaque_token(new_opaque_token()),  # nobody holds this token
            customer_name=c.customer_name,
            customer_email=c.customer_email,
            channel=c.channel,
            status=c.status,
            ai_mode="off",
            client_description=c.client_description,
        )
    )
    await session.flush()
    messages = MessageRepository(session, ctx.workspace_id)
    for m in sorted(data.messages, key=lambda m: m.created_at):
        messages.add(
            Message(
                conversation_id=conversation.id,
                sender_type=m.sender_type,
                sender_name=m.sender_name,
                text=m.text,
                status=m.status,
                created_at=m.created_at,
            )
        )
    if data.messages:
        conversation.last_message_at = max(m.created_at for m in data.messages)
    await session.flush()
    return conversation
