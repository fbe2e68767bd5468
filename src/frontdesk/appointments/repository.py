from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import String, or_, type_coerce

from frontdesk.appointments.models import (
    HOLDING,
    MAX_BLOCKED_MINUTES,
    Appointment,
    BookingSettings,
    Closure,
    Service,
    StaffSchedule,
    TimeOff,
)
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.workspaces.models import Membership


def _posix(moment: datetime | str) -> float:
    # SQLite hands back the stored text of naive UTC (what kit.db.UTCDateTime wrote),
    # PostgreSQL aware values.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return (moment - _EPOCH).total_seconds()
    return moment.timestamp()


_EPOCH = datetime(1970, 1, 1)


class ServiceRepository(WorkspaceRepository[Service]):
    model = Service

    async def listed(self, active_only: bool = False) -> Sequence[Service]:
        statement = self.scoped().where(Service.deleted_at.is_(None))
        if active_only:
            statement = statement.where(Service.active.is_(True))
        statement = statement.order_by(Service.name, Service.id)
        return (await self.session.execute(statement)).scalars().all()

    async def live(self, service_id: uuid.UUID) -> Service | None:
        """A service that is not deleted (an inactive one still reads, for staff)."""
        statement = self.scoped().where(Service.id == service_id, Service.deleted_at.is_(None))
        return (await self.session.execute(statement)).scalar_one_or_none()


class SettingsRepository(WorkspaceRepository[BookingSettings]):
    model = BookingSettings

    async def current(self) -> BookingSettings | None:
        return (await self.session.execute(self.scoped())).scalar_one_or_none()


class MemberIds(WorkspaceRepository[Membership]):
    model = Membership

    async def existing(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        if not ids:
            return set()
        statement = self.scoped().with_only_columns(Membership.id).where(Membership.id.in_(ids))
        return set((await self.session.execute(statement)).scalars())


class ScheduleRepository(WorkspaceRepository[StaffSchedule]):
    model = StaffSchedule

    async def for_members(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, StaffSchedule]:
        if not ids:
            return {}
        statement = self.scoped().where(StaffSchedule.membership_id.in_(ids))
        rows = (await self.session.execute(statement)).scalars()
        return {row.membership_id: row for row in rows}


class TimeOffRepository(WorkspaceRepository[TimeOff]):
    model = TimeOff

    async def between(
        self, ids: Sequence[uuid.UUID], start: datetime, end: datetime
    ) -> Sequence[TimeOff]:
        if not ids:
            return []
        statement = self.scoped().where(
            TimeOff.membership_id.in_(ids), TimeOff.start < end, TimeOff.end > start
        )
        return (await self.session.execute(statement)).scalars().all()


class ClosureRepository(WorkspaceRepository[Closure]):
    model = Closure

    async def between(self, first: date, last: date) -> Sequence[Closure]:
        statement = self.scoped().where(Closure.first_day <= last, Closure.last_day >= first)
        return (await self.session.execute(statement)).scalars().all()


class AppointmentRepository(WorkspaceRepository[Appointment]):
    model = Appointment

    async def busy(
        self,
        resource_ids: Sequence[uuid.UUID],
        start: datetime,
        end: datetime,
        ignore: uuid.UUID | None = None,
    ) -> list[tuple[str, float, float]]:
        """Blocked time of holding bookings of these resources between ``start`` and ``end``,
        as (resource id in hex, POSIX start, POSIX end). A busy month is thousands of rows,
        most of a search's time (bench/slot_search.py): they are read as the driver's plain
        values on the Core connection (past the ORM's result layer and SQLAlchemy's UUID and
        datetime conversions), and each distinct time, of which a calendar on a grid has
        few, is converted once. The query is answered from ``ix_appointments_busy`` alone."""
        statement = (
            self.scoped()
            .with_only_columns(
                type_coerce(Appointment.resource_id, String),
                type_coerce(Appointment.blocked_start, String),
                type_coerce(Appointment.blocked_end, String),
            )
            .where(
                Appointment.resource_id.in_(resource_ids),
                Appointment.status.in_(HOLDING),
                Appointment.blocked_start < end,
                Appointment.blocked_end > start,
                # Redundant with the line above for any booking (none blocks longer), but it
                # bounds the index range from below: past bookings are never walked.
                Appointment.blocked_start > start - timedelta(minutes=MAX_BLOCKED_MINUTES),
            )
        )
        if ignore is not None:
            statement = statement.where(Appointment.id != ignore)
        await self.session.flush()  # what the session's autoflush would have done
        connection = await self.session.connection()
        rows = (await connection.execute(statement)).all()
        seconds: dict[datetime | str, float] = {}
        found = []
        for resource, begins, ends in rows:
            first = seconds.get(begins)
            if first is None:
                first = seconds[begins] = _posix(begins)
            last = seconds.get(ends)
            if last is None:
                last = seconds[ends] = _posix(ends)
            found.append((str(resource).replace("-", ""), first, last))
        return found

    async def overlapping(self, appointment: Appointment) -> int:
        """Other holding bookings of the same resource whose blocked time overlaps."""
        statement = (
            self.scoped()
            .with_only_columns(Appointment.id)
            .where(
                Appointment.resource_id == appointment.resource_id,
                Appointment.id != appointment.id,
                Appointment.status.in_(HOLDING),
                Appointment.blocked_start < appointment.blocked_end,
                Appointment.blocked_end > appointment.blocked_start,
            )
        )
        return len((await self.session.execute(statement)).all())

    async def page(
        self,
        limit: int,
        offset: int,
        *,
        start_from: datetime | None = None,
        start_to: datetime | None = None,
        status: str | None = None,
        service_id: uuid.UUID | None = None,
        contact_id: uuid.UUID | None = None,
        staff_id: uuid.UUID | None = None,
    ) -> Sequence[Appointment]:
        statement = self.scoped()
        if start_from is not None:
            statement = statement.where(Appointment.end > start_from)
        if start_to is not None:
            statement = statement.where(Appointment.start < start_to)
        if status:
            statement = statement.where(Appointment.status == status)
        if service_id is not None:
            statement = statement.where(Appointment.service_id == service_id)
        if contact_id is not None:
            statement = statement.where(Appointment.contact_id == contact_id)
        if staff_id is not None:
            statement = statement.where(Appointment.staff_id == staff_id)
        statement = statement.order_by(Appointment.start, Appointment.id)
        return (await self.session.execute(statement.limit(limit).offset(offset))).scalars().all()

    async def upcoming(
        self, after: datetime, contact_id: uuid.UUID | None, email: str, phone: str
    ) -> Sequence[Appointment]:
        clauses = []
        if contact_id is not None:
            clauses.append(Appointment.contact_id == contact_id)
        if email:
            clauses.append(Appointment.customer_email == email)
        if phone:
            clauses.append(Appointment.customer_phone == phone)
        if not clauses:
            return []
        statement = (
            self.scoped()
            .where(or_(*clauses), Appointment.status == "booked", Appointment.start >= after)
            .order_by(Appointment.start, Appointment.id)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def by_manage_token_hash(self, token_hash: str) -> Appointment | None:
        statement = self.scoped().where(Appointment.manage_token_hash == token_hash)
        return (await self.session.execute(statement)).scalar_one_or_none()
