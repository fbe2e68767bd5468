"""The leads page: everyone who left details, with filters, search, a follow-ups-due view,
bulk status and a spreadsheet of what is shown. Works without scripts (links and forms);
``static/leads/`` adds bulk changes and downloads through the API without a reload.

The page takes the list API's own query names (status, owner_id, follow_up, source,
created_from, created_to, q), so its query string is the export's as it stands."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import phonenumbers
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from frontdesk.deps import Svc, Uow
from frontdesk.kit.errors import FrontdeskError
from frontdesk.leads import service as leads
from frontdesk.leads.export import XLSX_TYPE
from frontdesk.leads.models import CLOSED_STATUSES, STATUSES, Lead
from frontdesk.leads.repository import LeadFilter
from frontdesk.leads.schemas import DAY_PATTERN, BulkStatusIn
from frontdesk.web.pages_app import base_context, settle_refusal
from frontdesk.web.pages_contacts import _zone, when
from frontdesk.web.session import redirect, refuse_cross_site, render, require_context
from frontdesk.workspaces.members import list_members
from frontdesk.workspaces.permissions import WorkspaceContext

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
SOURCES = {
    "portal": "Chat page",
    "widget": "Website widget",
    "import": "Import",
    "manual": "Added by hand",
}


@dataclass
class Filters:
    """What the page shows, read leniently from the address: a value that does not parse is
    dropped rather than refused, so a hand-edited link still shows a page."""

    status: str = ""
    owner_id: str = ""
    follow_up: str = ""
    source: str = ""
    created_from: str = ""
    created_to: str = ""
    q: str = ""

    @classmethod
    def read(cls, params: Any) -> Filters:
        def day(name: str) -> str:
            value = str(params.get(name, "")).strip()
            try:
                return value if DAY_PATTERN.match(value) and date.fromisoformat(value) else ""
            except ValueError:
                return ""

        owner = str(params.get("owner_id", "")).strip()
        try:
            owner = str(uuid.UUID(owner)) if owner else ""
        except ValueError:
            owner = ""
        status, source = str(params.get("status", "")), str(params.get("source", ""))
        return cls(
            status=status if status in STATUSES else "",
            owner_id=owner,
            follow_up="due" if params.get("follow_up") == "due" else "",
            source=source if source in SOURCES else "",
            created_from=day("created_from"),
            created_to=day("created_to"),
            q=str(params.get("q", "")).strip()[:200],
        )

    def pairs(self, **changes: str) -> dict[str, str]:
        values = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        return {k: v for k, v in values.items() if v}

    def url(self, path: str = "/app/leads", **changes: str) -> str:
        query = urlencode(self.pairs(**changes))
        return f"{path}?{query}" if query else path

    @property
    def narrowed(self) -> bool:
        """Anything beyond the view picked: the difference between "no leads" and "none match"."""
        return bool(self.pairs(follow_up=""))

    def resolve(self, ctx: WorkspaceContext) -> LeadFilter:
        return leads.resolve_filter(
            ctx,
            LeadFilter(
                status=self.status or None,
                owner_id=uuid.UUID(self.owner_id) if self.owner_id else None,
                channel=self.source or None,
                query=self.q,
            ),
            follow_up_due=self.follow_up == "due",
            created_from=date.fromisoformat(self.created_from) if self.created_from else None,
            created_to=date.fromisoformat(self.created_to) if self.created_to else None,
        )


def money(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def phone_label(phone: str) -> str:
    """+12125550187 as people write it (+1 212-555-0187); anything else as stored."""
    if not phone.startswith("+"):
        return phone
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def day_label(day: date, today: date) -> str:
    """ "4 Dec", with the year when it is not this one."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if day.year != today.year else "")


def follow_up_label(day: date | None, today: date, status: str) -> tuple[str, str]:
    """The follow-up day as staff read it, and its state: due (today), overdue, later, or
    done (a closed lead has nothing left to follow up)."""
    if day is None:
        return "", ""
    label = day_label(day, today)
    if status in CLOSED_STATUSES:
        return label, "done"
    if day == today:
        return "Today", "due"
    return label, "overdue" if day < today else "later"


async def owner_names(uow: Uow, ctx: WorkspaceContext) -> dict[uuid.UUID, str]:
    members, _ = await list_members(uow.session, ctx)
    return {user.id: user.full_name or user.email for _, user in members}


