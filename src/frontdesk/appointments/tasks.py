"""Background jobs of appointments: the customer's notices and the reminder sweep.

:data:`NOTICE_JOB` tells the customer about one change (``notices.py``). Every
``REMINDER_SWEEP_SECONDS`` (and at start) the sweep finds booked appointments whose reminder
is due (``reminder_hours`` before the start, per workspace; 0 is off) and not yet sent, and
queues one :data:`REMINDER_JOB` each; that job is the notice of kind ``reminder``, claimed in
the database before anything is sent, so it goes out once however often it is queued. The
sweep also queues again notices whose claim went stale (a dead process) or whose mail was
refused, for a day, and the notices of changes whose job never ran (a process that died
between the commit and the job).

The sweep's query reads across workspaces (like ``recovery.py``): each row found carries its
workspace id into a job that then works inside that workspace.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from frontdesk.appointments import notices
from frontdesk.appointments.models import (
    DEFAULT_REMINDER_HOURS,
    Appointment,
    AppointmentNotice,
    BookingSettings,
)
from frontdesk.jobs.queue import every, job
from frontdesk.kit.db import utcnow

NOTICE_JOB = notices.NOTICE_JOB
REMINDER_SWEEP = "appointments.reminder_sweep"
REMINDER_JOB = "appointments.reminder"
REMINDER_SWEEP_SECONDS = 300
MAX_REMINDER_HOURS = 24 * 14  # what the settings accept at most


@job(NOTICE_JOB)
async def notice(services: Any, **kwargs: Any) -> None:
    await notices.send(services, **kwargs)


@job(REMINDER_JOB)
async def reminder(services: Any, workspace_id: str, appointment_id: str, sequence: int) -> None:
    await notices.send(services, workspace_id, appointment_id, "reminder", sequence, chat=True)


async def due_reminders(session: Any, now: Any = None) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """(workspace, appointment, sequence) of booked appointments whose reminder is due."""
    now = now or utcnow()
    hours = func.coalesce(BookingSettings.reminder_hours, DEFAULT_REMINDER_HOURS)
    widest = (
        await session.execute(select(func.max(BookingSettings.reminder_hours)))
    ).scalar_one_or_none() or 0
    horizon = now + timedelta(hours=min(max(widest, DEFAULT_REMINDER_HOURS), MAX_REMINDER_HOURS))
    rows = await session.execute(
        select(Appointment.workspace_id, Appointment.id, Appointment.sequence, Appointment.start)
        .add_columns(hours)
        .outerjoin(BookingSettings, BookingSettings.workspace_id == Appointment.workspace_id)
        .where(
            Appointment.status == "booked",
            Appointment.reminder_sent_at.is_(None),
            Appointment.start > now,
            Appointment.start <= horizon,
        )
        .order_by(Appointment.start)
    )
    due = []
    for workspace_id, appointment_id, sequence, start, ahead in rows:
        if ahead and start - timedelta(hours=ahead) <= now:
            due.append((workspace_id, appointment_id, sequence))
    return due


async def owed_again(session: Any, now: Any = None) -> list[AppointmentNotice]:
    """Notices whose claim went stale or whose mail was refused, younger than a day."""
    now = now or utcnow()
    statement = select(AppointmentNotice).where(
        AppointmentNotice.status.in_(("sending", "failed")),
        AppointmentNotice.claimed_at < now - notices.STALE_CLAIM,
        AppointmentNotice.created_at > now - notices.RETRY_FOR,
    )
    return list((await session.execute(statement)).scalars())


async def unannounced(session: Any, now: Any = None) -> list[tuple[Any, Any, str, int]]:
    """Changes of the last day whose notice job never claimed anything (a process that died
    between the commit and the job): (workspace, appointment, kind, sequence)."""
    now = now or utcnow()
    claimed = (
        select(AppointmentNotice.id)
        .where(
            AppointmentNotice.appointment_id == Appointment.id,
            AppointmentNotice.sequence == Appointment.sequence,
            AppointmentNotice.kind != "reminder",
        )
        .exists()
    )
    rows = await session.execute(
        select(Appointment.workspace_id, Appointment.id, Appointment.status, Appointment.sequence)
        .where(
            Appointment.status.in_(("booked", "cancelled")),
            Appointment.updated_at < now - notices.STALE_CLAIM,
            Appointment.updated_at > now - notices.RETRY_FOR,
            ~claimed,
        )
        .limit(500)
    )
    owed = []
    for workspace_id, appointment_id, status, sequence in rows:
        kind = "cancelled" if status == "cancelled" else ("moved" if sequence else "confirmed")
        owed.append((workspace_id, appointment_id, kind, sequence))
    return owed


@job(REMINDER_SWEEP)
async def sweep(services: Any) -> None:
    async with services.db.unit_of_work() as uow:  # reads only; jobs leave below
        due = await due_reminders(uow.session)
        retries = [
            (n.workspace_id, n.appointment_id, n.kind, n.sequence)
            for n in await owed_again(uow.session)
        ]
        retries += await unannounced(uow.session)
    for workspace_id, appointment_id, sequence in due:
        await services.jobs.enqueue(
            REMINDER_JOB,
            workspace_id=str(workspace_id),
            appointment_id=str(appointment_id),
            sequence=sequence,
        )
    for workspace_id, appointment_id, kind, sequence in retries:
        await services.jobs.enqueue(
            NOTICE_JOB,
            workspace_id=str(workspace_id),
            appointment_id=str(appointment_id),
            kind=kind,
            sequence=sequence,
            chat=kind == "reminder",
        )


every(REMINDER_SWEEP_SECONDS, REMINDER_SWEEP, at_start=True)
