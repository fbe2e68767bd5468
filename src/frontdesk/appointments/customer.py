"""The customer's side of a booking, reached by the manage link its mails carry: see it, cancel
it, or move it to another free slot. The link's token is the only credential (stored hashed,
``service.by_manage_token``); the workspace comes from the portal's slug, so every query
stays scoped. Changes go through the same functions as the assistant's and staff's, as the
customer (the notice and the booking horizon apply, and the chat is told).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments import notices, service
from frontdesk.appointments.availability import Slot, zone_of
from frontdesk.appointments.models import Appointment, Service
from frontdesk.appointments.repository import ServiceRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import Conflict, NotFound
from frontdesk.kit.http import RequestMeta
from frontdesk.workspaces.models import Workspace
from frontdesk.workspaces.repository import WorkspaceDirectory

NOT_FOUND = "This booking link is not valid. It may have been mistyped."
SLOT_DAYS = 7


@dataclass(frozen=True)
class ManagedBooking:
    workspace: Workspace
    appointment: Appointment
    service: Service
    staff_name: str

    @property
    def zone_start(self) -> datetime:
        return self.appointment.start.astimezone(zone_of(self.workspace.timezone))

    @property
    def zone_end(self) -> datetime:
        return self.appointment.end.astimezone(zone_of(self.workspace.timezone))

    @property
    def changeable(self) -> bool:
        """Booked and still ahead: the customer may cancel or move it."""
        return self.appointment.status == "booked" and self.appointment.start > utcnow()


async def find(session: AsyncSession, slug: str, token: str) -> ManagedBooking:
    workspace = await WorkspaceDirectory(session).by_slug(slug)
    if workspace is None or not token or len(token) > 200:
        raise NotFound(NOT_FOUND, code="booking_not_found")
    appointment = await service.by_manage_token(session, workspace.id, token)
    if appointment is None:
        raise NotFound(NOT_FOUND, code="booking_not_found")
    found = await ServiceRepository(session, workspace.id).get(appointment.service_id)
    if found is None:  # pragma: no cover - the foreign key keeps it
        raise NotFound(NOT_FOUND, code="booking_not_found")
    name = await notices.staff_name(session, appointment.staff_id)
    return ManagedBooking(workspace, appointment, found, name)


def _actor(meta: RequestMeta | None) -> service.Actor:
    return service.Actor(meta=meta, source="customer")


def _require_changeable(booking: ManagedBooking) -> None:
    if not booking.changeable:
        status = booking.appointment.status.replace("_", " ")
        if booking.appointment.status == "booked":
            status = "already past"
        raise Conflict(f"This booking is {status} and can no longer be changed.")


async def free_slots(
    session: AsyncSession, booking: ManagedBooking, first_day: date | None, days: int = SLOT_DAYS
) -> list[Slot]:
    """Free starts for the booking's service from ``first_day`` (default: today, locally),
    one per time (the customer picks a time, not a staff member)."""
    zone = zone_of(booking.workspace.timezone)
    today = utcnow().astimezone(zone).date()
    start_day = max(first_day or today, today)
    found = await service.find_slots(
        session,
        booking.workspace.id,
        booking.service.id,
        start_day,
        days,
    )
    seen: set[datetime] = set()
    unique = []
    for slot in found:
        if slot.start not in seen:
            seen.add(slot.start)
            unique.append(slot)
    return unique


async def cancel(
    session: AsyncSession, booking: ManagedBooking, meta: RequestMeta | None
) -> ManagedBooking:
    _require_changeable(booking)
    appointment = await service.cancel(
        session, booking.workspace.id, booking.appointment.id, actor=_actor(meta)
    )
    return ManagedBooking(booking.workspace, appointment, booking.service, booking.staff_name)


async def reschedule(
    session: AsyncSession, booking: ManagedBooking, start: datetime, meta: RequestMeta | None
) -> ManagedBooking:
    """Move to ``start``; refusals (taken, outside hours, too soon) carry alternatives."""
    _require_changeable(booking)
    appointment = await service.reschedule(
        session, booking.workspace.id, booking.appointment.id, start, actor=_actor(meta)
    )
    name = await notices.staff_name(session, appointment.staff_id)
    return ManagedBooking(booking.workspace, appointment, booking.service, name)