def lead_row(lead: Lead, owners: dict[uuid.UUID, str], now: datetime) -> Any:
    contact = lead.contact
    follow_label, follow_state = follow_up_label(lead.follow_up_on, now.date(), lead.status)
    value = None if lead.value_cents is None else lead.value_cents / 100
    return SimpleNamespace(
        id=lead.id,
        name=contact.name,
        email=contact.email,
        phone=contact.phone,
        phone_label=phone_label(contact.phone),
        interest=lead.interest,
        status=lead.status,
        owner=owners.get(lead.owner_id, "") if lead.owner_id else "",
        owner_id=str(lead.owner_id or ""),
        follow_up_iso=lead.follow_up_on.isoformat() if lead.follow_up_on else "",
        follow_up=follow_label,
        follow_state=follow_state,
        value=value,
        value_label=money(value),
        source=SOURCES.get(lead.channel, lead.channel.capitalize()),
        channel=lead.channel,
        notes=lead.notes,
        created_iso=lead.created_at.isoformat(),
        created=when(lead.created_at.astimezone(now.tzinfo), now),
        created_day=day_label(lead.created_at.astimezone(now.tzinfo).date(), now.date()),
        conversation_id=lead.source_conversation_id,
    )


@router.get("/app/leads", response_class=HTMLResponse)
async def leads_page(request: Request, uow: Uow, svc: Svc, offset: int = 0) -> Response:
    ctx = await require_context(request, uow, svc)
    shown = Filters.read(request.query_params)
    offset, error = max(offset, 0), ""
    try:
        found, total = await leads.list_leads(
            uow.session, ctx, shown.resolve(ctx), PAGE_SIZE, offset
        )
    except FrontdeskError as refusal:  # a range that ends before it starts
        error, found, total = refusal.message, [], 0
    # The tab's count (open leads due today or before) and every lead, which the page's
    # script compares with the count it reads after new messages.
    _, due = await leads.list_leads(uow.session, ctx, Filters(follow_up="due").resolve(ctx), 1, 0)
    _, everyone = await leads.list_leads(uow.session, ctx, Filters().resolve(ctx), 1, 0)
    owners = await owner_names(uow, ctx)
    now = datetime.now(_zone(ctx.workspace.timezone))
    return render(
        request,
        "leads.html",
        {
            **base_context(ctx, "leads"),
            "f": shown,
            "error": error,
            "leads": [lead_row(lead, owners, now) for lead in found],
            "total": total,
            "due_count": due,
            "all_count": everyone,
            "owners": sorted(owners.items(), key=lambda pair: pair[1].lower()),
            "statuses": STATUSES,
            "sources": SOURCES,
            "offset": offset,
            "page_size": PAGE_SIZE,
            "previous_offset": max(offset - PAGE_SIZE, 0) if offset else None,
            "next_offset": offset + PAGE_SIZE if offset + PAGE_SIZE < total else None,
            "export_query": urlencode(shown.pairs()),
            "updated": request.query_params.get("updated", ""),
        },
    )


@router.get("/app/leads/export")
async def leads_export(request: Request, uow: Uow, svc: Svc, format: str = "xlsx") -> Response:
    """The spreadsheet of what the page shows, for a browser without scripts (the page's
    script fetches GET /api/leads/export with the same query instead)."""
    ctx = await require_context(request, uow, svc)
    format = "csv" if format == "csv" else "xlsx"
    shown = Filters.read(request.query_params)
    try:
        body = await leads.export(uow.session, ctx, shown.resolve(ctx), format)
    except FrontdeskError:
        return redirect(request, shown.url())
    day = leads.local_today(ctx).isoformat()
    return Response(
        body,
        media_type=XLSX_TYPE if format == "xlsx" else "text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leads-{day}.{format}"'},
    )


@router.post("/app/leads/bulk", response_class=HTMLResponse)
async def bulk_submit(request: Request, uow: Uow, svc: Svc) -> Response:
    """The bulk bar's form (without scripts): the ticked leads get the status picked."""
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = await request.form()
    back = str(form.get("back", ""))
    back = back if back.startswith("/app/leads") and "//" not in back else "/app/leads"
    ids: list[uuid.UUID] = []
    for raw in form.getlist("ids"):
        try:
            ids.append(uuid.UUID(str(raw)))
        except ValueError:
            continue
    status = str(form.get("status", ""))
    if not ids or status not in STATUSES:
        return redirect(request, back)
    try:
        change = BulkStatusIn.model_validate({"ids": ids[:500], "status": status})
        count = await leads.bulk_status(uow.session, ctx, change)
    except FrontdeskError as refusal:
        await settle_refusal(uow, ctx, refusal)
        count = 0
    joiner = "&" if "?" in back else "?"
    return redirect(request, f"{back}{joiner}updated={count}")
