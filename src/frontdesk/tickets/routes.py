"""HTTP endpoints of tickets: list with filters and counts, read, open, change, note."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, status

from frontdesk.deps import Ctx, Uow
from frontdesk.tickets import service
from frontdesk.tickets.repository import TicketFilter
from frontdesk.tickets.schemas import (
    Category,
    DueHours,
    NoteIn,
    Priority,
    Status,
    TicketCreate,
    TicketDetail,
    TicketEntryOut,
    TicketPage,
    TicketSettingsIn,
    TicketSettingsOut,
    TicketStats,
    TicketUpdate,
)
from frontdesk.tickets.views import ticket_out

router = APIRouter(prefix="/api/tickets", tags=["tickets"])

_UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def _detail(view: service.TicketView) -> TicketDetail:
    out = ticket_out(view.ticket).model_dump()
    history = [TicketEntryOut.model_validate(e) for e in view.history]
    return TicketDetail(**out, history=history)


@router.get("", response_model=TicketPage)
async def list_tickets(
    uow: Uow,
    ctx: Ctx,
    status_: Status | None = Query(None, alias="status"),
    priority: Priority | None = None,
    category: Category | None = None,
    assignee: str | None = Query(
        None, pattern=f"^(me|unassigned|{_UUID})$", description="me, unassigned or a user id."
    ),
    overdue: bool | None = None,
    q: str = Query("", max_length=200, description="Search reference, subject, contact."),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> TicketPage:
    f = TicketFilter(
        status=status_,
        priority=priority,
        category=category,
        assignee_id=ctx.user_id
        if assignee == "me"
        else uuid.UUID(assignee)
        if assignee and assignee != "unassigned"
        else None,
        unassigned=assignee == "unassigned",
        overdue=overdue,
        search=q.strip(),
    )
    tickets, stats = await service.list_tickets(uow.session, ctx, f, limit, offset)
    return TicketPage(
        tickets=[ticket_out(t) for t in tickets],
        next_offset=offset + limit if len(tickets) == limit else None,
        stats=TicketStats(**stats),
    )


@router.post("", response_model=TicketDetail, status_code=status.HTTP_201_CREATED)
async def create_ticket(data: TicketCreate, uow: Uow, ctx: Ctx) -> TicketDetail:
    return _detail(await service.create(uow.session, ctx, data))


@router.get("/settings", response_model=TicketSettingsOut)
async def get_ticket_settings(uow: Uow, ctx: Ctx) -> TicketSettingsOut:
    hours = await service.get_settings(uow.session, ctx)
    return TicketSettingsOut(due_hours=DueHours(**hours))


@router.put("/settings", response_model=TicketSettingsOut)
async def put_ticket_settings(data: TicketSettingsIn, uow: Uow, ctx: Ctx) -> TicketSettingsOut:
    hours = await service.put_settings(uow.session, ctx, data.due_hours.model_dump())
    return TicketSettingsOut(due_hours=DueHours(**hours))


@router.get("/{ticket_id:uuid}", response_model=TicketDetail)
async def get_ticket(ticket_id: uuid.UUID, uow: Uow, ctx: Ctx) -> TicketDetail:
    return _detail(await service.get(uow.session, ctx, ticket_id))


@router.patch("/{ticket_id:uuid}", response_model=TicketDetail)
async def update_ticket(
    ticket_id: uuid.UUID, data: TicketUpdate, uow: Uow, ctx: Ctx
) -> TicketDetail:
    return _detail(await service.update(uow.session, ctx, ticket_id, data))


@router.post(
    "/{ticket_id:uuid}/notes", response_model=TicketEntryOut, status_code=status.HTTP_201_CREATED
)
async def add_ticket_note(ticket_id: uuid.UUID, data: NoteIn, uow: Uow, ctx: Ctx) -> TicketEntryOut:
    entry = await service.add_note(uow.session, ctx, ticket_id, data.text)
    return TicketEntryOut.model_validate(entry)
