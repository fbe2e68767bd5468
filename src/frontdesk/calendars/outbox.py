"""What a booking owes the workspace's connected calendar, kept in the database.

Every change of a booking (``appointments/events.py`` calls :func:`owed` in the same
transaction) marks its :class:`AppointmentSync` pending and queues the sync job after the
commit. The booking never waits for the calendar and is never rolled back by it: the job
writes the calendar later, records how it went, and a retryable failure is tried again
with growing pauses by the sweep (``calendars/tasks.py``), which also finds syncs a dead
process left owed.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments.availability import zone_of
from frontdesk.appointments.models import Appointment, Service
from frontdesk.calendars import CalendarEvent
from frontdesk.calendars.connections import ConnectionRepository
from frontdesk.calendars.models import AppointmentSync, CalendarConnection
from frontdesk.calendars.sync import CalendarError, RemoteEvent
from frontdesk.kit.db import unit_of, utcnow
from frontdesk.kit.repository import WorkspaceRepository

SYNC_JOB = "calendars.sync_appointment"
MAX_PAUSE = timedelta(hours=1)


class SyncRepository(WorkspaceRepository[AppointmentSync]):
    model = AppointmentSync

    async def for_appointment(self, appointment_id: uuid.UUID) -> AppointmentSync | None:
        result = await self.session.execute(
            self.scoped().where(AppointmentSync.appointment_id == appointment_id)
        )
        return result.scalar_one_or_none()

    async def counts(self) -> dict[str, int]:
        result = await self.session.execute(
            select(AppointmentSync.status, func.count())
            .where(AppointmentSync.workspace_id == self.workspace_id)
            .group_by(AppointmentSync.status)
        )
        return {status: int(count) for status, count in result.all()}

    async def listed(self, status: str | None, limit: int, offset: int) -> list[AppointmentSync]:
        query = self.scoped()
        if status is not None:
            query = query.where(AppointmentSync.status == status)
        query = query.order_by(AppointmentSync.updated_at.desc(), AppointmentSync.id)
        result = await self.session.execute(query.limit(limit).offset(offset))
        return list(result.scalars().all())

    async def retry_failed(self) -> int:
        """Every failed sync owed again (after the calendar was connected anew)."""
        failed = await self.listed("failed", 10_000, 0)
        for row in failed:
            _owe(row)
            _queue_after_commit(self.session, self.workspace_id, row.appointment_id)
        return len(failed)


def appointment_uid(appointment_id: uuid.UUID) -> str:
    """The booking's calendar UID for its whole life (the invites mailed use the same)."""
    return f"{appointment_id}@frontdesk"


def _owe(row: AppointmentSync) -> None:
    row.status = "pending"
    row.attempts = 0
    row.version = (row.version or 0) + 1
    row.next_attempt_at = utcnow()


async def owed(session: AsyncSession, appointment: Appointment) -> None:
    """The booking changed: with a calendar connected, it owes the calendar its new state."""
    connection = await ConnectionRepository(session, appointment.workspace_id).current()
    if connection is None or connection.status == "connecting":
        return
    repository = SyncRepository(session, appointment.workspace_id)
    row = await repository.for_appointment(appointment.id)
    if row is None:
        row = repository.add(AppointmentSync(appointment_id=appointment.id, version=0))
    _owe(row)
    await session.flush()
    _queue_after_commit(session, appointment.workspace_id, appointment.id)


def _queue_after_commit(
    session: AsyncSession, workspace_id: uuid.UUID, appointment_id: uuid.UUID
) -> None:
    uow = unit_of(session)
    kwargs = {"workspace_id": str(workspace_id), "appointment_id": str(appointment_id)}

    async def enqueue() -> None:
        if uow.jobs is not None:
            await uow.jobs.enqueue(SYNC_JOB, **kwargs)

    uow.after_commit(enqueue)


def event_of(appointment: Appointment, service: Service | None, timezone: str) -> CalendarEvent:
    name = service.name if service is not None else "Appointment"
    summary = f"{name}: {appointment.customer_name}" if appointment.customer_name else name
    details = [appointment.notes] if appointment.notes else []
    if appointment.customer_phone:
        details.append(f"Phone: {appointment.customer_phone}")
    zone = zone_of(timezone)  # written in the business's own offset, as people read it
    return CalendarEvent(
        uid=appointment_uid(appointment.id),
        start=appointment.start.astimezone(zone),
        end=appointment.end.astimezone(zone),
        summary=summary,
        timezone=timezone,
        description="\n".join(details),
        status="CANCELLED" if appointment.status == "cancelled" else "CONFIRMED",
        attendee_name=appointment.customer_name,
        attendee_email=appointment.customer_email,
    )


def pause_after(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failed try, never more than an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_PAUSE)


def record(
    row: AppointmentSync,
    connection: CalendarConnection | None,
    *,
    remote: RemoteEvent | None,
    error: CalendarError | None,
    max_attempts: int,
    now: datetime | None = None,
) -> None:
    """How the try went, on the booking's sync row and on the connection."""
    now = now or utcnow()
    row.attempts += 1
    if error is None:
        row.status, row.last_error, row.synced_at = "synced", "", now
        if remote is not None:
            row.remote_id = remote.remote_id or row.remote_id
            row.meet_link = remote.meet_link or row.meet_link
        if connection is not None:
            connection.status, connection.last_error = "connected", ""
        return
    row.last_error = error.message[:2000]
    if error.retryable and row.attempts < max_attempts:
        row.status = "pending"
        row.next_attempt_at = now + pause_after(row.attempts)
    else:
        row.status = "failed"
    if connection is not None:
        connection.last_error = error.message[:2000]
        if not error.retryable:
            connection.status = "error"  # someone must act: the dashboard says what
