"""The database's word on double booking: a booking's time is written only if no other
holding booking of its resource overlaps it, whoever else is writing at the same moment.

- PostgreSQL: the exclusion constraint of migration 0008 refuses the row; the write runs in a
  savepoint so the transaction stays usable (to find alternatives) after a refusal.
- SQLite: writers are serialised by the database's single write lock. The row is written
  first, which takes that lock for the rest of the transaction, and only then are overlapping
  rows looked for: anything another writer committed before is visible, and nobody can commit
  in between. On a refusal the write is undone in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments.models import NO_OVERLAP, Appointment
from frontdesk.appointments.repository import AppointmentRepository


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def insert(session: AsyncSession, appointment: Appointment) -> bool:
    """Add a new booking; False (and nothing written) if its time is taken."""
    if _is_postgres(session):
        try:
            async with session.begin_nested():
                session.add(appointment)
                await session.flush()
        except IntegrityError as error:
            if NO_OVERLAP not in str(error.orig):
                raise
            return False
        return True
    session.add(appointment)
    await session.flush()
    repository = AppointmentRepository(session, appointment.workspace_id)
    if await repository.overlapping(appointment):
        await session.delete(appointment)
        await session.flush()
        return False
    return True


async def update(
    session: AsyncSession, appointment: Appointment, change: Callable[[], None]
) -> bool:
    """Apply ``change`` (new times, staff or status) to a stored booking; False, with the
    booking as it was, if the new time is taken."""
    if _is_postgres(session):
        try:
            async with session.begin_nested():
                change()
                await session.flush()
        except IntegrityError as error:
            if NO_OVERLAP not in str(error.orig):
                raise
            await session.refresh(appointment)
            return False
        return True
    before = {
        name: getattr(appointment, name)
        for name in ("start", "end", "blocked_start", "blocked_end", "staff_id", "resource_id")
    }
    before["status"] = appointment.status
    change()
    await session.flush()
    if await AppointmentRepository(session, appointment.workspace_id).overlapping(appointment):
        for name, value in before.items():
            setattr(appointment, name, value)
        await session.flush()
        return False
    return True
