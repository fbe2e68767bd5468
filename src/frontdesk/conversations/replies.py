"""The assistant's turn: understanding each customer message, then (when it may) replying.

One job per customer message. It first understands the message (intent, entities, dates,
sentiment: stored on the message for staff) in a short transaction; then, if the assistant
may still answer, builds the reply outside any transaction (a model may take seconds),
streaming pieces as ``reply:delta``; tools the engine calls run in their own transactions;
finally it writes the reply, the dialogue state and token usage in a last unit of work, after
checking that replying still makes sense.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import builtin_tools  # noqa: F401 - registers the built-in tools
from frontdesk.assistant import service as assistant_service
from frontdesk.assistant.dialogue import DialogueState
from frontdesk.assistant.engine import Reply, ReplyContext, Turn
from frontdesk.assistant.engines import engine_for, local_engine
from frontdesk.assistant.intent_models import CustomIntentData
from frontdesk.assistant.intents import workspace_intents
from frontdesk.assistant.models import ModelUsage
from frontdesk.assistant.policy import must_hand_over, note_confidence
from frontdesk.assistant.tools import ToolBox, ToolContext, ToolSetup, reply_tools
from frontdesk.assistant.understanding import understand_message
from frontdesk.attachments.repository import AttachmentRepository
from frontdesk.conversations.events import conversation_event, message_event
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import ConversationRepository, MessageRepository
from frontdesk.kit.db import new_id, unit_of, utcnow
from frontdesk.knowledge import service as knowledge
from frontdesk.knowledge.retrieval import Passage, embedder_for
from frontdesk.observability.metrics import observe_reply
from frontdesk.realtime.events import announce
from frontdesk.tickets.intake import join_open_ticket
from frontdesk.workspaces.models import Workspace

HISTORY_TURNS = 20
REPLY_JOB = "assistant.reply"


def may_reply(conversation: Conversation) -> bool:
    return (
        conversation.status == "open"
        and conversation.ai_mode != "off"
        and not conversation.ai_paused
    )


async def schedule_reply(
    session: AsyncSession, conversation: Conversation, trigger: Message
) -> None:
    """After commit, understand ``trigger`` and let the assistant answer it if it may.
    Customer messages are understood even when the assistant stays silent: staff see the
    intent and details of every message."""
    needs_understanding = trigger.sender_type == "customer" and "intent" not in trigger.meta
    if not (may_reply(conversation) or needs_understanding):
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
    session: AsyncSession,
    workspace: Workspace,
    conversation: Conversation,
    faq: list[CustomIntentData] | None = None,
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
    state = DialogueState.from_json(conversation.dialogue_state)
    contact = conversation.contact
    if contact is not None:  # a returning customer is not asked again for what we know
        for slot in ("name", "email", "phone"):
            if getattr(contact, slot) and not state.slots.get(slot):
                state.fill(slot, getattr(contact, slot))
    return ReplyContext(
        persona=persona,
        customer_name=conversation.customer_name,
        history=turns,
        state=state,
        faq=faq if faq is not None else await workspace_intents(session, workspace.id),
    )


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
        trigger = await MessageRepository(uow.session, wid).get(tid)
        if workspace is None or conversation is None or trigger is None:
            return
        faq = await workspace_intents(uow.session, wid)
        understanding = await understand_message(uow.session, workspace, conversation, trigger, faq)
        # A message in a conversation with an open ticket joins it, whoever answers.
        await join_open_ticket(uow.session, conversation, trigger)
        if not await _still_due(uow.session, conversation, tid):
            return
        context = await reply_context(uow.session, workspace, conversation, faq)
        profile = await assistant_service.get_for_workspace(uow.session, wid)
        engine = engine_for(profile, services.secrets, services.settings)
        drafting = conversation.ai_mode == "draft"
        files = await AttachmentRepository(uow.session, wid).for_messages([trigger.id])
        has_file = bool(files.get(trigger.id))
        passages, knowledge_answer = await knowledge.for_reply(
            uow.session,
            wid,
            trigger.text if trigger.sender_type == "customer" else "",
            context.state.subject,
            embedder_for(services.settings),
        )
    tools, granted = reply_tools(ToolSetup(faq=context.faq))
    context = dataclasses.replace(
        context,
        understanding=understanding,
        has_attachment=has_file,
        passages=passages,
        knowledge=knowledge_answer,
        tools=ToolBox(
            tools,
            ToolContext(
                workspace_id=wid,
                conversation_id=cid,
                run_in_transaction=_transaction_runner(services),
                permissions=granted,
                region=workspace.country,
                timezone=workspace.timezone,
                business_hours=workspace.business_hours or None,
            ),
        ),
    )
    if must_hand_over(understanding, context.state):
        engine = local_engine  # the rules for handing over hold whichever engine is chosen
    if engine is not local_engine:
        note_confidence(understanding, context.state)
    reply_id = new_id()
    answer = await _generate(services, context, engine, wid, cid, reply_id, drafting)
    async with services.unit_of_work() as uow:
        # Locked while we check and write: a job run twice at once (redelivered by the queue,
        # or queued again by the recovery sweep) posts one reply, not two.
        conversation = await _locked(uow.session, wid, cid)
        if not await _still_due(uow.session, conversation, tid):
            return  # answered already, the customer wrote again, or staff took over
        assert conversation is not None
        await _save(uow.session, conversation, context, answer, reply_id)
    observe_reply(trigger.created_at, answer.engine)  # committed: the reply is stored


async def _locked(session: AsyncSession, wid: uuid.UUID, cid: uuid.UUID) -> Conversation | None:
    statement = ConversationRepository(session, wid).scoped().where(Conversation.id == cid)
    result = await session.execute(statement.with_for_update(of=Conversation))
    return result.scalar_one_or_none()


async def _generate(
    services: Any,
    context: ReplyContext,
    engine: Any,
    wid: uuid.UUID,
    cid: uuid.UUID,
    reply_id: uuid.UUID,
    drafting: bool,
) -> Reply:
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
        answer: Reply = await engine.respond(context, on_delta)
    finally:
        await typing(False)
    return answer


async def _save(
    session: AsyncSession,
    conversation: Conversation,
    context: ReplyContext,
    answer: Reply,
    reply_id: uuid.UUID,
) -> None:
    message = MessageRepository(session, conversation.workspace_id).add(
        Message(
            id=reply_id,
            conversation_id=conversation.id,
            sender_type="assistant",
            sender_name=context.persona.assistant_name,
            text=answer.text,
            status="draft" if conversation.ai_mode == "draft" else "sent",
            created_at=utcnow(),
            meta={"engine": answer.engine, **citation_meta(answer.citations)},
        )
    )
    if message.status == "sent":
        conversation.last_message_at = message.created_at
    conversation.dialogue_state = context.state.to_json()
    for usage in answer.usage:
        session.add(
            ModelUsage(
                workspace_id=conversation.workspace_id,
                conversation_id=conversation.id,
                provider=usage.provider,
                model=usage.model,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
            )
        )
    await session.flush()
    await message_event(session, "message:new", message)
    if answer.wants_human and not conversation.needs_human:
        conversation.needs_human = True
        await conversation_event(session, conversation)


def citation_meta(passages: list[Passage]) -> dict[str, Any]:
    """What staff see of the knowledge a reply used (customers see the titles in the text)."""
    if not passages:
        return {}
    return {
        "citations": [
            {
                "source_id": str(p.source_id),
                "chunk_id": str(p.chunk_id),
                "title": p.title,
                "passage": p.text,
                "url": p.url,
            }
            for p in passages
        ]
    }


def _transaction_runner(services: Any) -> Any:
    async def run_in_transaction(work: Any) -> Any:
        async with services.unit_of_work() as uow:
            return await work(uow.session)

    return run_in_transaction
