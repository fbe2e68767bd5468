"""Understanding a stored customer message, in the reply job: the workspace's classifier,
its country and timezone, the earlier customer messages (for repeated complaints). The result
goes on the message as ``meta`` for staff, with a staff-only ``message:meta`` event."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant.intent_models import CustomIntentData, intent_models
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import MessageRepository
from frontdesk.nlu.language import detect_language
from frontdesk.nlu.understand import Understanding, understand
from frontdesk.realtime import events
from frontdesk.workspaces.models import Workspace

EARLIER_MESSAGES = 5


async def understand_message(
    session: AsyncSession,
    workspace: Workspace,
    conversation: Conversation,
    message: Message,
    custom: list[CustomIntentData],
) -> Understanding | None:
    """``custom``: the workspace's custom intents (the caller has them for the reply too)."""
    if message.sender_type != "customer" or not message.text.strip():
        return None
    history = await MessageRepository(session, workspace.id).history(
        conversation.id, customer_view=True
    )
    earlier = [
        m.text for m in history if m.sender_type == "customer" and m.id != message.id and m.text
    ][-EARLIER_MESSAGES:]

    def work() -> Understanding:
        # The customer's language picks the model: a Spanish message in an English
        # workspace is classified with the Spanish examples (plus the custom intents).
        language = detect_language(message.text, default=workspace.language or "en")
        classifier = intent_models.classifier_for(workspace.id, custom, language)
        return understand(
            message.text,
            classifier,
            language=language,
            region=workspace.country or "US",
            timezone=workspace.timezone or "UTC",
            now=datetime.now(UTC),
            default_language=workspace.language or "en",
            previous_customer_texts=earlier,
        )

    # CPU work (a few ms, longer on a workspace's first message while its model trains)
    # runs off the event loop so sockets keep flowing.
    understanding = await asyncio.to_thread(work)
    if "intent" not in message.meta:
        message.meta = {**message.meta, **understanding.meta()}
        await session.flush()
        await events.record(
            session,
            workspace.id,
            conversation.id,
            "message:meta",
            {"id": str(message.id), "conversation_id": str(conversation.id), "meta": message.meta},
            events.STAFF,
        )
    return understanding
