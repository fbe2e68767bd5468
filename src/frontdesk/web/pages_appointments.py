"""The appointments page: a day or week calendar and a filtered list of bookings.

The server paints the range asked for (columns per day, blocks per booking, or the list's
rows); ``static/appointments/*.js`` then places the blocks by time, keeps them live over the
staff socket and does the creating, moving (drag or form), cancelling and marking through
``/api/appointments``. Navigation (previous, today, next, the view, the filters) is links
and GET forms, so every view has its own address.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from frontdesk.appointments import manage
from frontdesk.appointments.availability import zone_of
from frontdesk.appointments.models import Appointment
from frontdesk.assistant.hours_answer import TWELVE_HOUR_COUNTRIES, clock
from frontdesk.deps import Svc, Uow
from frontdesk.web.pages_app import base_context
from frontdesk.web.session import render, require_context
from frontdesk.workspaces import members
from frontdesk.workspaces.permissions import Permission

router = APIRouter(include_in_schema=False)

VIEWS = ("week", "day", "list")
STATUS_LABELS = {
    "booked": "Booked",
    "completed": "Completed",
    "no_show": "No-show",
    "cancelled": "Cancelled",
}
# A calendar shows at least these hours; opening hours and bookings outside widen it.
DEFAULT_HOURS = (8, 18)
MOST_SHOWN = 500
DASH = "\u2013"  # between two times or days
LIST_DAYS = 30


def _day(text: str, fallback: date) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return fallback


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _hour_span(hours: dict[str, Any], blocks: list[Any]) -> tuple[int, int]:
    """First and last hour (exclusive) to draw: opening hours and every booking fit."""
    first, last = DEFAULT_HOURS
    for intervals in (hours or {}).values():
        for interval in intervals or []:
            try:
                first = min(first, int(interval["start"][:2]))
                end_h, end_m = (int(x) for x in interval["end"].split(":"))
                last = max(last, end_h + (1 if end_m else 0))
            except (KeyError, ValueError, TypeError):
                continue
    for block in blocks:
        first = min(first, block.minute // 60)
        last = max(last, -(-(block.minute + block.minutes) // 60))
    return max(first, 0), min(max(last, first + 1), 24)


def _hour_label(hour: int, country: str) -> str:
    """ "9 am" or "09:00": the side of a calendar has little room."""
    if country.upper() not in TWELVE_HOUR_COUNTRIES:
        return f"{hour:02d}:00"
    return f"{hour % 12 or 12} {'am' if hour < 12 else 'pm'}"


def _block(
    appointment: Appointment,
    zone: Any,
    country: str,
    services: dict[uuid.UUID, str],
    staff: dict[uuid.UUID, str],
) -> Any:
    start = appointment.start.astimezone(zone)
    end = appointment.end.astimezone(zone)
    minutes = max(int((end - start).total_seconds() // 60), 5)
    return SimpleNamespace(
        id=appointment.id,
        day=start.date(),
        minute=start.hour * 60 + start.minute,
        minutes=minutes,
        start_iso=start.isoformat(),
        end_iso=end.isoformat(),
        start_label=clock(f"{start:%H:%M}", country),
        end_label=clock(f"{end:%H:%M}", country),
        time=f"{clock(f'{start:%H:%M}', country)} {DASH} {clock(f'{end:%H:%M}', country)}",
        date_label=f"{start:%a} {start.day} {start:%b}",
        service=services.get(appointment.service_id, "Service"),
        service_id=appointment.service_id,
        staff=staff.get(appointment.staff_id, "") if appointment.staff_id else "",
        staff_id=appointment.staff_id or "",
        customer=appointment.customer_name or "No name given",
        email=appointment.customer_email,
        phone=appointment.customer_phone,
        status=appointment.status,
        status_label=STATUS_LABELS.get(appointment.status, appointment.status),
        conversation_id=appointment.conversation_id or "",
    )


@router.get("/app/appointments", response_class=HTMLResponse)
async def appointments_page(request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    query = request.query_params
    zone = zone_of(ctx.workspace.timezone)
    country = ctx.workspace.country or "US"
    today = datetime.now(zone).date()
    view = query.get("view", "week") if query.get("view") in VIEWS else "week"
    day = _day(query.get("date", ""), today)
    staff_id = _uuid(query.get("staff", ""))
    service_id = _uuid(query.get("service", ""))
    status = query.get("status", "") if query.get("status") in STATUS_LABELS else ""

    if view == "week":
        first = day - timedelta(days=day.weekday())
        days, step = 7, 7
    elif view == "day":
        first, days, step = day, 1, 1
    else:
        first = _day(query.get("from", ""), today)
        last = _day(query.get("to", ""), first + timedelta(days=LIST_DAYS - 1))
        days, step = max((last - first).days + 1, 1), 0
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(first + timedelta(days=days), time(0), zone)

    services = await manage.list_services(uow.session, ctx)
    rows, _invitations = await members.list_members(uow.session, ctx)
    staff_names = {user.id: user.full_name or user.email for _m, user in rows}
    found = await manage.list_appointments(
        uow.session,
        ctx,
        MOST_SHOWN,
        0,
        start_from=start,
        start_to=end,
        staff_id=staff_id,
        status=status or None if view == "list" else None,
        service_id=service_id if view == "list" else None,
    )
    names = {s.id: s.name for s in services}
    blocks = [_block(a, zone, country, names, staff_names) for a in found]
    shown = [b for b in blocks if b.status != "cancelled"]
    hour_first, hour_last = _hour_span(ctx.workspace.business_hours, shown)

    def link(**changes: Any) -> str:
        params = {"view": view, "date": day.isoformat(), "staff": query.get("staff", "")}
        params.update(changes)
        return "/app/appointments?" + urlencode({k: v for k, v in params.items() if v})

    columns = [
        SimpleNamespace(
            date=first + timedelta(days=i),
            iso=(first + timedelta(days=i)).isoformat(),
            weekday=f"{first + timedelta(days=i):%a}",
            number=(first + timedelta(days=i)).day,
            is_today=first + timedelta(days=i) == today,
            blocks=[b for b in shown if b.day == first + timedelta(days=i)],
            day_link=link(view="day", date=(first + timedelta(days=i)).isoformat()),
        )
        for i in range(days if view != "list" else 0)
    ]
    last_day = first + timedelta(days=days - 1)
    if view == "day":
        title = f"{first:%A} {first.day} {first:%B} {first.year}"
    elif first.month == last_day.month:
        title = f"{first.day} {DASH} {last_day.day} {first:%B} {first.year}"
    else:
        title = f"{first.day} {first:%b} {DASH} {last_day.day} {last_day:%b} {last_day.year}"
    return render(
        request,
        "appointments.html",
        {
            **base_context(ctx, "appointments"),
            "view": view,
            "title": title,
            "day": day,
            "today": today,
            "range_from": start.isoformat(),
            "range_to": end.isoformat(),
            "list_from": first.isoformat(),
            "list_to": last_day.isoformat(),
            "columns": columns,
            "blocks": blocks,
            "hours": [
                SimpleNamespace(hour=h, label=_hour_label(h, country))
                for h in range(hour_first, hour_last)
            ],
            "hour_first": hour_first,
            "hour_last": hour_last,
            "hour12": country.upper() in TWELVE_HOUR_COUNTRIES,
            "timezone": ctx.workspace.timezone,
            "services": [s for s in services if s.active],
            "all_services": services,
            "staff": [SimpleNamespace(id=u.id, name=u.full_name or u.email) for _m, u in rows],
            "staff_filter": str(staff_id or ""),
            "service_filter": str(service_id or ""),
            "status_filter": status,
            "statuses": STATUS_LABELS,
            "prev_link": link(date=(day - timedelta(days=step)).isoformat()) if step else "",
            "next_link": link(date=(day + timedelta(days=step)).isoformat()) if step else "",
            "today_link": link(date=today.isoformat()),
            "view_links": {v: link(view=v) for v in VIEWS},
            "may_book": ctx.can(Permission.RESPOND),
            "truncated": len(found) == MOST_SHOWN,
        },
    )
