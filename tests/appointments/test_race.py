"""No double booking, ever: the database decides when customers race for the last slot."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from frontdesk.appointments import guard
from frontdesk.appointments import service as booking
from frontdesk.appointments.availability import Resource
from frontdesk.appointments.errors import SlotTaken
from frontdesk.appointments.models import Appointment
from frontdesk.kit.db import Database
from frontdesk.services import Services
from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.conftest import Backend

RACERS = 12


async def _booked(db: Database, workspace_id: uuid.UUID) -> int:
    async with db.unit_of_work() as uow:
        statement = select(func.count()).where(
            Appointment.workspace_id == workspace_id, Appointment.status == "booked"
        )
        return int((await uow.session.execute(statement)).scalar_one())


async def test_many_customers_race_for_the_last_slot_over_http(
    client: httpx.AsyncClient, services: Services, backend: Backend
) -> None:
    """On PostgreSQL the requests run on a pool of connections at once; SQLite's one
    connection takes them in turn (its guard is raced in the next test)."""
    owner = await business(client)
    service = await add_service(client, owner)
    start = local(next_weekday(0), "10:00")
    answers = await asyncio.gather(
        *(book(client, owner, service["id"], start, customer_name=f"C{i}") for i in range(RACERS))
    )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [409] * (RACERS - 1), [a.text for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["error"]["code"] == "slot_taken"
            assert answer.json()["error"]["details"]["alternatives"]
    assert await _booked(services.db, uuid.UUID(owner.workspace_id)) == 1


async def test_the_database_refuses_an_overlap_whatever_the_checks(
    client: httpx.AsyncClient, services: Services, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every racer passes the application's own look at the calendar before any writes (a
    barrier holds them there), on separate connections: only the database's guard is left
    to decide, and it lets exactly one through."""
    owner = await business(client)
    service = await add_service(client, owner)
    start = local(next_weekday(0), "10:00")
    workspace_id, service_id = uuid.UUID(owner.workspace_id), uuid.UUID(service["id"])
    barrier = asyncio.Barrier(RACERS)
    real_place = booking._place

    async def place_then_wait(*args: Any, **kwargs: Any) -> Sequence[Resource]:
        free = await real_place(*args, **kwargs)
        await barrier.wait()
        return free

    monkeypatch.setattr(booking, "_place", place_then_wait)
    databases = [Database(backend.url) for _ in range(RACERS)]

    async def race(db: Database, number: int) -> str:
        try:
            async with db.unit_of_work() as uow:
                request = booking.BookingRequest(service_id, start, customer_name=f"C{number}")
                await booking.book(uow.session, workspace_id, request)
            return "booked"
        except SlotTaken as refusal:
            assert refusal.alternatives and all(s.start != start for s in refusal.alternatives)
            return "taken"

    try:
        outcomes = await asyncio.gather(*(race(db, i) for i, db in enumerate(databases)))
    finally:
        for db in databases:
            await db.dispose()
    assert sorted(outcomes) == ["booked"] + ["taken"] * (RACERS - 1)
    assert await _booked(services.db, workspace_id) == 1


async def test_the_database_refuses_overlapping_rows(
    client: httpx.AsyncClient, services: Services, backend: Backend
) -> None:
    """PostgreSQL: the exclusion constraint refuses a raw INSERT that skips every check.
    SQLite: the guarded write refuses an overlapping row and leaves nothing behind."""
    owner = await business(client)
    service = await add_service(client, owner)
    made = (await book(client, owner, service["id"], local(next_weekday(0), "10:00"))).json()
    if backend.name == "sqlite":
        async with services.db.unit_of_work() as uow:
            first = await uow.session.get(Appointment, uuid.UUID(made["id"]))
            assert first is not None
            overlapping = Appointment(
                workspace_id=first.workspace_id,
                service_id=first.service_id,
                resource_id=first.resource_id,
                start=first.start + timedelta(minutes=10),
                end=first.end + timedelta(minutes=10),
                blocked_start=first.blocked_start + timedelta(minutes=10),
                blocked_end=first.blocked_end + timedelta(minutes=10),
                status="booked",
                manage_token_hash=uuid.uuid4().hex,
            )
            assert await guard.insert(uow.session, overlapping) is False
        assert await _booked(services.db, uuid.UUID(owner.workspace_id)) == 1
        return
    insert = text(
        'INSERT INTO appointments (id, workspace_id, service_id, resource_id, start, "end", '
        "blocked_start, blocked_end, status, customer_name, customer_email, customer_phone, "
        "notes, manage_token_hash, created_at, updated_at) SELECT :id, workspace_id, "
        "service_id, resource_id, start + interval '10 minutes', \"end\", blocked_start + "
        "interval '10 minutes', blocked_end, :status, '', '', '', '', :token, now(), now() "
        "FROM appointments WHERE id = :source"
    )

    async def copy(status: str) -> None:
        async with services.db.unit_of_work() as uow:
            await uow.session.execute(
                insert,
                {
                    "id": uuid.uuid4(),
                    "status": status,
                    "token": uuid.uuid4().hex,
                    "source": uuid.UUID(made["id"]),
                },
            )

    with pytest.raises(IntegrityError, match="ex_appointments_no_overlap"):
        await copy("booked")
    await copy("cancelled")  # a cancelled booking holds no time
