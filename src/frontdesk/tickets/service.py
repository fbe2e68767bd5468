"""What staff do with tickets: list and count them, open one, change status, priority,
category, assignee or due time (each change a line of history and an audit entry; a status
change a line in the customer's chat), and write internal notes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.audit import service as audit
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.documents.models import Document
from frontdesk.documents.repository import DocumentRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import InvalidInput, NotFound
from frontdesk.tickets import chat
from frontdesk.tickets.intake import due_at_for, due_hours, insert_numbered
from frontdesk.tickets.models import DEFAULT_DUE_HOURS, Ticket, TicketEntry, TicketSettings
from frontdesk.tickets.repository import (
    TicketEntryRepository,
    TicketFilter,
    TicketRepository,
    TicketSettingsRepository,
)
from frontdesk.tickets.schemas import TicketCreate, TicketUpdate
from frontdesk.tickets.summary import summarize
from frontdesk.tickets.triage import triage
from frontdesk.tickets.views import ticket_event
from frontdesk.workspaces import service as workspaces
from frontdesk.workspaces.permissions import Permission, WorkspaceContext


@dataclass(frozen=True)
class TicketView:
    ticket: Ticket
    history: Sequence[TicketEntry]


async def list_tickets(
    session: AsyncSession, ctx: WorkspaceContext, f: TicketFilter, limit: int, offset: int
) -> tuple[Sequence[Ticket], dict[str, int]]:
    ctx.require(Permission.VIEW)
    repo, now = TicketRepository(session, ctx.workspace_id), utcnow()
    return await repo.page(f, now, limit, offset), await repo.stats(now)


async def documents_waiting(session: AsyncSession, ctx: WorkspaceContext) -> int:
    """Customer documents waiting for review: one of the tickets page's cards, since a
    payment proof is often what a billing ticket waits on."""
    ctx.require(Permission.VIEW)
    statement = (
        DocumentRepository(session, ctx.workspace_id)
        .scoped()
        .where(Document.status == "pending")
        .with_only_columns(func.count(Document.id))
    )
    return int((await session.execute(statement)).scalar_one() or 0)


async def _ticket(session: AsyncSession, ctx: WorkspaceContext, ticket_id: uuid.UUID) -> Ticket:
    ticket = await TicketRepository(session, ctx.workspace_id).get(ticket_id)
    if ticket is None:
        raise NotFound("No such ticket in this workspace.")
    return ticket


async def get(session: AsyncSession, ctx: WorkspaceContext, ticket_id: uuid.UUID) -> TicketView:
    ctx.require(Permission.VIEW)
    ticket = await _ticket(session, ctx, ticket_id)
    history = await TicketEntryRepository(session, ctx.workspace_id).for_ticket(ticket.id)
    return TicketView(ticket, history)


async def _check_assignee(
    session: AsyncSession, ctx: WorkspaceContext, assignee_id: uuid.UUID | None
) -> None:
    if (
        assignee_id is not None
        and await workspaces.role_of(session, assignee_id, ctx.workspace_id) is None
    ):
        raise InvalidInput("assignee_id", "Not a member of this workspace.")


async def create(session: AsyncSession, ctx: WorkspaceContext, data: TicketCreate) -> TicketView:
    ctx.require(Permission.RESPOND)
    await _check_assignee(session, ctx, data.assignee_id)
    conversation = None
    if data.conversation_id is not None:
        conversations = ConversationRepository(session, ctx.workspace_id)
        conversation = await conversations.get(data.conversation_id)
        if conversation is None:
            raise InvalidInput("conversation_id", "No such conversation in this workspace.")
    text = f"{data.subject}. {data.description}".strip()
    found = triage("", text)
    priority = data.priority or found.priority
    ticket = await insert_numbered(
        session,
        ctx.workspace_id,
        conversation,
        subject=data.subject,
        category=data.category,
        priority=priority,
        summary=summarize([data.description or data.subject]),
        triage={"category": data.category, "priority": priority, "reasons": found.reasons},
        assignee_id=data.assignee_id,
    )
    entry = TicketEntry(
        ticket_id=ticket.id,
        kind="opened",
        actor_type="staff",
        actor_user_id=ctx.user_id,
        text=f"Opened by {ctx.user.full_name}: {data.category}, {priority} priority",
        created_at=utcnow(),
    )
    TicketEntryRepository(session, ctx.workspace_id).add(entry)
    await audit.record_by(
        session,
        ctx,
        "ticket.created",
        target=("ticket", ticket.id),
        details={"ref": ticket.reference},
    )
    await session.flush()
    await ticket_event(session, ticket, "ticket:opened")
    return TicketView(ticket, [entry])


async def update(
    session: AsyncSession, ctx: WorkspaceContext, ticket_id: uuid.UUID, data: TicketUpdate
) -> TicketView:
    ctx.require(Permission.RESPOND)
    ticket = await _ticket(session, ctx, ticket_id)
    changes = data.model_dump(exclude_unset=True)
    for field in ("status", "priority", "category", "subject", "due_at"):
        if field in changes and changes[field] is None:
            raise InvalidInput(field, "cannot be empty")
    if "assignee_id" in changes:
        await _check_assignee(session, ctx, changes["assignee_id"])
    reason = (changes.get("rejection_reason") or "").strip()
    if changes.get("status") == "rejected" and not (reason or ticket.rejection_reason):
        raise InvalidInput("rejection_reason", "Say why the ticket is rejected.")
    entries = TicketEntryRepository(session, ctx.workspace_id)
    changed: dict[str, list[str]] = {}

    def note(field: str, old: object, new: object) -> None:
        old_text, new_text = _text(old), _text(new)
        if old_text == new_text:
            return
        changed[field] = [old_text, new_text]
        entries.add(
            TicketEntry(
                ticket_id=ticket.id,
                kind="change",
                actor_type="staff",
                actor_user_id=ctx.user_id,
                field=field,
                old_value=old_text,
                new_value=new_text,
                created_at=utcnow(),
            )
        )

    for field in ("category", "subject", "assignee_id", "rejection_reason"):
        if field in changes:
            note(
                field,
                getattr(ticket, field),
                changes[field] or ("" if field != "assignee_id" else None),
            )
            setattr(
                ticket, field, changes[field] if field == "assignee_id" else changes[field] or ""
            )
    if "priority" in changes:
        note("priority", ticket.priority, changes["priority"])
        ticket.priority = changes["priority"]
        if "due_at" not in changes and "priority" in changed:
            new_due = await due_at_for(session, ticket)
            note("due_at", ticket.due_at, new_due)
            ticket.due_at = new_due
    if "due_at" in changes:
        note("due_at", ticket.due_at, changes["due_at"])
        ticket.due_at = changes["due_at"]
    if "due_at" in changed and ticket.due_at > utcnow():
        ticket.overdue_notified_at = None  # a new due time may fall due again
    status_changed = "status" in changes and changes["status"] != ticket.status
    if status_changed:
        note("status", ticket.status, changes["status"])
        ticket.status = changes["status"]
        ticket.resolved_at = utcnow() if ticket.status in ("confirmed", "rejected") else None
    if not changed:
        return await get(session, ctx, ticket.id)
    ticket.updated_at = utcnow()
    await session.flush()
    if status_changed:
        await _tell_customer(session, ticket)
    await audit.record_by(
        session,
        ctx,
        "ticket.updated",
        target=("ticket", ticket.id),
        details={"reference": ticket.reference, "changes": changed},
    )
    await ticket_event(session, ticket)
    return await get(session, ctx, ticket.id)


async def _tell_customer(session: AsyncSession, ticket: Ticket) -> None:
    if ticket.conversation_id is None:
        return
    conversation = await ConversationRepository(session, ticket.workspace_id).get(
        ticket.conversation_id
    )
    if conversation is None:
        return
    language = chat.language_of(conversation)
    text = chat.say(language, ticket.status, ticket.reference, reason=ticket.rejection_reason)
    await chat.post_update(session, conversation, ticket, text)


async def add_note(
    session: AsyncSession, ctx: WorkspaceContext, ticket_id: uuid.UUID, text: str
) -> TicketEntry:
    """An internal note: staff only, never in the customer's chat."""
    ctx.require(Permission.RESPOND)
    ticket = await _ticket(session, ctx, ticket_id)
    entry = TicketEntryRepository(session, ctx.workspace_id).add(
        TicketEntry(
            ticket_id=ticket.id,
            kind="note",
            actor_type="staff",
            actor_user_id=ctx.user_id,
            text=text,
            created_at=utcnow(),
        )
    )
    ticket.updated_at = utcnow()
    await session.flush()
    await audit.record_by(
        session,
        ctx,
        "ticket.note_added",
        target=("ticket", ticket.id),
        details={"entry": str(entry.id)},
    )
    await ticket_event(session, ticket)
    return entry


async def get_settings(session: AsyncSession, ctx: WorkspaceContext) -> dict[str, int]:
    ctx.require(Permission.VIEW)
    return await due_hours(session, ctx.workspace_id)


async def put_settings(
    session: AsyncSession, ctx: WorkspaceContext, hours: dict[str, int]
) -> dict[str, int]:
    """New due times apply to tickets opened from now on (open ones keep their due time)."""
    ctx.require(Permission.MANAGE_SETTINGS)
    repo = TicketSettingsRepository(session, ctx.workspace_id)
    settings = await repo.current() or repo.add(TicketSettings(due_hours={}))
    clean = {k: int(hours[k]) for k in DEFAULT_DUE_HOURS}
    settings.due_hours = clean
    await session.flush()
    await audit.record_by(session, ctx, "ticket.settings_updated", details={"due_hours": clean})
    return clean


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
