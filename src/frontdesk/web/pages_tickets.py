"""The tickets pages: the list (cards, quick filters, search, pages) and one ticket beside its
conversation (status, assignment, priority and category, internal notes, history).

Both are whole pages that work without scripts (GET filters, POST forms); tickets/main.js
makes them live by sending the same changes through /api/tickets and swapping in the
page's own fresh HTML when a staff event says something changed."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from frontdesk.conversations import inbox
from frontdesk.deps import Svc, Uow
from frontdesk.documents import service as documents
from frontdesk.kit.errors import FrontdeskError, NotFound
from frontdesk.tickets import service as tickets
from frontdesk.tickets.models import CATEGORIES, PRIORITIES, STATUSES, Ticket, TicketEntry
from frontdesk.tickets.repository import TicketFilter
from frontdesk.tickets.schemas import TicketUpdate
from frontdesk.web.pages_app import base_context, settle_refusal
from frontdesk.web.pages_contacts import _zone, when
from frontdesk.web.session import redirect, refuse_cross_site, render, require_context
from frontdesk.workspaces import members
from frontdesk.workspaces.permissions import WorkspaceContext

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25

CATEGORY_LABELS = {
    "billing_payment": "Billing & payment",
    "technical": "Technical",
    "account": "Account",
    "general_inquiry": "General inquiry",
    "complaint": "Complaint",
    "feature_request": "Feature request",
}
PRIORITY_LABELS = {"urgent": "Urgent", "high": "High", "medium": "Medium", "low": "Low"}
STATUS_LABELS = {
    "pending": "Pending",
    "in_progress": "In progress",
    "fixed": "Fixed",
    "confirmed": "Confirmed",
    "rejected": "Rejected",
}
FIELD_LABELS = {
    "status": "status",
    "priority": "priority",
    "category": "category",
    "assignee_id": "assignee",
    "due_at": "due time",
    "subject": "subject",
    "rejection_reason": "rejection reason",
}
ACTOR_LABELS = {"assistant": "The assistant", "customer": "The customer", "system": "Frontdesk"}


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def _due(ticket: Ticket, now: datetime) -> SimpleNamespace:
    """What the due column says: overdue by how long, due in how long, or done."""
    due = ticket.due_at.astimezone(now.tzinfo)
    if ticket.status not in ("pending", "in_progress"):
        return SimpleNamespace(state="done", label="—", title=f"Was due {when(due, now)}")
    if ticket.is_overdue(now):
        return SimpleNamespace(
            state="overdue", label=f"Overdue {_span(now - due)}", title=f"Due {when(due, now)}"
        )
    soon = due - now < timedelta(hours=4)
    return SimpleNamespace(
        state="soon" if soon else "ok", label=f"Due in {_span(due - now)}", title=when(due, now)
    )


def _row(
    ticket: Ticket, names: dict[str, str], now: datetime, chat_names: dict[uuid.UUID, str]
) -> SimpleNamespace:
    contact = ticket.contact
    said = chat_names.get(ticket.conversation_id) if ticket.conversation_id else ""
    assignee = names.get(str(ticket.assignee_id), "") if ticket.assignee_id else ""
    return SimpleNamespace(
        id=ticket.id,
        reference=ticket.reference,
        subject=ticket.subject or "(no subject)",
        customer=(contact.name or contact.email or contact.phone) if contact else said or "",
        category=ticket.category,
        category_label=CATEGORY_LABELS.get(ticket.category, ticket.category),
        priority=ticket.priority,
        priority_label=PRIORITY_LABELS.get(ticket.priority, ticket.priority),
        status=ticket.status,
        status_label=STATUS_LABELS.get(ticket.status, ticket.status),
        assignee=assignee,
        assignee_id=str(ticket.assignee_id or ""),
        due=_due(ticket, now),
        due_iso=ticket.due_at.isoformat(),
        created=when(ticket.created_at.astimezone(now.tzinfo), now),
        created_iso=ticket.created_at.isoformat(),
        conversation_id=ticket.conversation_id,
        rejection_reason=ticket.rejection_reason,
        summary=ticket.summary or {},
        reasons=(ticket.triage or {}).get("reasons") or [],
    )


async def _names(uow: Uow, ctx: WorkspaceContext) -> dict[str, str]:
    rows, _invitations = await members.list_members(uow.session, ctx)
    return {str(u.id): u.full_name or u.email for _m, u in rows}


def _options(labels: dict[str, str], keys: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(key, labels[key]) for key in keys]


def _filters(request: Request) -> dict[str, str]:
    """The quick filters from the query string, each kept only when it is a known value."""
    q = request.query_params
    picked = {
        "status": q.get("status", ""),
        "priority": q.get("priority", ""),
        "category": q.get("category", ""),
        "assignee": q.get("assignee", ""),
        "due": q.get("due", ""),
        "q": q.get("q", "").strip()[:200],
    }
    known = {"status": STATUSES, "priority": PRIORITIES, "category": CATEGORIES}
    for key, values in known.items():
        if picked[key] not in values:
            picked[key] = ""
    if picked["due"] != "overdue":
        picked["due"] = ""
    return picked


def _ticket_filter(picked: dict[str, str], ctx: WorkspaceContext, names: dict[str, str]) -> Any:
    assignee = picked["assignee"]
    assignee_id = None
    if assignee == "me":
        assignee_id = ctx.user_id
    elif assignee in names:
        assignee_id = uuid.UUID(assignee)
    elif assignee != "unassigned":
        picked["assignee"] = ""
    return TicketFilter(
        status=picked["status"] or None,
        priority=picked["priority"] or None,
        category=picked["category"] or None,
        assignee_id=assignee_id,
        unassigned=assignee == "unassigned",
        overdue=True if picked["due"] == "overdue" else None,
        search=picked["q"],
    )


@router.get("/app/tickets", response_class=HTMLResponse)
async def tickets_page(request: Request, uow: Uow, svc: Svc, offset: int = 0) -> Response:
    ctx = await require_context(request, uow, svc)
    offset = max(min(offset, 1_000_000), 0)
    names = await _names(uow, ctx)
    picked = _filters(request)
    f = _ticket_filter(picked, ctx, names)
    rows, stats = await tickets.list_tickets(uow.session, ctx, f, PAGE_SIZE + 1, offset)
    now = datetime.now(_zone(ctx.workspace.timezone))
    active = {k: v for k, v in picked.items() if v}
    shown = rows[:PAGE_SIZE]
    # The name a customer gave when opening the chat, for tickets with no contact yet.
    chat_names = await documents.customer_names(
        uow.session, ctx, [t.conversation_id for t in shown if t.conversation_id]
    )
    return render(
        request,
        "tickets.html",
        {
            **base_context(ctx, "tickets"),
            "stats": stats,
            "documents_waiting": await tickets.documents_waiting(uow.session, ctx),
            "filters": picked,
            "filtered": bool(active),
            "tickets": [_row(t, names, now, chat_names) for t in shown],
            "offset": offset,
            "previous_offset": max(offset - PAGE_SIZE, 0) if offset else None,
            "next_offset": offset + PAGE_SIZE if len(rows) > PAGE_SIZE else None,
            "query": active,
            "statuses": _options(STATUS_LABELS, STATUSES),
            "priorities": _options(PRIORITY_LABELS, PRIORITIES),
            "categories": _options(CATEGORY_LABELS, CATEGORIES),
            "members": sorted(names.items(), key=lambda item: item[1].lower()),
            "me_id": str(ctx.user_id),
        },
    )


def _entry(entry: TicketEntry, names: dict[str, str], now: datetime) -> SimpleNamespace:
    """One line of history in words: who did what, and when."""
    if entry.actor_user_id is not None:
        who = names.get(str(entry.actor_user_id), "A former member")
    else:
        who = ACTOR_LABELS.get(entry.actor_type, "Frontdesk")
    text = entry.text
    if entry.kind == "change":
        old, new = entry.old_value, entry.new_value
        if entry.field == "assignee_id":
            new_name = names.get(new, "") if new else ""
            text = f"assigned the ticket to {new_name}" if new_name else "unassigned the ticket"
        elif entry.field == "due_at":
            due = datetime.fromisoformat(new).astimezone(now.tzinfo) if new else None
            text = f"moved the due time to {when(due, now)}" if due else "cleared the due time"
        elif entry.field == "rejection_reason":
            text = f"gave the reason: “{new}”" if new else "cleared the rejection reason"
        else:
            label = {**STATUS_LABELS, **PRIORITY_LABELS, **CATEGORY_LABELS}
            field = FIELD_LABELS.get(entry.field, entry.field)
            text = f"changed the {field} from {label.get(old, old) or '—'} to {label.get(new, new)}"
    elif entry.kind == "message":
        text = entry.text
    moment = entry.created_at.astimezone(now.tzinfo)
    return SimpleNamespace(
        kind=entry.kind,
        field=entry.field,
        new_value=entry.new_value,
        actor=entry.actor_type,
        who=who,
        text=text,
        when=when(moment, now),
        iso=entry.created_at.isoformat(),
    )


async def _ticket_page(
    request: Request, uow: Uow, ctx: WorkspaceContext, ticket_id: uuid.UUID, error: str = ""
) -> HTMLResponse:
    view = await tickets.get(uow.session, ctx, ticket_id)
    names = await _names(uow, ctx)
    now = datetime.now(_zone(ctx.workspace.timezone))
    chat_id = view.ticket.conversation_id
    chat_names = await documents.customer_names(uow.session, ctx, [chat_id] if chat_id else [])
    ticket = _row(view.ticket, names, now, chat_names)
    chat: list[SimpleNamespace] = []
    if view.ticket.conversation_id is not None:
        try:
            said = await inbox.messages(uow.session, ctx, view.ticket.conversation_id)
        except NotFound:
            said = []
        chat = [
            SimpleNamespace(
                side=m.sender_type,
                name=m.sender_name,
                text=m.text,
                when=when(m.created_at.astimezone(now.tzinfo), now),
                iso=m.created_at.isoformat(),
            )
            for m in said
            if m.status == "sent" and m.text.strip()
        ]
    return render(
        request,
        "ticket.html",
        {
            **base_context(ctx, "tickets"),
            "ticket": ticket,
            "contact": view.ticket.contact,
            "chat": chat,
            "history": [_entry(e, names, now) for e in reversed(view.history)],
            "statuses": _options(STATUS_LABELS, STATUSES),
            "priorities": _options(PRIORITY_LABELS, PRIORITIES),
            "categories": _options(CATEGORY_LABELS, CATEGORIES),
            "members": sorted(names.items(), key=lambda item: item[1].lower()),
            "error": error,
        },
        status_code=422 if error else 200,
    )


@router.get("/app/tickets/{ticket_id}", response_class=HTMLResponse)
async def ticket_page(ticket_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    return await _ticket_page(request, uow, ctx, ticket_id)


def _change_from(form: dict[str, str]) -> dict[str, Any]:
    """A form post as the API's change: only the fields the form carried."""
    changes: dict[str, Any] = {}
    for field in ("status", "priority", "category", "rejection_reason"):
        if form.get(field):
            changes[field] = form[field]
    if "assignee" in form:
        changes["assignee_id"] = form["assignee"] or None
    return changes


@router.post("/app/tickets/{ticket_id}", response_class=HTMLResponse)
async def ticket_change(ticket_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        if form.get("note", "").strip():
            await tickets.add_note(uow.session, ctx, ticket_id, form["note"].strip()[:4000])
        else:
            data = TicketUpdate.model_validate(_change_from(form))
            await tickets.update(uow.session, ctx, ticket_id, data)
    except ValidationError:
        return await _ticket_page(request, uow, ctx, ticket_id, "That change was not valid.")
    except FrontdeskError as refusal:
        await settle_refusal(uow, ctx, refusal)
        return await _ticket_page(request, uow, ctx, ticket_id, refusal.message)
    return redirect(request, f"/app/tickets/{ticket_id}")
