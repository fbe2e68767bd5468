"""What a reviewed document changes besides the customer's chat: the ticket it was sent for
gets a line in its history, and the customer's lead a dated line in its notes, so staff who
open either see that the payment was checked without going to the documents page."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.conversations.repository import ConversationRepository
from frontdesk.documents.models import Document
from frontdesk.documents.outcome import money
from frontdesk.kit.db import utcnow
from frontdesk.leads.models import Lead
from frontdesk.leads.repository import LeadRepository
from frontdesk.tickets.models import Ticket, TicketEntry
from frontdesk.tickets.repository import TicketEntryRepository, TicketRepository
from frontdesk.tickets.views import ticket_event
from frontdesk.workspaces.permissions import WorkspaceContext

_TICKET_NUMBER = re.compile(r"^T-?(\d{1,9})$", re.I)


def summary_line(document: Document) -> str:
    """'Payment proof of $1,234.50 (INV-2041) approved: matches the statement'."""
    fields = document.fields
    what = "Payment proof" if document.kind == "payment_proof" else "Document"
    amount = money(fields.get("amount"), fields.get("currency"), "en")
    reference = document.linked_reference or str(fields.get("reference") or "")
    line = f"{what}{f' of {amount}' if amount else ''}{f' ({reference})' if reference else ''}"
    line += f" {document.status}"
    return f"{line}: {document.review_note}" if document.review_note else line


async def update_linked(session: AsyncSession, ctx: WorkspaceContext, document: Document) -> None:
    """After a review: the named ticket (or the chat's open one) and the customer's lead."""
    line = summary_line(document)
    ticket = await _ticket_for(session, ctx, document)
    if ticket is not None:
        TicketEntryRepository(session, ctx.workspace_id).add(
            TicketEntry(
                ticket_id=ticket.id,
                kind="note",
                actor_type="staff",
                actor_user_id=ctx.user_id,
                text=line,
                created_at=utcnow(),
            )
        )
        ticket.updated_at = utcnow()
        await session.flush()
        await ticket_event(session, ticket)
    lead = await _lead_for(session, ctx, document)
    if lead is not None:
        day = utcnow().date().isoformat()
        # The newest lines kept: the lead API caps notes at 10,000 characters.
        lead.notes = f"{lead.notes.rstrip()}\n{day}: {line}".strip()[-10_000:]
        await session.flush()


async def _ticket_for(
    session: AsyncSession, ctx: WorkspaceContext, document: Document
) -> Ticket | None:
    tickets = TicketRepository(session, ctx.workspace_id)
    named = _TICKET_NUMBER.match(document.linked_reference or "")
    if named and document.linked_kind in ("ticket", ""):
        statement = tickets.scoped().where(Ticket.number == int(named[1]))
        found = (await session.execute(statement)).scalar_one_or_none()
        if found is not None:
            return found
    return await tickets.open_for_conversation(document.conversation_id)


async def _lead_for(
    session: AsyncSession, ctx: WorkspaceContext, document: Document
) -> Lead | None:
    conversation = await ConversationRepository(session, ctx.workspace_id).get(
        document.conversation_id
    )
    if conversation is None or conversation.contact_id is None:
        return None
    return await LeadRepository(session, ctx.workspace_id).for_contact(conversation.contact_id)
