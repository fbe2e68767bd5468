"""A ticket as the API and the realtime events show it (the overdue flag is computed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.contacts.schemas import ContactRef
from frontdesk.realtime import events
from frontdesk.tickets.models import Ticket
from frontdesk.tickets.schemas import TicketOut, TicketSummary


def ticket_out(ticket: Ticket, now: datetime | None = None) -> TicketOut:
    return TicketOut(
        id=ticket.id,
        reference=ticket.reference,
        subject=ticket.subject,
        category=ticket.category,  # type: ignore[arg-type]
        priority=ticket.priority,  # type: ignore[arg-type]
        status=ticket.status,  # type: ignore[arg-type]
        rejection_reason=ticket.rejection_reason,
        summary=TicketSummary.model_validate(ticket.summary or {}),
        triage=ticket.triage or {},
        conversation_id=ticket.conversation_id,
        contact=ContactRef.model_validate(ticket.contact) if ticket.contact else None,
        assignee_id=ticket.assignee_id,
        due_at=ticket.due_at,
        overdue=ticket.is_overdue(now),
        resolved_at=ticket.resolved_at,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
    )


async def ticket_event(
    session: AsyncSession, ticket: Ticket, type_: str = "ticket:updated"
) -> None:
    """Staff only, on the ticket's conversation (the customer sees the chat line instead);
    a ticket with no conversation has no live channel."""
    if ticket.conversation_id is None:
        return
    data = ticket_out(ticket).model_dump(mode="json")
    await events.record(
        session, ticket.workspace_id, ticket.conversation_id, type_, data, events.STAFF
    )
