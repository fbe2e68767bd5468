"""The assistant's turn: when it may reply, and writing its reply.

A reply is generated outside any write transaction (a model may take seconds): the job reads
a snapshot, produces the text (streaming pieces as ``reply:delta``), then writes the message in
a second unit of work after checking that replying still makes sense.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import service as assistant_service
from frontdesk.assistant.engine import LocalAssistant, ReplyContext, Turn
from frontdesk.conversations.events import conversation_event, message_event
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import ConversationRepository, MessageRepository
from frontdesk.kit.db import new_id, unit_of, utcnow
from frontdesk.realtime.events import announce
from frontdesk.workspaces.models import Workspace

HISTORY_TURNS = 20
REPLY_JOB = "assistant.reply"
engine = LocalAssistant()  # the assistant issue makes this a per-workspace choice


def may_reply(conversation: Conversation) -> bool:
    return (
        conversation.status == "open"
        and conversation.ai_mode != "off"
        and not conversation.ai_paused
    )


async def schedule_reply(
    session: AsyncSession, conversation: Conversation, trigger: Message
) -> None:
    """After commit, let the assistant answer ``trigger`` (if the conversation allows it)."""
    if not may_reply(conversation):
        return
    uow = unit_of(session)
    kwargs = {
        "workspace_id": str(conversation.workspace_id),
        "conversation_id": str(conversation.id),
        "trigger_id": str(trigger.id),
    }

    async def enqueue() -> None:
        if uow.jobs is not None:
            await uow.jobs.enqueue(REPLY_JOB, **kwargs)

    uow.after_commit(enqueue)


async def reply_context(
    session: AsyncSession, workspace: Workspace, conversation: Conversation
) -> ReplyContext:
    profile = await assistant_service.get_for_workspace(session, workspace.id)
    history = await MessageRepository(session, workspace.id).history(
        conversation.id, customer_view=True
    )
    turns = [Turn(m.sender_type, m.text) for m in history[-HISTORY_TURNS:] if m.status == "sent"]
    notes = [
        f"About this client: {conversation.client_description.strip()}"
        if conversation.client_description.strip()
        else "",
        conversation.instructions.strip(),
    ]
    persona = dataclasses.replace(
        assistant_service.prompt_input(workspace, profile),
        conversation_instructions="\n".join(n for n in notes if n),
    )
    return ReplyContext(persona=persona, customer_name=conversation.customer_name, history=turns)


async def _still_due(
    session: AsyncSession, conversation: Conversation | None, trigger_id: uuid.UUID
) -> bool:
    """Reply only if the trigger is still the newest word in the conversation."""
    if conversation is None or not may_reply(conversation):
        return False
    latest = await MessageRepository(session, conversation.workspace_id).latest(
        conversation.id, statuses=("sent", "draft")
    )
    return latest is not None and latest.id == trigger_id


async def reply(services: Any, workspace_id: str, conversation_id: str, trigger_id: str) -> None:
    wid, cid, tid = uuid.UUID(workspace_id), uuid.UUID(conversation_id), uuid.UUID(trigger_id)
    async with services.unit_of_work() as uow:
        conversation = await ConversationRepository(uow.session, wid).get(cid)
        workspace = await uow.session.get(Workspace, wid)
        if workspace is None or not await _still_due(uow.session, conversation, tid):
            return
        assert conversation is not None
        context = await reply_context(uow.session, workspace, conversation)
        drafting = conversation.ai_mode == "draft"
    reply_id = new_id()

    async def on_delta(piece: str) -> None:
        await announce(
            services.bus,
            wid,
            cid,
            "reply:delta",
            {"conversation_id": str(cid), "reply_id": str(reply_id), "delta": piece},
            origin="assistant",
            to_customer=not drafting,
        )

    async def typing(active: bool) -> None:
        await announce(
            services.bus,
            wid,
            cid,
            "typing",
            {
                "conversation_id": str(cid),
                "sender_type": "assistant",
                "name": context.persona.assistant_name,
                "typing": active,
            },
            origin="assistant",
            to_customer=not drafting,
        )

    await typing(True)
    try:
        answer = await engine.respond(context, on_delta)
    finally:
        await typing(False)
    async with services.unit_of_work() as uow:
        conversation = await ConversationRepository(uow.session, wid).get(cid)
        if not await _still_due(uow.session, conversation, tid):
            return  # the customer wrote again, or staff took over, while we were thinking
        assert conversation is not None
        message = MessageRepository(uow.session, wid).add(
            Message(
                id=reply_id,
                conversation_id=cid,
                sender_type="assistant",
                sender_name=context.persona.assistant_name,
                text=answer.text,
                status="draft" if conversation.ai_mode == "draft" else "sent",
                created_at=utcnow(),
            )
        )
        if message.status == "sent":
            conversation.last_message_at = message.created_at
        await uow.session.flush()
        await message_event(uow.session, "message:new", message)
        if answer.wants_human and not conversation.needs_human:
            conversation.needs_human = True
            await conversation_event(uow.session, conversation)
