"""Which event a change to a conversation or message produces, and who receives it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.schemas import ConversationOut
from frontdesk.conversations.views import message_view
from frontdesk.realtime import events
from frontdesk.realtime.events import ALL, STAFF


async def message_event(session: AsyncSession, type_: str, message: Message) -> None:
    """Drafts stay with staff; everything else reaches the customer too."""
    audience = STAFF if message.status in ("draft", "discarded") else ALL
    view = await message_view(session, message, staff=audience == STAFF)
    data = view.model_dump(mode="json")  # the event's data is the message itself
    await events.record(
        session, message.workspace_id, message.conversation_id, type_, data, audience
    )


async def conversation_event(session: AsyncSession, conversation: Conversation) -> None:
    data = ConversationOut.of(conversation).model_dump(mode="json")
    await events.record(
        session, conversation.workspace_id, conversation.id, "conversation:updated", data, STAFF
    )
    if conversation.needs_human:
        # The customer learns only that a person is coming (the chat's header says so).
        handoff = {"conversation_id": str(conversation.id), "waiting": True}
        await events.record(
            session, conversation.workspace_id, conversation.id, "handoff", handoff, ALL
        )


async def read_event(
    session: AsyncSession, conversation: Conversation, reader: str, message: Message
) -> None:
    data = {
        "conversation_id": str(conversation.id),
        "reader": reader,
        "message_id": str(message.id),
    }
    await events.record(session, conversation.workspace_id, conversation.id, "read", data, ALL)
