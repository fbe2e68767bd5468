"""Loading what the slot finder needs for one service over some days, in a few queries."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments.availability import Calendar, Finder, Resource, merge, zone_of
from frontdesk.appointments.models import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_MIN_NOTICE_MINUTES,
    DEFAULT_SLOT_STEP_MINUTES,
    Service,
)
from frontdesk.appointments.repository import (
    AppointmentRepository,
    ClosureRepository,
    MemberIds,
    ScheduleRepository,
    SettingsRepository,
    TimeOffRepository,
)
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import NotFound
from frontdesk.workspaces.models import Workspace


async def workspace_of(session: AsyncSession, workspace_id: uuid.UUID) -> Workspace:
    workspace = await session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("No such workspace.")
    return workspace


async def staff_of(
    session: AsyncSession, workspace_id: uuid.UUID, service: Service
) -> list[uuid.UUID]:
    """The service's staff who are still members, in the service's order."""
    wanted = [uuid.UUID(str(value)) for value in service.staff_ids or []]
    present = await MemberIds(session, workspace_id).existing(wanted)
    return [staff for staff in wanted if staff in present]


async def load_finder(
    session: AsyncSession,
    workspace: Workspace,
    service: Service,
    first_day: date,
    last_day: date,
    *,
    staff_id: uuid.UUID | None = None,
    now: datetime | None = None,
    ignore: uuid.UUID | None = None,
    enforce_notice: bool = True,
) -> tuple[Finder, list[Resource]]:
    """A finder over ``first_day``..``last_day`` (local days) and the resources to search:
    ``staff_id`` alone, the service's staff, or the workspace as one resource. ``ignore``
    leaves one booking out of the busy time (the one being moved)."""
    workspace_id = workspace.id
    zone = zone_of(workspace.timezone)
    now = now or utcnow()
    settings = await SettingsRepository(session, workspace_id).current()
    notice = settings.min_notice_minutes if settings else DEFAULT_MIN_NOTICE_MINUTES
    horizon = settings.horizon_days if settings else DEFAULT_HORIZON_DAYS
    step = settings.slot_step_minutes if settings else DEFAULT_SLOT_STEP_MINUTES

    staff = await staff_of(session, workspace_id, service)
    if staff_id is not None:
        staff = [staff_id] if staff_id in staff else []
        resources = [Resource(staff_id, staff_id)] if staff else []
    elif staff:
        resources = [Resource(member, member) for member in staff]
    else:
        resources = [Resource(workspace_id, None)]

    # Busy time is loaded a day wider on each side: buffers and long services reach over.
    window_start = datetime.combine(first_day - timedelta(days=1), datetime.min.time(), zone)
    window_end = datetime.combine(last_day + timedelta(days=2), datetime.min.time(), zone)
    schedules = await ScheduleRepository(session, workspace_id).for_members(staff)
    time_off = await TimeOffRepository(session, workspace_id).between(
        staff, window_start, window_end
    )
    closures = await ClosureRepository(session, workspace_id).between(first_day, last_day)
    busy = await AppointmentRepository(session, workspace_id).busy(
        [r.resource_id for r in resources], window_start, window_end, ignore
    )
    by_resource: dict[str, list[tuple[float, float]]] = {r.resource_id.hex: [] for r in resources}
    for resource_hex, start, end in busy:
        by_resource[resource_hex].append((start, end))
    for absence in time_off:
        if absence.membership_id.hex in by_resource:
            by_resource[absence.membership_id.hex].append(
                (absence.start.timestamp(), absence.end.timestamp())
            )
    for resource in resources:
        resource.busy = merge(by_resource[resource.resource_id.hex])
        schedule = schedules.get(resource.resource_id)
        resource.hours = schedule.hours if schedule is not None else None

    closed: set[date] = set()
    for closure in closures:
        day = max(closure.first_day, first_day)
        while day <= min(closure.last_day, last_day):
            closed.add(day)
            day += timedelta(days=1)
    calendar = Calendar(
        zone=zone,
        business_hours=workspace.business_hours or {},
        closed_days=closed,
        resources=resources,
        duration=service.duration_minutes * 60.0,
        buffer_before=service.buffer_before_minutes * 60.0,
        buffer_after=service.buffer_after_minutes * 60.0,
        step=max(step, 1) * 60.0,
        earliest=(now + timedelta(minutes=notice)).timestamp() if enforce_notice else 0.0,
        latest=(now + timedelta(days=horizon)).timestamp() if enforce_notice else 1e12,
    )
    return Finder(calendar), resources
