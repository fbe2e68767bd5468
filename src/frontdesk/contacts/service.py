"""Reading contacts, and remembering what a customer tells the assistant about themselves."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.contacts.models import Contact
from frontdesk.contacts.repository import ContactRepository
from frontdesk.conversations.models import Conversation
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.kit.errors import NotFound
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

MAX_INTEREST = 2000


async def list_contacts(
    session: AsyncSession, ctx: WorkspaceContext, limit: int, offset: int, query: str
) -> Sequence[Contact]:
    ctx.require(Permission.VIEW)
    return await ContactRepository(session, ctx.workspace_id).page(limit, offset, query.strip())


async def get(
    session: AsyncSession, ctx: WorkspaceContext, contact_id: uuid.UUID
) -> tuple[Contact, list[uuid.UUID]]:
    ctx.require(Permission.VIEW)
    contact = await ContactRepository(session, ctx.workspace_id).get(contact_id)
    if contact is None:
        raise NotFound("No such contact in this workspace.")
    conversations = ConversationRepository(session, ctx.workspace_id)
    statement = (
        conversations.scoped()
        .with_only_columns(Conversation.id)
        .where(Conversation.contact_id == contact.id)
        .order_by(Conversation.last_message_at.desc())
    )
    ids = list((await session.execute(statement)).scalars())
    return contact, ids


def _shorter_form(new: str, known: str) -> bool:
    new_words, known_words = set(new.lower().split()), set(known.lower().split())
    return bool(known_words) and new_words < known_words


async def remember(
    session: AsyncSession,
    conversation: Conversation,
    *,
    name: str = "",
    email: str = "",
    phone: str = "",
    phone_verified: bool = True,
    interest: str = "",
) -> Contact:
    """Attach what the customer said to the conversation's contact, creating or finding it.

    One person stays one contact: a new conversation that gives a known email or phone joins
    that contact. Details the customer gives again replace the old ones (they corrected
    them); an interest is appended, since people ask about several things over time.
    """
    contacts = ContactRepository(session, conversation.workspace_id)
    contact = conversation.contact
    if contact is None:
        contact = await contacts.find_by_email_or_phone(email, phone)
    if contact is None:
        contact = contacts.add(
            Contact(name="", email="", phone="", interest="", source=conversation.channel)
        )
    if name and not _shorter_form(name, contact.name):
        contact.name = name  # a correction; "Jess" after "Jess O'Brien" is not one
    if email:
        contact.email = email
    if phone and (phone_verified or not (contact.phone and contact.phone_verified)):
        contact.phone, contact.phone_verified = phone, phone_verified  # never a worse one
    if interest and interest.lower() not in contact.interest.lower():
        joined = f"{contact.interest}; {interest}" if contact.interest else interest
        contact.interest = joined[-MAX_INTEREST:]
    conversation.contact = contact
    if name and not conversation.customer_name:
        conversation.customer_name = name
    if email and not conversation.customer_email:
        conversation.customer_email = email
    await session.flush()
    return contact
