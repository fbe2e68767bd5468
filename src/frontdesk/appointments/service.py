"""Booking for the workspace: what the chat assistant (and the staff API, through
``appointments/manage.py``) calls. These act for the workspace and take no staff context;
their names and signatures are what the booking dialogue builds on, so keep them stable.

Every refusal says why and offers real free slots near the asked time
(``appointments/errors.py``): taken (409), outside hours, too soon, too far (422).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments import events, guard, notices
from frontdesk.appointments.availability import Finder, Resource, Slot, local_day, zone_of
from frontdesk.appointments.errors import OutsideHours, SlotTaken, TooFar, TooSoon
from frontdesk.appointments.loading import load_finder, workspace_of
from frontdesk.appointments.models import MAX_BLOCKED_MINUTES, Appointment, Service
from frontdesk.appointments.repository import AppointmentRepository, ServiceRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import Conflict, InvalidInput, NotFound
from frontdesk.kit.http import RequestMeta
from frontdesk.kit.security import hash_opaque_token, new_opaque_token
from frontdesk.workspaces.models import Workspace

MAX_SEARCH_DAYS = 62
NEAREST_LOOKAHEAD_DAYS = 14


@dataclass
class BookingRequest:
    service_id: uuid.UUID
    start: datetime  # aware; any zone
    customer_name: str = ""
    customer_email: str = ""
    customer_phone: str = ""
    staff_id: uuid.UUID | None = None  # None: whoever is free (or the business itself)
    contact_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None
    notes: str = ""
    now: datetime | None = None


@dataclass(frozen=True)
class Actor:
    """Who made a change, for the audit trail: a staff member, or nobody (the assistant)."""

    user_id: uuid.UUID | None = None
    meta: RequestMeta | None = None
    enforce_notice: bool = True  # staff may book a walk-in now, or far ahead
    # Who acts: "assistant" (its reply in the chat confirms the change), "staff" or
    # "customer" (the manage page): for these a line about the change goes to the chat.
    source: str = "assistant"

    @property
    def tells_chat(self) -> bool:
        return self.source != "assistant"

    @property
    def base_url(self) -> str:
        return self.meta.base_url if self.meta else ""


ASSISTANT = Actor()


async def list_services(session: AsyncSession, workspace_id: uuid.UUID) -> list[Service]:
    """Services a customer can book (active, not deleted), by name."""
    return list(await ServiceRepository(session, workspace_id).listed(active_only=True))


async def bookable_service(
    session: AsyncSession, workspace_id: uuid.UUID, service_id: uuid.UUID
) -> Service:
    service = await ServiceRepository(session, workspace_id).live(service_id)
    if service is None or not service.active:
        raise NotFound("No such service in this workspace.")
    return service


async def _finder(
    session: AsyncSession,
    workspace: Workspace,
    service: Service,
    first_day: date,
    last_day: date,
    staff_id: uuid.UUID | None,
    now: datetime | None,
    ignore: uuid.UUID | None = None,
    enforce_notice: bool = True,
) -> tuple[Finder, list[Resource]]:
    finder, resources = await load_finder(
        session,
        workspace,
        service,
        first_day,
        last_day,
        staff_id=staff_id,
        now=now,
        ignore=ignore,
        enforce_notice=enforce_notice,
    )
    if staff_id is not None and not resources:
        raise InvalidInput("staff_id", "This staff member does not offer this service.")
    return finder, resources


async def find_slots(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    service_id: uuid.UUID,
    start_day: date,
    days: int,
    staff_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """Free slots from ``start_day`` (a local date) for ``days`` days, in the workspace's
    zone, honouring hours, breaks, staff hours, time off, closures, bookings with their
    buffers, the minimum notice and the booking horizon."""
    days = max(1, min(days, MAX_SEARCH_DAYS))
    workspace = await workspace_of(session, workspace_id)
    service = await bookable_service(session, workspace_id, service_id)
    last_day = start_day + timedelta(days=days - 1)
    finder, resources = await _finder(
        session, workspace, service, start_day, last_day, staff_id, now
    )
    return finder.find(start_day, days, resources)


def _nearest(
    finder: Finder,
    resources: Sequence[Resource],
    around: datetime,
    count: int,
    days: int,
    soonest: bool = False,
) -> list[Slot]:
    zone = finder.calendar.zone
    wanted = around.astimezone(zone)
    first_day = wanted.date()
    same_day = finder.day_slots(first_day, resources)
    same_day.sort(key=lambda s: (abs((s.start - wanted).total_seconds()), s.start))
    found = same_day[:count]
    if soonest:
        same_day.sort(key=lambda s: s.start)
        found = same_day[:count]
    wanted_clock = wanted.hour * 60 + wanted.minute
    for offset in range(1, days):
        if len(found) >= count:
            break
        day_slots = finder.day_slots(first_day + timedelta(days=offset), resources)
        # On a later day the same time of day is what a customer most likely still wants.
        if not soonest:
            day_slots.sort(
                key=lambda s: (abs(s.start.hour * 60 + s.start.minute - wanted_clock), s.start)
            )
        found.extend(day_slots[: count - len(found)])
    return found


async def nearest_slots(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    service_id: uuid.UUID,
    around: datetime,
    count: int = 3,
    now: datetime | None = None,
) -> list[Slot]:
    """Up to ``count`` free slots near ``around``: that day's nearest first, then the
    following days' closest to the same time of day."""
    workspace = await workspace_of(session, workspace_id)
    service = await bookable_service(session, workspace_id, service_id)
    return await _alternatives(session, workspace, service, around, count, None, now)


