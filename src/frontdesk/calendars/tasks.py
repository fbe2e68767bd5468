"""Calendar sync jobs: one booking pushed to the workspace's calendar, and the sweep that
tries owed syncs again when their pause is over (or when the process that owed them died).

The job reads the booking in one unit of work, talks to the calendar outside any
transaction, and records the outcome in another; a booking changed meanwhile (its sync
``version`` moved on) leaves the record to the newer change's own job. Safe to run twice:
an upsert by UID and a delete of what is gone are both no-ops the second time.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from frontdesk.appointments.models import Appointment, Service
from frontdesk.calendars.connections import ConnectionRepository, calendar_for, connection_saver
from frontdesk.calendars.models import AppointmentSync
from frontdesk.calendars.outbox import SYNC_JOB, SyncRepository, event_of, record
from frontdesk.calendars.sync import CalendarError, RemoteEvent
from frontdesk.jobs.queue import every, job
from frontdesk.kit.db import utcnow
from frontdesk.workspaces.models import Workspace

log = logging.getLogger("frontdesk.calendars")
SWEEP_JOB = "calendars.sync_sweep"
SWEEP_SECONDS = 60
# A sync owed this long with no job having taken it is queued again by the sweep.
GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500


@job(SYNC_JOB)
async def sync_appointment(services: Any, workspace_id: str, appointment_id: str) -> None:
    wid, aid = uuid.UUID(workspace_id), uuid.UUID(appointment_id)
    async with services.unit_of_work() as uow:
        connection = await ConnectionRepository(uow.session, wid).current()
        row = await SyncRepository(uow.session, wid).for_appointment(aid)
        appointment = await uow.session.get(Appointment, aid)
        if (
            connection is None
            or row is None
            or row.status != "pending"
            or appointment is None
            or appointment.workspace_id != wid
        ):
            return
        workspace = await uow.session.get(Workspace, wid)
        timezone = workspace.timezone if workspace is not None else "UTC"
        service = await uow.session.get(Service, appointment.service_id)
        event = event_of(appointment, service, timezone)
        version, cancelled = row.version, appointment.status == "cancelled"
        meet = connection.meet_links and connection.kind == "google"
        uow.session.expunge(connection)

    remote: RemoteEvent | None = None
    error: CalendarError | None = None
    try:
        calendar = calendar_for(
            services.settings,
            services.secrets,
            connection,
            timezone=timezone,
            on_tokens=connection_saver(services.db, services.secrets, wid),
        )
        try:
            if cancelled:
                await calendar.delete(event.uid)
            else:
                remote = await calendar.upsert(event, meet_link=meet)
        finally:
            await calendar.aclose()
    except CalendarError as failure:
        error = failure
        log.warning("calendar sync of appointment %s failed: %s", aid, failure.message)

    async with services.unit_of_work() as uow:
        row = await SyncRepository(uow.session, wid).for_appointment(aid)
        if row is None or row.version != version:
            return  # changed meanwhile: the newer change's job writes the newer state
        current = await ConnectionRepository(uow.session, wid).current()
        record(
            row,
            current,
            remote=remote,
            error=error,
            max_attempts=services.settings.calendar_sync_max_attempts,
        )


@job(SWEEP_JOB)
async def sweep(services: Any) -> None:
    """Queue again every pending sync whose pause is over. Reads across workspaces, like the
    recovery sweep: each row carries its workspace into a job that works inside it."""
    async with services.unit_of_work() as uow:
        rows = (
            await uow.session.execute(
                select(AppointmentSync.workspace_id, AppointmentSync.appointment_id)
                .where(
                    AppointmentSync.status == "pending",
                    AppointmentSync.next_attempt_at <= utcnow() - GRACE,
                )
                .order_by(AppointmentSync.next_attempt_at)
                .limit(SWEEP_BATCH)
            )
        ).all()
    for workspace_id, appointment_id in rows:
        await services.jobs.enqueue(
            SYNC_JOB, workspace_id=str(workspace_id), appointment_id=str(appointment_id)
        )


every(SWEEP_SECONDS, SWEEP_JOB)
