"""The contacts page: the people who wrote in, searchable, each leading to their conversation."""

from __future__ import annotations

import uuid
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from frontdesk.contacts import service as contacts
from frontdesk.deps import Svc, Uow
from frontdesk.web.pages_app import base_context
from frontdesk.web.session import redirect, render, require_context

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


@router.get("/app/contacts", response_class=HTMLResponse)
async def contacts_page(
    request: Request,
    uow: Uow,
    svc: Svc,
    q: str = "",
    offset: int = 0,
) -> Response:
    ctx = await require_context(request, uow, svc)
    query, offset = q.strip()[:200], max(offset, 0)
    # One more than a page says whether there is a next page, without counting.
    rows = await contacts.list_contacts(uow.session, ctx, PAGE_SIZE + 1, offset, query)
    zone = _zone(ctx.workspace.timezone)
    return render(
        request,
        "contacts.html",
        {
            **base_context(ctx, "contacts"),
            "query": query,
            "contacts": [
                SimpleNamespace(
                    id=c.id,
                    name=c.name,
                    email=c.email,
                    phone=c.phone,
                    interest=c.interest,
                    updated_iso=c.updated_at.isoformat(),
                    updated_label=when(c.updated_at.astimezone(zone), datetime.now(zone)),
                )
                for c in rows[:PAGE_SIZE]
            ],
            "offset": offset,
            "previous_offset": max(offset - PAGE_SIZE, 0) if offset else None,
            "next_offset": offset + PAGE_SIZE if len(rows) > PAGE_SIZE else None,
            "gone": request.query_params.get("gone") == "1",
        },
    )


@router.get("/app/contacts/{contact_id}/conversation", response_class=HTMLResponse)
async def contact_conversation(
    contact_id: uuid.UUID, request: Request, uow: Uow, svc: Svc
) -> Response:
    """The contact's latest conversation, opened in the inbox."""
    ctx = await require_context(request, uow, svc)
    _contact, conversation_ids = await contacts.get(uow.session, ctx, contact_id)
    if not conversation_ids:
        return redirect(request, "/app/contacts?gone=1")
    return redirect(request, f"/app/inbox?c={conversation_ids[0]}")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when(moment: datetime, now: datetime) -> str:
    """ "14 Mar, 09:05" (both in the business's time zone); the year only if not this one."""
    year = f" {moment.year}" if moment.year != now.year else ""
    return f"{moment.day} {moment:%b}{year}, {moment:%H:%M}"
