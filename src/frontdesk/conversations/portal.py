"""What a customer does: start or resume a conversation, send, upload, read, type.

A customer is identified by the session token their browser keeps; the token (stored hashed)
names exactly one conversation, so nothing here can reach another conversation.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import service as assistant
from frontdesk.assistant.models import AssistantProfile
from frontdesk.attachments.models import Attachment
from frontdesk.attachments.service import (
    attach,
    awaits_transcript,
    refuse_oversized,
    store_upload,
)
from frontdesk.conversations.abuse import PortalGuard
from frontdesk.conversations.events import conversation_event, message_event, read_event
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.replies import schedule_reply
from frontdesk.conversations.repository import (
    ConversationRepository,
    ConversationTokens,
    MessageRepository,
)
from frontdesk.conversations.schemas import SessionIn, TextIn
from frontdesk.documents import intake as documents_intake
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import NotAuthenticated, NotFound
from frontdesk.kit.security import hash_opaque_token, new_opaque_token
from frontdesk.portal.service import public_portal
from frontdesk.storage import FileStorage
from frontdesk.workspaces.models import Workspace


@dataclass(frozen=True)
class Customer:
    """The acting customer: their conversation and its workspace."""

    conversation: Conversation
    workspace: Workspace

    @property
    def name(self) -> str:
        return self.conversation.customer_name or "Visitor"


async def start_session(
    session: AsyncSession, guard: PortalGuard, slug: str, data: SessionIn
) -> tuple[str, Customer, AssistantProfile]:
    portal = await public_portal(session, slug)
    await guard.starting_session()
    token = new_opaque_token()
    conversation = ConversationRepository(session, portal.workspace.id).add(
        Conversation(
            session_token_hash=hash_opaque_token(token),
            customer_name=(data.name or "").strip(),
            customer_email=data.email or "",
            channel=data.channel,
            ai_mode=portal.workspace.default_ai_mode,
        )
    )
    await session.flush()
    return token, Customer(conversation, portal.workspace), portal.assistant


async def resolve(session: AsyncSession, token: str) -> Customer:
    found = await ConversationTokens(session).by_hash(hash_opaque_token(token))
    if found is None:
        raise NotAuthenticated(
            "Unknown or expired chat session; start a new one.", code="invalid_session"
        )
    return Customer(*found)


async def state(
    session: AsyncSession, customer: Customer
) -> tuple[AssistantProfile, Sequence[Message]]:
    profile = await assistant.get_for_workspace(session, customer.workspace.id)
    history = await MessageRepository(session, customer.workspace.id).history(
        customer.conversation.id, customer_view=True
    )
    return profile, history


async def send(
    session: AsyncSession, guard: PortalGuard, customer: Customer, data: TextIn
) -> Message:
    """Add the customer's message (once per client_id) with its uploads; the assistant
    answers after commit — after transcription when a voice note is attached."""
    conversation = customer.conversation
    messages = MessageRepository(session, conversation.workspace_id)
    if data.client_id and (earlier := await messages.by_client_id(conversation.id, data.client_id)):
        return earlier  # a retry of a message that did arrive
    await guard.sending(conversation.id)
    return await add_customer_message(
        session, conversation, customer.name, data.text, data.client_id, data.attachment_ids
    )


async def upload(
    session: AsyncSession,
    guard: PortalGuard,
    storage: FileStorage,
    customer: Customer,
    filename: str | None,
    source: BinaryIO,
    size: int,
) -> Attachment:
    """Store a file for this chat; it joins a message when one names it. A file over the
    limit is refused before it counts against the chat's hourly quota."""
    limit = customer.workspace.upload_limit_mb or guard.settings.upload_limit_mb
    refuse_oversized(size, limit)
    await guard.uploading(customer.conversation.id, size)
    return await store_upload(
        session, storage, customer.conversation, filename, source, size, limit
    )


async def add_customer_message(
    session: AsyncSession,
    conversation: Conversation,
    name: str,
    text: str,
    client_id: str | None = None,
    attachment_ids: Sequence[uuid.UUID] = (),
) -> Message:
    message, created = await MessageRepository(session, conversation.workspace_id).add_once(
        Message(
            conversation_id=conversation.id,
            sender_type="customer",
            sender_name=name,
            text=text,
            client_id=client_id,
            created_at=utcnow(),
        )
    )
    if not created:
        return message  # a retry that raced the first attempt: the first is the answer
    conversation.last_message_at = message.created_at
    reopened = conversation.status == "closed"
    if reopened:
        conversation.status = "open"  # a customer writing again reopens the thread
    await session.flush()
    files = await attach(session, conversation, message, attachment_ids)
    await documents_intake.consider(session, conversation, message, files)  # receipts
    await message_event(session, "message:new", message)
    if reopened:
        await conversation_event(session, conversation)
    if not awaits_transcript(files):
        await schedule_reply(session, conversation, message)
    return message


async def messages_after(
    session: AsyncSession, customer: Customer, after: uuid.UUID | None
) -> Sequence[Message]:
    messages = MessageRepository(session, customer.workspace.id)
    anchor = None
    if after is not None:
        anchor = await messages.get(after)
        if anchor is None or anchor.conversation_id != customer.conversation.id:
            raise NotFound("No such message in this conversation.")
    return await messages.history(customer.conversation.id, customer_view=True, after=anchor)


async def mark_read(session: AsyncSession, customer: Customer, message_id: uuid.UUID) -> None:
    message = await MessageRepository(session, customer.workspace.id).get(message_id)
    if message is None or message.conversation_id != customer.conversation.id:
        raise NotFound("No such message in this conversation.")
    conversation = customer.conversation
    if conversation.customer_read_at and message.created_at <= conversation.customer_read_at:
        return  # nothing new was read (a reload re-sends its receipt): no event
    conversation.customer_read_at = message.created_at
    await read_event(session, conversation, "customer", message)
