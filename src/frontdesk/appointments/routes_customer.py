"""The customer's manage link: a server-rendered page (``/c/{slug}/booking/{token}``, works
without JavaScript, forms with the page's CSRF token) and the same through the API
(``/api/portal/{slug}/bookings/{token}``). No sign-in: the token is the credential, so these
answers are never cached and never leak the address to another site (no referrer)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict

from frontdesk.appointments import customer
from frontdesk.appointments.availability import zone_of
from frontdesk.appointments.errors import BookingRefused
from frontdesk.appointments.schemas import IsoDate, SlotOut, Status
from frontdesk.deps import Meta, Uow
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import FrontdeskError
from frontdesk.kit.http import RequestMeta
from frontdesk.kit.params import IsoDatetime
from frontdesk.kit.text import CleanInput
from frontdesk.mail.booking_words import Language, day, hour, when
from frontdesk.web.session import redirect, refuse_cross_site, render

router = APIRouter(tags=["bookings"])
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
PAGE_DAYS = 3  # a phone screen's worth of free times; the page steps by as many


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


UNKNOWN: dict[int | str, dict[str, Any]] = {404: _error("No booking with this link.")}
CHANGE: dict[int | str, dict[str, Any]] = {
    **UNKNOWN,
    409: _error(
        "The booking can no longer be changed (cancelled, past), or the time is taken "
        "(details.alternatives lists free slots)."
    ),
    422: _error(
        "A time outside hours, too soon or too far ahead (codes outside_hours, too_soon, "
        "too_far; details.alternatives lists free slots)."
    ),
}


class ManagedBookingOut(BaseModel):
    id: str
    service_name: str
    staff_name: str
    business_name: str
    start: Any
    end: Any
    timezone: str
    status: Status
    customer_name: str
    changeable: bool

    @classmethod
    def of(cls, booking: customer.ManagedBooking) -> ManagedBookingOut:
        return cls(
            id=str(booking.appointment.id),
            service_name=booking.service.name,
            staff_name=booking.staff_name,
            business_name=booking.workspace.name,
            start=booking.zone_start,
            end=booking.zone_end,
            timezone=booking.workspace.timezone,
            status=booking.appointment.status,  # type: ignore[arg-type]
            customer_name=booking.appointment.customer_name,
            changeable=booking.changeable,
        )


class ManagedSlots(BaseModel):
    timezone: str
    slots: list[SlotOut]


class RescheduleIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    start: IsoDatetime


def _json(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json", headers=PRIVATE)


@router.get(
    "/api/portal/{slug}/bookings/{token}", response_model=ManagedBookingOut, responses=UNKNOWN
)
async def get_booking(slug: str, token: str, uow: Uow) -> Response:
    return _json(ManagedBookingOut.of(await customer.find(uow.session, slug, token)))


@router.get(
    "/api/portal/{slug}/bookings/{token}/slots", response_model=ManagedSlots, responses=UNKNOWN
)
async def booking_slots(
    slug: str,
    token: str,
    uow: Uow,
    date: IsoDate | None = Query(None, description="First local day, YYYY-MM-DD."),
    days: int = Query(customer.SLOT_DAYS, ge=1, le=31),
) -> Response:
    booking = await customer.find(uow.session, slug, token)
    found = await customer.free_slots(uow.session, booking, date, days)
    return _json(
        ManagedSlots(timezone=booking.workspace.timezone, slots=[SlotOut.of(s) for s in found])
    )


@router.post(
    "/api/portal/{slug}/bookings/{token}/cancel",
    response_model=ManagedBookingOut,
    responses=CHANGE,
)
async def cancel_booking(slug: str, token: str, uow: Uow, meta: Meta) -> Response:
    booking = await customer.find(uow.session, slug, token)
    return _json(ManagedBookingOut.of(await customer.cancel(uow.session, booking, meta)))


@router.post(
    "/api/portal/{slug}/bookings/{token}/reschedule",
    response_model=ManagedBookingOut,
    responses=CHANGE,
)
async def reschedule_booking(
    slug: str, token: str, body: RescheduleIn, uow: Uow, meta: Meta
) -> Response:
    booking = await customer.find(uow.session, slug, token)
    moved = await customer.reschedule(uow.session, booking, body.start, meta)
    return _json(ManagedBookingOut.of(moved))


# The page.


def _page_path(slug: str, token: str) -> str:
    return f"/c/{slug}/booking/{token}"


async def _page(
    request: Request,
    booking: customer.ManagedBooking,
    uow: Any,
    *,
    first_day: date | None = None,
    done: str = "",
    error: str = "",
    alternatives: list[Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    workspace = booking.workspace
    language: Language = "es" if workspace.language.startswith("es") else "en"
    country = workspace.country
    days: list[tuple[str, list[tuple[str, str]]]] = []
    today = utcnow().astimezone(zone_of(workspace.timezone)).date()
    start_day = max(first_day or today, today)
    if booking.changeable:
        for slot in await customer.free_slots(uow.session, booking, start_day, PAGE_DAYS):
            label = day(slot.start, language, country)
            if not days or days[-1][0] != label:
                days.append((label, []))
            days[-1][1].append((slot.start.isoformat(), hour(slot.start, language, country)))
    context = {
        "booking": booking,
        "when": when(booking.zone_start, language, country),
        "until": hour(booking.zone_end, language, country),
        "path": _page_path(workspace.slug, request.path_params["token"]),
        "days": days,
        "week_label": day(datetime.combine(start_day, datetime.min.time()), language, country),
        "earlier": (start_day - timedelta(days=PAGE_DAYS)).isoformat() if start_day > today else "",
        "later": (start_day + timedelta(days=PAGE_DAYS)).isoformat(),
        "done": done,
        "error": error,
        "alternatives": [
            (s.start.isoformat(), when(s.start, language, country)) for s in alternatives or []
        ],
    }
    response = render(request, "booking_manage.html", context, status_code=status_code)
    response.headers.update(PRIVATE)
    return response


@router.get("/c/{slug}/booking/{token}", response_class=HTMLResponse, include_in_schema=False)
async def manage_page(
    slug: str, token: str, request: Request, uow: Uow, done: str = "", start: str = ""
) -> HTMLResponse:
    booking = await customer.find(uow.session, slug, token)
    try:
        first_day = date.fromisoformat(start) if start else None
    except ValueError:
        first_day = None
    shown = done if done in ("cancelled", "moved") else ""
    return await _page(request, booking, uow, first_day=first_day, done=shown)


@router.post(
    "/c/{slug}/booking/{token}/cancel", response_class=HTMLResponse, include_in_schema=False
)
async def manage_cancel(slug: str, token: str, request: Request, uow: Uow) -> Response:
    await refuse_cross_site(request)
    booking = await customer.find(uow.session, slug, token)
    try:
        await customer.cancel(uow.session, booking, RequestMeta.of(request))
    except FrontdeskError as error:
        return await _page(request, booking, uow, error=error.message, status_code=409)
    return redirect(request, f"{_page_path(slug, token)}?done=cancelled")


@router.post(
    "/c/{slug}/booking/{token}/reschedule", response_class=HTMLResponse, include_in_schema=False
)
async def manage_reschedule(slug: str, token: str, request: Request, uow: Uow) -> Response:
    await refuse_cross_site(request)
    booking = await customer.find(uow.session, slug, token)
    form = await request.form()
    try:
        start = RescheduleIn.model_validate({"start": form.get("start")}).start
    except ValueError:
        return await _page(request, booking, uow, error="Choose a time.", status_code=422)
    try:
        await customer.reschedule(uow.session, booking, start, RequestMeta.of(request))
    except BookingRefused as error:  # nothing was changed: the page offers what is free
        return await _page(
            request,
            booking,
            uow,
            error=error.message,
            alternatives=error.alternatives,
            status_code=error.status_code,
        )
    except FrontdeskError as error:
        return await _page(request, booking, uow, error=error.message, status_code=409)
    return redirect(request, f"{_page_path(slug, token)}?done=moved")
