"""What staff do with conversations: read, reply (taking over), steer the assistant, and
review its drafts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import service as assistant_service
from frontdesk.assistant.engine import Assistant
from frontdesk.assistant.engines import engine_for, local_engine
from frontdesk.attachments.removal import discard_for_message
from frontdesk.conversations.events import conversation_event, message_event, read_event
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.portal import add_customer_message
from frontdesk.conversations.replies import reply_context, schedule_reply
from frontdesk.conversations.repository import (
    ConversationRepository,
    InboxFilter,
    MessageRepository,
)
from frontdesk.conversations.schemas import ConversationUpdate
from frontdesk.kit.db import unit_of, utcnow
from frontdesk.kit.errors import Conflict, InvalidInput, NotFound
from frontdesk.services import Services
from frontdesk.workspaces import service as workspaces
from frontdesk.workspaces.permissions import Permission, WorkspaceContext


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    last_message: Message | None
    unread: int


#: Fields a PATCH may change but not empty (null); the text ones are emptied with "".
NOT_EMPTIED = (
    "ai_mode",
    "ai_paused",
    "status",
    "needs_human",
    "client_description",
    "instructions",
)


async def list_conversations(
    session: AsyncSession, ctx: WorkspaceContext, f: InboxFilter
) -> list[InboxRow]:
    ctx.require(Permission.VIEW)
    repo = ConversationRepository(session, ctx.workspace_id)
    conversations = await repo.inbox(f)
    last = await repo.last_messages([c.id for c in conversations])
    unread = await repo.unread_counts(conversations)
    return [InboxRow(c, last.get(c.id), unread.get(c.id, 0)) for c in conversations]


async def get(
    session: AsyncSession, ctx: WorkspaceContext, conversation_id: uuid.UUID
) -> Conversation:
    ctx.require(Permission.VIEW)
    conversation = await ConversationRepository(session, ctx.workspace_id).get(conversation_id)
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation


async def messages(
    session: AsyncSession, ctx: WorkspaceContext, conversation_id: uuid.UUID
) -> Sequence[Message]:
    conversation = await get(session, ctx, conversation_id)
    return await MessageRepository(session, ctx.workspace_id).history(
        conversation.id, customer_view=False
    )


async def send(
    session: AsyncSession,
    ctx: WorkspaceContext,
    conversation_id: uuid.UUID,
    text: str,
    as_customer: bool,
    client_id: str | None = None,
) -> Message:
    """A staff reply takes the conversation over; writing as the client tries the assistant."""
    ctx.require(Permission.RESPOND)
    conversation = await get(session, ctx, conversation_id)
    if as_customer:
        return await add_customer_message(
            session, conversation, conversation.customer_name or "Visitor", text, client_id
        )
    message, created = await MessageRepository(session, ctx.workspace_id).add_once(
        Message(
            conversation_id=conversation.id,
            sender_type="staff",
            sender_name=ctx.user.full_name,
            sender_user_id=ctx.user_id,
            text=text,
            client_id=client_id,
            created_at=utcnow(),
        )
    )
    if not created:
        return message  # sent again with the same client_id (a retry): the first stands
    conversation.last_message_at = message.created_at
    conversation.ai_paused, conversation.needs_human = True, False
    conversation.assignee_id = conversation.assignee_id or ctx.user_id
    conversation.status = "open"
    await session.flush()
    await message_event(session, "message:new", message)
    await conversation_event(session, conversation)
    return message


async def update(
    session: AsyncSession,
    ctx: WorkspaceContext,
    conversation_id: uuid.UUID,
    data: ConversationUpdate,
) -> Conversation:
    ctx.require(Permission.RESPOND)
    conversation = await get(session, ctx, conversation_id)
    changes = data.model_dump(exclude_unset=True)
    if (
        changes.get("assignee_id") is not None
        and await workspaces.role_of(session, changes["assignee_id"], ctx.workspace_id) is None
    ):
        raise InvalidInput("assignee_id", "Not a member of this workspace.")
    for field in NOT_EMPTIED:
        if field in changes and changes[field] is None:
            raise InvalidInput(field, "cannot be empty")
    for field, value in changes.items():
        setattr(conversation, field, value)
    await session.flush()
    await conversation_event(session, conversation)
    if changes.get("ai_paused") is False or changes.get("ai_mode") in ("auto", "draft"):
        # Handed back: answer the customer's last word if it is still unanswered.
        latest = await MessageRepository(session, ctx.workspace_id).latest(
            conversation.id, statuses=("sent", "draft")
        )
        if latest is not None and latest.sender_type == "customer":
            await schedule_reply(session, conversation, latest)
    return conversation


async def mark_read(
    session: AsyncSession, ctx: WorkspaceContext, conversation_id: uuid.UUID
) -> None:
    ctx.require(Permission.VIEW)
    conversation = await get(session, ctx, conversation_id)
    previous, conversation.staff_read_at = conversation.staff_read_at, utcnow()
    latest = await MessageRepository(session, ctx.workspace_id).latest(
        conversation.id, statuses=("sent",)
    )
    if (
        latest is not None
        and latest.sender_type == "customer"
        and (previous is None or latest.created_at > previous)
    ):
        await read_event(session, conversation, "staff", latest)  # only news makes an event


async def _message(session: AsyncSession, ctx: WorkspaceContext, message_id: uuid.UUID) -> Message:
    ctx.require(Permission.RESPOND)
    message = await MessageRepository(session, ctx.workspace_id).get(message_id)
    if message is None:
        raise NotFound("No such message.")
    return message


async def _draft(session: AsyncSession, ctx: WorkspaceContext, message_id: uuid.UUID) -> Message:
    message = await _message(session, ctx, message_id)
    if message.status != "draft":
        raise Conflict(
            "This message is not a draft (it was sent or discarded).", code="not_a_draft"
        )
    return message


async def approve(
    session: AsyncSession, ctx: WorkspaceContext, message_id: uuid.UUID, text: str | None
) -> Message:
    """Send a draft, as written or edited. It takes its place at the end of the thread."""
    message = await _draft(session, ctx, message_id)
    if text is not None and " ".join(text.split()) != " ".join(message.text.split()):
        # Rewritten by a person: the customer hears it from them, not from the assistant.
        message.sender_type, message.sender_name = "staff", ctx.user.full_name
        message.sender_user_id = ctx.user_id
    if text is not None:
        message.text = text.strip()  # the customer never saw the draft: not "edited"
    message.status, message.created_at = "sent", utcnow()
    conversation = await get(session, ctx, message.conversation_id)
    conversation.last_message_at = message.created_at
    await session.flush()
    await message_event(session, "message:new", message)
    return message


async def revise(
    session: AsyncSession,
    ctx: WorkspaceContext,
    services: Services,
    message_id: uuid.UUID,
    instructions: str,
) -> Message:
    message = await _draft(session, ctx, message_id)
    conversation = await get(session, ctx, message.conversation_id)
    context = await reply_context(session, ctx.workspace, conversation)
    engine = await _engine(session, ctx, services)
    try:
        message.text = await engine.revise(message.text, instructions, context)
    except ValueError as error:
        raise InvalidInput("instructions", str(error)) from None
    await session.flush()
    await message_event(session, "message:updated", message)
    return message


async def edit(
    session: AsyncSession, ctx: WorkspaceContext, message_id: uuid.UUID, text: str
) -> Message:
    message = await _message(session, ctx, message_id)
    if message.status == "deleted":
        raise Conflict("A deleted message cannot be edited.", code="message_deleted")
    message.text, message.edited_at = text.strip(), utcnow()
    await session.flush()
    await message_event(session, "message:updated", message)
    return message


async def delete(session: AsyncSession, ctx: WorkspaceContext, message_id: uuid.UUID) -> None:
    """Sent messages leave a "message deleted" marker; a discarded draft simply goes. Either
    way its files go too: their links stop working and the stored bytes are removed."""
    message = await _message(session, ctx, message_id)
    await discard_for_message(session, ctx.workspace_id, message.id)
    if message.status == "draft":
        message.status = "discarded"
        await session.flush()
        await message_event(session, "message:deleted", message)
        return
    message.status, message.text, message.edited_at = "deleted", "", utcnow()
    await session.flush()
    await message_event(session, "message:deleted", message)


async def summarize(
    session: AsyncSession, ctx: WorkspaceContext, services: Services, conversation_id: uuid.UUID
) -> tuple[str, str]:
    """A few sentences on the conversation for staff: generated by the connected model, or
    extracted locally. Returns ``(summary, engine)``."""
    conversation = await get(session, ctx, conversation_id)
    context = await reply_context(session, ctx.workspace, conversation)
    engine = await _engine(session, ctx, services)
    return await engine.summarize(context), "local" if engine is local_engine else "llm"


async def _engine(session: AsyncSession, ctx: WorkspaceContext, services: Services) -> Assistant:
    """The workspace's engine. Before calling a remote model the connection goes back to
    the pool: a request must not hold the database while a model thinks."""
    profile = await assistant_service.get_for_workspace(session, ctx.workspace_id)
    engine = engine_for(profile, services.secrets, services.settings)
    if engine is not local_engine:
        await unit_of(session).release_connection()
    return engine
