"""The assistant's booking tools (registered in ``assistant/builtin_tools.py``): services,
free slots, book, find a customer's bookings, move and cancel. The local engine's booking
dialogue (``appointments/chat_flow.py``) calls them; an LLM engine sees them as functions.

Each call is its own transaction. A refused time comes back as a failed result carrying why
(``slot_taken``, ``outside_hours``, ``too_soon``, ``too_far``) and real free alternatives, so
either engine can offer them. A booking is only moved or cancelled for the customer who made
it: one made in this conversation, or one under this conversation's contact (found by the
email or phone the customer gave here).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments import service as booking
from frontdesk.appointments.availability import Slot, zone_of
from frontdesk.appointments.errors import BookingRefused
from frontdesk.appointments.loading import workspace_of
from frontdesk.appointments.models import Appointment, Service
from frontdesk.appointments.repository import AppointmentRepository
from frontdesk.assistant.tools import ToolContext, ToolResult
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import FrontdeskError
from frontdesk.mail.booking_words import when as spoken

READ_BOOKINGS = "bookings:read"
WRITE_BOOKINGS = "bookings:write"


def _iso(moment: datetime, timezone: str) -> str:
    return moment.astimezone(zone_of(timezone)).isoformat()


def _said(moment: datetime, ctx: ToolContext) -> str:
    return spoken(moment.astimezone(zone_of(ctx.timezone)), "en", ctx.region)


async def _service(session: AsyncSession, ctx: ToolContext, ref: str) -> Service | None:
    """A bookable service by id or by name (exact, else the only one whose name holds it)."""
    services = await booking.list_services(session, ctx.workspace_id)
    wanted = ref.strip().lower()
    for service in services:
        if str(service.id) == wanted or service.name.lower() == wanted:
            return service
    close = [s for s in services if wanted and (wanted in s.name.lower())]
    return close[0] if len(close) == 1 else None


def _appointment_view(appointment: Appointment, name: str, ctx: ToolContext) -> dict[str, Any]:
    return {
        "id": str(appointment.id),
        "service_id": str(appointment.service_id),
        "service": name,
        "start": _iso(appointment.start, ctx.timezone),
        "end": _iso(appointment.end, ctx.timezone),
        "status": appointment.status,
        "customer_name": appointment.customer_name,
        "customer_email": appointment.customer_email,
        "customer_phone": appointment.customer_phone,
    }


def _slots(slots: list[Slot], ctx: ToolContext) -> list[str]:
    return [_iso(slot.start, ctx.timezone) for slot in slots]


def _refused(exc: BookingRefused, ctx: ToolContext) -> ToolResult:
    alternatives = _slots(exc.alternatives, ctx)
    spoken_alternatives = (
        "; ".join(
            f"{_said(s.start, ctx)} ({iso})"
            for s, iso in zip(exc.alternatives, alternatives, strict=True)
        )
        or "none"
    )
    return ToolResult(
        f"{exc.message} Free alternatives to offer: {spoken_alternatives}.",
        data={"refused": exc.code, "alternatives": alternatives},
        ok=False,
    )


class ListServicesArgs(BaseModel):
    pass


class ListServices:
    name = "list_services"
    description = "The services a customer can book: name, duration in minutes, price."
    args_model = ListServicesArgs
    permission = READ_BOOKINGS

    async def run(self, args: ListServicesArgs, ctx: ToolContext) -> ToolResult:
        async def work(session: AsyncSession) -> list[dict[str, Any]]:
            return [
                {
                    "id": str(s.id),
                    "name": s.name,
                    "duration_minutes": s.duration_minutes,
                    "price_cents": s.price_cents,
                    "description": s.description,
                }
                for s in await booking.list_services(session, ctx.workspace_id)
            ]

        services = await ctx.run_in_transaction(work)
        names = ", ".join(f"{s['name']} ({s['duration_minutes']} min)" for s in services)
        return ToolResult(f"Services: {names or 'none'}.", data={"services": services})


class FindSlotsArgs(BaseModel):
    service: str = Field(min_length=1, max_length=200, description="Service name or id.")
    day: date | None = Field(None, description="First local day to list free slots for.")
    days: int = Field(1, ge=1, le=14, strict=True, description="How many days to list.")
    at: datetime | None = Field(
        None, description="A time the customer asked for (with offset): is it free?"
    )


class FindSlots:
    name = "find_slots"
    description = (
        "Free slots for a service: give 'at' to check one time (the result says whether it is "
        "free, and offers the nearest free slots when not), or 'day' (and 'days') to list "
        "free start times. Times are in the business's time zone."
    )
    args_model = FindSlotsArgs
    permission = READ_BOOKINGS

    async def run(self, args: FindSlotsArgs, ctx: ToolContext) -> ToolResult:
        async def work(session: AsyncSession) -> dict[str, Any] | None:
            service = await _service(session, ctx, args.service)
            if service is None:
                return None
            found: dict[str, Any] = {"service_id": str(service.id), "service": service.name}
            if args.at is not None and args.at.tzinfo is not None:
                free, reason, alternatives = await check_time(session, ctx, service, args.at)
                found.update(free=free, reason=reason, alternatives=_slots(alternatives, ctx))
                return found
            zone = zone_of(ctx.timezone)
            first = args.day or datetime.now(zone).date()
            slots = await booking.find_slots(
                session, ctx.workspace_id, service.id, first, args.days
            )
            found["slots"] = _slots(slots, ctx)
            return found

        data = await ctx.run_in_transaction(work)
        if data is None:
            return ToolResult(f"No bookable service called {args.service!r}.", ok=False)
        if "free" in data:
            if data["free"]:
                return ToolResult("That time is free.", data=data)
            offered = "; ".join(data["alternatives"]) or "none"
            content = f"Not free ({data['reason']}). Nearest free slots: {offered}."
            return ToolResult(content, data=data)
        listed = "; ".join(data["slots"][:30]) or "none"
        return ToolResult(f"Free start times: {listed}.", data=data)


async def check_time(
    session: AsyncSession, ctx: ToolContext, service: Service, start: datetime
) -> tuple[bool, str, list[Slot]]:
    """Whether ``start`` can be booked for ``service``, else why and the nearest free slots,
    by the same placement rules a booking goes through (nothing is written)."""
    workspace = await workspace_of(session, ctx.workspace_id)
    try:
        await booking._place(
            session,
            workspace,
            service,
            start.replace(second=0, microsecond=0),
            None,
            None,
            booking.ASSISTANT,
        )
    except BookingRefused as exc:
        return False, exc.code, exc.alternatives
    return True, "", []


class BookAppointmentArgs(BaseModel):
    service: str = Field(min_length=1, max_length=200, description="Service name or id.")
    start: datetime = Field(description="The start, ISO 8601 with its UTC offset.")
    customer_name: str = Field("", max_length=200)
    customer_email: str = Field("", max_length=320)
    customer_phone: str = Field("", max_length=40)
    notes: str = Field("", max_length=1000)


class BookAppointment:
    name = "book_appointment"
    description = (
        "Book a service at a free start time, once the customer has confirmed it, with their "
        "name and an email or phone. A refused time comes back with free alternatives."
    )
    args_model = BookAppointmentArgs
    permission = WRITE_BOOKINGS

    async def run(self, args: BookAppointmentArgs, ctx: ToolContext) -> ToolResult:
        async def work(session: AsyncSession) -> dict[str, Any] | None:
            service = await _service(session, ctx, args.service)
            if service is None:
                return None
            conversation = await ConversationRepository(session, ctx.workspace_id).get(
                ctx.conversation_id
            )
            contact = conversation.contact if conversation is not None else None
            request = booking.BookingRequest(
                service_id=service.id,
                start=args.start,
                customer_name=args.customer_name or (contact.name if contact else ""),
                customer_email=args.customer_email or (contact.email if contact else ""),
                customer_phone=args.customer_phone or (contact.phone if contact else ""),
                contact_id=contact.id if contact is not None else None,
                conversation_id=ctx.conversation_id,
                notes=args.notes,
            )
            appointment = await booking.book(session, ctx.workspace_id, request)
            return _appointment_view(appointment, service.name, ctx)

        try:
            data = await ctx.run_in_transaction(work)
        except BookingRefused as exc:
            return _refused(exc, ctx)
        except FrontdeskError as exc:
            return ToolResult(f"Not booked: {exc.message}", ok=False)
        if data is None:
            return ToolResult(f"No bookable service called {args.service!r}.", ok=False)
        when = _said(datetime.fromisoformat(data["start"]), ctx)
        return ToolResult(f"Booked {data['service']} on {when}.", data=data)


class FindAppointmentsArgs(BaseModel):
    email: str = Field("", max_length=320, description="The email the customer booked with.")
    phone: str = Field("", max_length=40, description="The phone the customer booked with.")


async def _contact_keys(
    session: AsyncSession, ctx: ToolContext
) -> tuple[uuid.UUID | None, str, str]:
    conversation = await ConversationRepository(session, ctx.workspace_id).get(ctx.conversation_id)
    contact = conversation.contact if conversation is not None else None
    if contact is None:
        return None, "", ""
    return contact.id, contact.email or "", contact.phone or ""


async def customer_bookings(session: AsyncSession, ctx: ToolContext) -> list[Appointment]:
    """Upcoming bookings of this conversation's customer: made here, or under their contact,
    email or phone."""
    contact_id, email, phone = await _contact_keys(session, ctx)
    found = {
        a.id: a
        for a in await booking.upcoming_for_customer(
            session, ctx.workspace_id, contact_id=contact_id, email=email, phone=phone
        )
    }
    here = (
        AppointmentRepository(session, ctx.workspace_id)
        .scoped()
        .where(
            Appointment.conversation_id == ctx.conversation_id,
            Appointment.status == "booked",
            Appointment.start >= utcnow(),
        )
    )
    for appointment in (await session.execute(here)).scalars():
        found[appointment.id] = appointment
    return sorted(found.values(), key=lambda a: a.start)


async def _views(session: AsyncSession, ctx: ToolContext, items: list[Appointment]) -> list[Any]:
    names = {s.id: s.name for s in await booking.list_services(session, ctx.workspace_id)}
    return [_appointment_view(a, names.get(a.service_id, ""), ctx) for a in items]


class FindAppointments:
    name = "find_appointments"
    description = (
        "The customer's upcoming bookings, found by this conversation's contact details "
        "(save an email or phone the customer gives with capture_lead first)."
    )
    args_model = FindAppointmentsArgs
    permission = READ_BOOKINGS

    async def run(self, args: FindAppointmentsArgs, ctx: ToolContext) -> ToolResult:
        async def work(session: AsyncSession) -> list[Any]:
            return await _views(session, ctx, await customer_bookings(session, ctx))

        found = await ctx.run_in_transaction(work)
        listed = "; ".join(
            f"{a['service']} on {_said(datetime.fromisoformat(a['start']), ctx)} (id {a['id']})"
            for a in found
        )
        return ToolResult(f"Upcoming bookings: {listed or 'none'}.", data={"appointments": found})


class ChangeArgs(BaseModel):
    appointment_id: uuid.UUID
    start: datetime = Field(description="The new start, ISO 8601 with its UTC offset.")


class CancelArgs(BaseModel):
    appointment_id: uuid.UUID


async def _owned(session: AsyncSession, ctx: ToolContext, appointment_id: uuid.UUID) -> bool:
    return any(a.id == appointment_id for a in await customer_bookings(session, ctx))


class RescheduleAppointment:
    name = "reschedule_appointment"
    description = (
        "Move one of the customer's bookings (from find_appointments) to a new free time, "
        "once they confirmed it. A refused time comes back with free alternatives."
    )
    args_model = ChangeArgs
    permission = WRITE_BOOKINGS

    async def run(self, args: ChangeArgs, ctx: ToolContext) -> ToolResult:
        async def work(session: AsyncSession) -> list[Any] | None:
            if not await _owned(session, ctx, args.appointment_id):
                return None
            moved = await booking.reschedule(
                session, ctx.workspace_id, args.appointment_id, args.start
            )
            return await _views(session, ctx, [moved])

        try:
            data = await ctx.run_in_transaction(work)
        except BookingRefused as exc:
            return _refused(exc, ctx)
        except FrontdeskError as exc:
            return ToolResult(f"Not moved: {exc.message}", ok=False)
        if data is None:
            return ToolResult("No such upcoming booking for this customer.", ok=False)
        when = _said(datetime.fromisoformat(data[0]["start"]), ctx)
        return ToolResult(f"Moved {data[0]['service']} to {when}.", data=data[0])


class CancelAppointment:
    name = "cancel_appointment"
    description = "Cancel one of the customer's bookings (from find_appointments), once confirmed."
    args_model = CancelArgs
    permission = WRITE_BOOKINGS

    async def run(self, args: CancelArgs, ctx: ToolContext) -> ToolResult:
        async def work(session: AsyncSession) -> list[Any] | None:
            if not await _owned(session, ctx, args.appointment_id):
                return None
            cancelled = await booking.cancel(session, ctx.workspace_id, args.appointment_id)
            return await _views(session, ctx, [cancelled])

        try:
            data = await ctx.run_in_transaction(work)
        except FrontdeskError as exc:
            return ToolResult(f"Not cancelled: {exc.message}", ok=False)
        if data is None:
            return ToolResult("No such upcoming booking for this customer.", ok=False)
        return ToolResult(f"Cancelled {data[0]['service']}.", data=data[0])


BOOKING_TOOLS = (
    ListServices,
    FindSlots,
    BookAppointment,
    FindAppointments,
    RescheduleAppointment,
    CancelAppointment,
)
