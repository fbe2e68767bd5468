"""Tickets from the chat: the assistant's ``open_ticket`` tool lands here.

A customer's problem opens one ticket per conversation; while it is open (pending, in
progress, or fixed and awaiting the customer's word), their later messages join it instead
of opening another. A customer who says it works now confirms a fixed ticket; one who says
it still does not reopens it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.attachments.repository import AttachmentRepository
from frontdesk.audit import service as audit
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import ConversationRepository, MessageRepository
from frontdesk.kit.db import utcnow
from frontdesk.tickets import chat
from frontdesk.tickets.models import DEFAULT_DUE_HOURS, Ticket, TicketEntry
from frontdesk.tickets.repository import (
    TicketEntryRepository,
    TicketRepository,
    TicketSettingsRepository,
)
from frontdesk.tickets.summary import subject_of, summarize
from frontdesk.tickets.triage import Triage, from_meta, more_pressing
from frontdesk.tickets.views import ticket_event

NUMBER_ATTEMPTS = 5
SUMMARY_MESSAGES = 6  # the customer's latest messages quoted in a new ticket's summary


@dataclass(frozen=True)
class Hints:
    """What an engine may add to the triage (an LLM's own reading); all optional."""

    category: str | None = None
    priority: str | None = None
    summary: dict[str, str] = field(default_factory=dict)
    follow_up_only: bool = False  # only join an open ticket; never open one


@dataclass(frozen=True)
class Outcome:
    ticket: Ticket
    created: bool
    status_change: str = ""  # confirmed, reopened


async def due_hours(session: AsyncSession, workspace_id: uuid.UUID) -> dict[str, int]:
    settings = await TicketSettingsRepository(session, workspace_id).current()
    hours = dict(DEFAULT_DUE_HOURS)
    if settings is not None:
        hours.update({k: int(v) for k, v in settings.due_hours.items() if k in hours})
    return hours


async def due_at_for(session: AsyncSession, ticket: Ticket) -> Any:
    hours = await due_hours(session, ticket.workspace_id)
    return (ticket.created_at or utcnow()) + timedelta(hours=hours[ticket.priority])


async def from_chat(
    session: AsyncSession, workspace_id: uuid.UUID, conversation_id: uuid.UUID, hints: Hints
) -> Outcome | None:
    conversation = await ConversationRepository(session, workspace_id).get(conversation_id)
    if conversation is None:
        return None
    history = await MessageRepository(session, workspace_id).history(
        conversation.id, customer_view=True
    )
    said = [m for m in history if m.sender_type == "customer" and m.status == "sent"]
    if not said:
        return None
    tickets = TicketRepository(session, workspace_id)
    ticket = await tickets.open_for_conversation(conversation.id)
    if ticket is not None:
        return await _join(session, conversation, ticket, said[-1])
    if hints.follow_up_only:
        return None
    return Outcome(await _open(session, conversation, said, hints), created=True)


async def join_open_ticket(
    session: AsyncSession, conversation: Conversation, message: Message
) -> Outcome | None:
    """Called for every customer message the reply job understands, whichever engine (if
    any) answers: a message in a conversation with an open ticket joins it, and may confirm
    or reopen it. Safe to repeat for the same message."""
    if message.sender_type != "customer":
        return None
    ticket = await TicketRepository(session, conversation.workspace_id).open_for_conversation(
        conversation.id
    )
    if ticket is None:
        return None
    return await _join(session, conversation, ticket, message)


async def _open(
    session: AsyncSession, conversation: Conversation, said: list[Message], hints: Hints
) -> Ticket:
    latest = said[-1]
    found = from_meta(latest.text, latest.meta or {})
    category = hints.category or found.category
    priority = hints.priority or found.priority
    triage = Triage(category, priority, found.reasons)
    quoted = [m.text for m in said[-SUMMARY_MESSAGES:] if m.text.strip()]
    files = await AttachmentRepository(session, conversation.workspace_id).for_messages(
        [m.id for m in said]
    )
    names = [a.filename for group in files.values() for a in group]
    ticket = await insert_numbered(
        session,
        conversation.workspace_id,
        conversation,
        subject=subject_of(latest.text) or "Message with attachments",
        category=category,
        priority=priority,
        summary=summarize(quoted, names, hints.summary),
        triage={**triage.as_dict(), "intent": (latest.meta or {}).get("intent", "")},
    )
    TicketEntryRepository(session, conversation.workspace_id).add(
        TicketEntry(
            ticket_id=ticket.id,
            kind="opened",
            actor_type="assistant",
            text=f"Opened from the chat: {category}, {priority} priority",
            message_id=latest.id,
            created_at=utcnow(),
        )
    )
    await audit.record(
        session,
        conversation.workspace_id,
        None,
        "ticket.opened",
        None,
        target=("ticket", ticket.id),
        details={"reference": ticket.reference, "by": "assistant", **triage.as_dict()},
    )
    await session.flush()
    await ticket_event(session, ticket, "ticket:opened")  # the tickets page shows it live
    return ticket


async def insert_numbered(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    conversation: Conversation | None,
    **values: Any,
) -> Ticket:
    """Numbers are per workspace; two tickets opened at once may pick the same one, so the
    loser of the unique constraint takes the next (each try in its own savepoint)."""
    tickets = TicketRepository(session, workspace_id)
    now = utcnow()
    hours = await due_hours(session, workspace_id)
    for _ in range(NUMBER_ATTEMPTS):
        number = await tickets.next_number()
        try:
            async with session.begin_nested():
                ticket = tickets.add(
                    Ticket(
                        number=number,
                        conversation_id=conversation.id if conversation else None,
                        contact=conversation.contact if conversation else None,
                        created_at=now,
                        due_at=now + timedelta(hours=hours[values["priority"]]),
                        **values,
                    )
                )
                await session.flush()
            return ticket
        except IntegrityError:
            continue
    raise RuntimeError("could not number the ticket")


async def _join(
    session: AsyncSession, conversation: Conversation, ticket: Ticket, message: Message
) -> Outcome:
    """The customer wrote again about an open ticket: the message joins it (once, however
    often the tool is called for it), may raise its priority, and may confirm or reopen it."""
    entries = TicketEntryRepository(session, ticket.workspace_id)
    known = {e.message_id for e in await entries.for_ticket(ticket.id)}
    if message.id in known:
        return Outcome(ticket, created=False)
    entries.add(
        TicketEntry(
            ticket_id=ticket.id,
            kind="message",
            actor_type="customer",
            text=message.text,
            message_id=message.id,
            created_at=utcnow(),
        )
    )
    if ticket.contact is None and conversation.contact is not None:
        ticket.contact = conversation.contact  # the customer gave their details meanwhile
    change = ""
    if ticket.status == "fixed" and chat.confirms_fixed(message.text):
        change = await _customer_sets(session, conversation, ticket, "confirmed", message)
    elif ticket.status == "fixed" and chat.still_broken(message.text):
        change = await _customer_sets(session, conversation, ticket, "in_progress", message)
        change = "reopened"
    elif ticket.status != "fixed":
        found = from_meta(message.text, message.meta or {})
        raised = more_pressing(found.priority, ticket.priority)
        if raised != ticket.priority:
            entries.add(_change(ticket, "priority", ticket.priority, raised, "assistant"))
            ticket.priority = raised
            ticket.due_at = min(ticket.due_at, await due_at_for(session, ticket))
    ticket.updated_at = utcnow()
    await session.flush()
    await ticket_event(session, ticket)
    return Outcome(ticket, created=False, status_change=change)


async def _customer_sets(
    session: AsyncSession, conversation: Conversation, ticket: Ticket, status: str, by: Message
) -> str:
    TicketEntryRepository(session, ticket.workspace_id).add(
        _change(ticket, "status", ticket.status, status, "customer")
    )
    ticket.status = status
    ticket.resolved_at = utcnow() if status == "confirmed" else None
    key = "confirmed" if status == "confirmed" else "reopened"
    await chat.post_update(
        session,
        conversation,
        ticket,
        chat.say(chat.language_of(conversation), key, ticket.reference),
    )
    await audit.record(
        session,
        ticket.workspace_id,
        None,
        f"ticket.{key}",
        None,
        target=("ticket", ticket.id),
        details={"reference": ticket.reference, "by": "customer", "message_id": str(by.id)},
    )
    return status


def _change(ticket: Ticket, field_name: str, old: str, new: str, actor: str) -> TicketEntry:
    return TicketEntry(
        ticket_id=ticket.id,
        kind="change",
        actor_type=actor,
        field=field_name,
        old_value=old,
        new_value=new,
        created_at=utcnow(),
    )