async def _alternatives(
    session: AsyncSession,
    workspace: Workspace,
    service: Service,
    around: datetime,
    count: int,
    staff_id: uuid.UUID | None,
    now: datetime | None,
    ignore: uuid.UUID | None = None,
) -> list[Slot]:
    zone = zone_of(workspace.timezone)
    earliest = (now or utcnow()).astimezone(zone)
    soonest = around < earliest
    if soonest:
        around = earliest  # a time gone by: what is nearest is what comes first
    first_day = local_day(around, zone)
    last_day = first_day + timedelta(days=NEAREST_LOOKAHEAD_DAYS)
    finder, resources = await _finder(
        session, workspace, service, first_day, last_day, staff_id, now, ignore
    )
    return _nearest(finder, resources, around, count, NEAREST_LOOKAHEAD_DAYS + 1, soonest)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput("start", "Give the time with its UTC offset.")
    return moment.replace(second=0, microsecond=0)


async def _place(
    session: AsyncSession,
    workspace: Workspace,
    service: Service,
    start: datetime,
    staff_id: uuid.UUID | None,
    now: datetime | None,
    actor: Actor,
    ignore: uuid.UUID | None = None,
) -> list[Resource]:
    """The resources that can take ``start``, best first; refusals raise with alternatives."""
    zone = zone_of(workspace.timezone)
    day = local_day(start, zone)
    finder, resources = await _finder(
        session, workspace, service, day, day, staff_id, now, ignore, actor.enforce_notice
    )
    moment = start.timestamp()
    calendar = finder.calendar

    async def alternatives() -> list[Slot]:
        return await _alternatives(session, workspace, service, start, 3, staff_id, now, ignore)

    if moment < calendar.earliest:
        raise TooSoon("That time is too soon to book.", await alternatives())
    if moment > calendar.latest:
        raise TooFar("That time is further ahead than bookings are taken.", await alternatives())
    fits = [(resource, *finder.fits(resource, moment)) for resource in resources]
    within = [resource for resource, inside, _free in fits if inside]
    if not within:
        raise OutsideHours("That time is outside opening hours.", await alternatives())
    free = [resource for resource, inside, is_free in fits if inside and is_free]
    if not free:
        raise SlotTaken("That time is already booked.", await alternatives())
    return free


def _times(appointment: Appointment, service: Service, start: datetime) -> None:
    appointment.start = start
    appointment.end = start + timedelta(minutes=service.duration_minutes)
    appointment.blocked_start = start - timedelta(minutes=service.buffer_before_minutes)
    appointment.blocked_end = appointment.end + timedelta(minutes=service.buffer_after_minutes)
    if appointment.blocked_end - appointment.blocked_start > timedelta(minutes=MAX_BLOCKED_MINUTES):
        # Busy-time reads bound blocked_start by this span (AppointmentRepository.busy).
        raise ValueError("a booking's blocked time is longer than MAX_BLOCKED_MINUTES")


async def book(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    request: BookingRequest,
    *,
    actor: Actor = ASSISTANT,
) -> Appointment:
    """Book a slot. The returned appointment carries ``manage_token`` (the customer's
    manage link secret) in clear, once; only its hash is stored."""
    workspace = await workspace_of(session, workspace_id)
    service = await bookable_service(session, workspace_id, request.service_id)
    start = _aware(request.start)
    candidates = await _place(
        session, workspace, service, start, request.staff_id, request.now, actor
    )
    token = new_opaque_token()
    for resource in candidates:
        appointment = Appointment(
            workspace_id=workspace_id,
            service_id=service.id,
            staff_id=resource.staff_id,
            resource_id=resource.resource_id,
            contact_id=request.contact_id,
            conversation_id=request.conversation_id,
            status="booked",
            customer_name=request.customer_name.strip()[:200],
            customer_email=request.customer_email.strip().lower()[:320],
            customer_phone=request.customer_phone.strip()[:32],
            notes=request.notes,
            manage_token_hash=hash_opaque_token(token),
        )
        _times(appointment, service, start)
        if await guard.insert(session, appointment):
            appointment.manage_token = token
            await events.changed(
                session,
                appointment,
                "created",
                workspace.timezone,
                actor_user_id=actor.user_id,
                meta=actor.meta,
            )
            await notices.owe(
                session,
                appointment,
                "confirmed",
                post_in_chat=actor.tells_chat,
                base_url=actor.base_url,
            )
            return appointment
    # Someone else took it between our look and our write.
    alternatives = await _alternatives(
        session, workspace, service, start, 3, request.staff_id, request.now
    )
    raise SlotTaken("That time was just booked by someone else.", alternatives)


