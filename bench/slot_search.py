"""Slot search on a busy month: 20 staff, 5,000 appointments, one service all staff do.

Builds a fresh database by the product's migrations (SQLite in a temporary directory, or
``--database-url``), fills a month of weekdays (09:00-12:00 and 13:00-17:00, New York) with
5,000 non-overlapping 30-minute bookings spread over the staff, then times
``appointments.service.find_slots`` as the API calls it: its own unit of work per search,
database reads included. Searches of a week (the API's default) from random days of the month,
and of the whole month.

The baseline, in the same run and on the same data: the naive finder, which loads the
bookings as objects and checks every candidate slot of every staff member against every
booking of that member.

Usage: python bench/slot_search.py [--searches 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from machine import load
from sqlalchemy import select

from frontdesk.accounts.models import User
from frontdesk.appointments import service as booking
from frontdesk.appointments.models import Appointment, Service
from frontdesk.kit.db import Database
from frontdesk.kit.migrations import upgrade
from frontdesk.workspaces.models import Membership, Workspace

ZONE = ZoneInfo("America/New_York")
HOURS = [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]
STAFF, BOOKINGS, DURATION, STEP = 20, 5000, 30, 15
FIRST_DAY = date(2027, 2, 1)
MONTH = 28


async def build(db: Database) -> tuple[uuid.UUID, uuid.UUID, datetime]:
    rng = random.Random(9)
    async with db.unit_of_work() as uow:
        session = uow.session
        workspace = Workspace(
            slug=f"bench-{uuid.uuid4().hex[:8]}",
            name="Busy Dental",
            timezone=str(ZONE),
            business_hours={day: HOURS for day in ("mon", "tue", "wed", "thu", "fri")},
        )
        session.add(workspace)
        await session.flush()
        staff = []
        for number in range(STAFF):
            user = User(
                email=f"staff{number}-{workspace.slug}@example.com",
                full_name=f"S{number}",
                password_hash="-",  # noqa: S106 - no sign-in; the column is required
            )
            session.add(user)
            await session.flush()
            member = Membership(workspace_id=workspace.id, user_id=user.id, role="agent")
            session.add(member)
            staff.append(member)
        await session.flush()
        service = Service(
            workspace_id=workspace.id,
            name="Cleaning",
            duration_minutes=DURATION,
            staff_ids=[str(m.id) for m in staff],
        )
        session.add(service)
        await session.flush()
        # every half hour of every weekday of every staff member
        free: list[tuple[uuid.UUID, datetime]] = []
        for offset in range(MONTH):
            day = FIRST_DAY + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour, minute in [(h, m) for h in (9, 10, 11, 13, 14, 15, 16) for m in (0, 30)]:
                start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)
                free.extend((member.id, start) for member in staff)
        for member_id, start in rng.sample(free, BOOKINGS):
            end = start + timedelta(minutes=DURATION)
            session.add(
                Appointment(
                    workspace_id=workspace.id,
                    service_id=service.id,
                    staff_id=member_id,
                    resource_id=member_id,
                    start=start,
                    end=end,
                    blocked_start=start,
                    blocked_end=end,
                    status="booked",
                    manage_token_hash=uuid.uuid4().hex,
                )
            )
        print(f"{BOOKINGS} bookings over {len(free)} half-hour staff slots of {MONTH} days")
        now = datetime.combine(FIRST_DAY - timedelta(days=1), datetime.min.time(), ZONE)
        return workspace.id, service.id, now.astimezone(UTC)


async def naive_search(
    db: Database, workspace_id: uuid.UUID, service_id: uuid.UUID, first: date, days: int
) -> int:
    """Every candidate of every staff member checked against each of their bookings."""
    async with db.unit_of_work() as uow:
        service = await uow.session.get(Service, service_id)
        assert service is not None
        start = datetime.combine(first, datetime.min.time(), ZONE)
        end = start + timedelta(days=days)
        rows = await uow.session.execute(
            select(Appointment).where(
                Appointment.workspace_id == workspace_id,
                Appointment.status != "cancelled",
                Appointment.start < end,
                Appointment.end > start,
            )
        )
        by_staff: dict[uuid.UUID | None, list[Appointment]] = {}
        for appointment in rows.scalars():
            by_staff.setdefault(appointment.staff_id, []).append(appointment)
        found = set()
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for staff_id in (uuid.UUID(s) for s in service.staff_ids):
                for interval in HOURS:
                    h0, m0 = (int(p) for p in interval["start"].split(":"))
                    h1, m1 = (int(p) for p in interval["end"].split(":"))
                    slot = datetime(day.year, day.month, day.day, h0, m0, tzinfo=ZONE)
                    close = datetime(day.year, day.month, day.day, h1, m1, tzinfo=ZONE)
                    while slot + timedelta(minutes=DURATION) <= close:
                        slot_end = slot + timedelta(minutes=DURATION)
                        if not any(
                            a.start < slot_end and slot < a.end for a in by_staff.get(staff_id, [])
                        ):
                            found.add(slot)
                        slot += timedelta(minutes=STEP)
        return len(found)


async def timed(runs: list[Callable[[], Awaitable[int]]]) -> tuple[list[float], int]:
    times, slots = [], 0
    for run in runs:
        began = time.perf_counter()
        slots += await run()
        times.append((time.perf_counter() - began) * 1000)
    return times, slots


def row(name: str, times: list[float], slots: int) -> str:
    p95 = statistics.quantiles(times, n=20)[18]
    return (
        f"{name:<38} {statistics.median(times):8.2f} {p95:8.2f} {max(times):8.2f} "
        f"{slots / len(times):9.0f}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        db = Database(url)
        await upgrade(db)
        workspace_id, service_id, now = await build(db)
        rng = random.Random(4)
        week_days = [
            FIRST_DAY + timedelta(days=rng.randrange(MONTH - 7)) for _ in range(args.searches)
        ]

        async def fast(first: date, days: int) -> int:
            async with db.unit_of_work() as uow:
                found = await booking.find_slots(
                    uow.session, workspace_id, service_id, first, days, now=now
                )
                return len(found)

        async def naive(first: date, days: int) -> int:
            return await naive_search(db, workspace_id, service_id, first, days)

        await fast(FIRST_DAY, 7)  # warm the caches once
        results = []
        for name, search, days, count in (
            ("find_slots, a week", fast, 7, args.searches),
            ("naive per-candidate check, a week", naive, 7, args.searches),
            ("find_slots, the month", fast, MONTH, max(args.searches // 4, 20)),
            ("naive per-candidate check, the month", naive, MONTH, max(args.searches // 8, 20)),
        ):
            starts = week_days[:count] if days == 7 else [FIRST_DAY] * count
            runs: list[Callable[[], Awaitable[int]]] = [partial(search, d, days) for d in starts]
            times, slots = await timed(runs)
            results.append(row(name, times, slots))
        await db.dispose()
    backend = url.split(":", 1)[0]
    print(f"\n{backend}: {STAFF} staff, {BOOKINGS} bookings, {args.searches} searches")
    print(f"{'search':<38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'slots':>9}")
    print("\n".join(results))
    print(load())


if __name__ == "__main__":
    asyncio.run(main())
