"""One lead: who they are, what staff decided (status, owner, follow-up, value, notes) in a
form that works without scripts, and the person's conversations inline, newest first, each
with its latest messages and a way into the inbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from frontdesk.conversations import inbox
from frontdesk.deps import Svc, Uow
from frontdesk.kit.errors import FrontdeskError
from frontdesk.leads import service as leads
from frontdesk.leads.models import STATUSES
from frontdesk.leads.schemas import LeadUpdate
from frontdesk.web.pages_app import base_context, settle_refusal
from frontdesk.web.pages_contacts import _zone, when
from frontdesk.web.pages_leads import SOURCES, lead_row, owner_names
from frontdesk.web.session import redirect, refuse_cross_site, render, require_context
from frontdesk.workspaces.permissions import WorkspaceContext

router = APIRouter(include_in_schema=False)
SHOWN_CONVERSATIONS = 5
SHOWN_MESSAGES = 12
SENDERS = {"customer": "customer", "assistant": "assistant", "staff": "staff"}


async def _conversations(
    uow: Uow, ctx: WorkspaceContext, found: Any, name: str, now: datetime
) -> list[Any]:
    shown = []
    for conversation in found[:SHOWN_CONVERSATIONS]:
        history = await inbox.messages(uow.session, ctx, conversation.id)
        said = [m for m in history if m.text.strip() and m.status not in ("draft", "deleted")]
        shown.append(
            SimpleNamespace(
                id=conversation.id,
                channel=SOURCES.get(conversation.channel, conversation.channel.capitalize()),
                status=conversation.status,
                started=when(conversation.created_at.astimezone(now.tzinfo), now),
                last_iso=conversation.last_message_at.isoformat(),
                last=when(conversation.last_message_at.astimezone(now.tzinfo), now),
                count=len(said),
                earlier=max(len(said) - SHOWN_MESSAGES, 0),
                messages=[
                    SimpleNamespace(
                        side="them" if m.sender_type == "customer" else "us",
                        who=(name or "Customer")
                        if m.sender_type == "customer"
                        else (m.sender_name or SENDERS.get(m.sender_type, "").capitalize()),
                        text=m.text,
                        at_iso=m.created_at.isoformat(),
                        at=when(m.created_at.astimezone(now.tzinfo), now),
                    )
                    for m in said[-SHOWN_MESSAGES:]
                ],
            )
        )
    return shown


async def _lead_page(
    request: Request,
    uow: Uow,
    ctx: WorkspaceContext,
    lead_id: uuid.UUID,
    error: str = "",
    saved: bool = False,
) -> HTMLResponse:
    lead, found = await leads.get(uow.session, ctx, lead_id)
    owners = await owner_names(uow, ctx)
    now = datetime.now(_zone(ctx.workspace.timezone))
    row = lead_row(lead, owners, now)
    captured = {
        field: values
        for field, values in (lead.captured or {}).items()
        if isinstance(values, list) and len(values) > 1
    }
    return render(
        request,
        "lead.html",
        {
            **base_context(ctx, "leads"),
            "lead": row,
            "value_input": "" if row.value is None else f"{row.value:.2f}".removesuffix(".00"),
            "earlier_values": captured,
            "conversations": await _conversations(uow, ctx, found, row.name, now),
            "more_conversations": max(len(found) - SHOWN_CONVERSATIONS, 0),
            "owners": sorted(owners.items(), key=lambda pair: pair[1].lower()),
            "statuses": STATUSES,
            "error": error,
            "saved": saved,
        },
        status_code=422 if error else 200,
    )


@router.get("/app/leads/{lead_id}", response_class=HTMLResponse)
async def lead_page(lead_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    saved = request.query_params.get("saved") == "1"
    return await _lead_page(request, uow, ctx, lead_id, saved=saved)


def update_from_form(form: Any) -> LeadUpdate:
    """The form's fields as the API's change: empty owner, day or value clear them."""
    value = str(form.get("value", "")).strip().replace(",", "")
    return LeadUpdate.model_validate(
        {
            "status": str(form.get("status", "")) or None,
            "owner_id": str(form.get("owner_id", "")) or None,
            "follow_up_on": str(form.get("follow_up_on", "")) or None,
            "value": float(value) if value else None,
            "notes": str(form.get("notes", "")),
        }
    )


@router.post("/app/leads/{lead_id}", response_class=HTMLResponse)
async def lead_submit(lead_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = await request.form()
    try:
        change = update_from_form(form)
    except (ValidationError, ValueError) as invalid:
        message = "Check the value: a number of at most a billion, and the follow-up day."
        if isinstance(invalid, ValidationError) and invalid.errors():
            where = ".".join(str(p) for p in invalid.errors()[0]["loc"])
            message = f"Check {where.replace('_', ' ')}: {invalid.errors()[0]['msg']}."
        return await _lead_page(request, uow, ctx, lead_id, message)
    try:
        await leads.update_lead(uow.session, ctx, lead_id, change)
    except FrontdeskError as refusal:
        await settle_refusal(uow, ctx, refusal)
        return await _lead_page(request, uow, ctx, lead_id, refusal.message)
    return redirect(request, f"/app/leads/{lead_id}?saved=1")