async def booking(
    session: AsyncSession, workspace_id: uuid.UUID, appointment_id: uuid.UUID
) -> Appointment:
    appointment = await AppointmentRepository(session, workspace_id).get(appointment_id)
    if appointment is None:
        raise NotFound("No such appointment in this workspace.")
    return appointment


async def reschedule(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    appointment_id: uuid.UUID,
    new_start: datetime,
    *,
    staff_id: uuid.UUID | None = None,
    now: datetime | None = None,
    actor: Actor = ASSISTANT,
) -> Appointment:
    """Move a booking, keeping its staff member when they are free at the new time."""
    workspace = await workspace_of(session, workspace_id)
    appointment = await booking(session, workspace_id, appointment_id)
    if appointment.status != "booked":
        raise Conflict(f"This appointment is {appointment.status.replace('_', ' ')}.")
    service = await ServiceRepository(session, workspace_id).get(appointment.service_id)
    if service is None:  # pragma: no cover - the foreign key keeps it
        raise NotFound("No such service in this workspace.")
    start = _aware(new_start)
    candidates = await _place(
        session, workspace, service, start, staff_id, now, actor, ignore=appointment.id
    )
    candidates.sort(key=lambda r: r.staff_id != appointment.staff_id)
    previous = appointment.start
    for resource in candidates:

        def change(resource: Resource = resource) -> None:
            _times(appointment, service, start)
            appointment.staff_id, appointment.resource_id = resource.staff_id, resource.resource_id

        if await guard.update(session, appointment, change):
            # A new time: a new invite version, and the reminder is owed again.
            appointment.sequence += 1
            appointment.reminder_sent_at = None
            await session.flush()
            await events.changed(
                session,
                appointment,
                "moved",
                workspace.timezone,
                actor_user_id=actor.user_id,
                meta=actor.meta,
                details={"from": previous.astimezone(zone_of(workspace.timezone)).isoformat()},
            )
            await notices.owe(
                session,
                appointment,
                "moved",
                post_in_chat=actor.tells_chat,
                previous_start=previous,
                base_url=actor.base_url,
            )
            return appointment
    alternatives = await _alternatives(
        session, workspace, service, start, 3, staff_id, now, appointment.id
    )
    raise SlotTaken("That time was just booked by someone else.", alternatives)


async def cancel(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    appointment_id: uuid.UUID,
    *,
    actor: Actor = ASSISTANT,
) -> Appointment:
    """Cancel a booking (again is a no-op); a completed or no-show one cannot be."""
    workspace = await workspace_of(session, workspace_id)
    appointment = await booking(session, workspace_id, appointment_id)
    if appointment.status == "cancelled":
        return appointment
    if appointment.status != "booked":
        raise Conflict(f"This appointment is {appointment.status.replace('_', ' ')}.")
    appointment.status = "cancelled"
    appointment.sequence += 1  # a CANCEL must outrank the invite it withdraws
    await session.flush()
    await events.changed(
        session,
        appointment,
        "cancelled",
        workspace.timezone,
        actor_user_id=actor.user_id,
        meta=actor.meta,
    )
    await notices.owe(
        session, appointment, "cancelled", post_in_chat=actor.tells_chat, base_url=actor.base_url
    )
    return appointment


async def upcoming_for_customer(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    contact_id: uuid.UUID | None = None,
    email: str | None = None,
    phone: str | None = None,
    now: datetime | None = None,
) -> list[Appointment]:
    """A returning customer's booked appointments still ahead, soonest first, found by
    contact, email (case as given, trimmed) or phone."""
    repository = AppointmentRepository(session, workspace_id)
    found = await repository.upcoming(
        now or utcnow(), contact_id, (email or "").strip().lower(), (phone or "").strip()
    )
    return list(found)


async def by_manage_token(
    session: AsyncSession, workspace_id: uuid.UUID, token: str
) -> Appointment | None:
    """The booking a customer's manage link names: the one made with the booking, or the
    one any of its mails carried."""
    token_hash = hash_opaque_token(token)
    repository = AppointmentRepository(session, workspace_id)
    found = await repository.by_manage_token_hash(token_hash)
    if found is None:
        notice = await notices.NoticeRepository(session, workspace_id).by_link_hash(token_hash)
        if notice is not None:
            found = await repository.get(notice.appointment_id)
    return found
