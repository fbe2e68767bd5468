"""The slot finder through GET /api/availability: hours and breaks, buffers, closures, staff
hours and time off, the minimum notice, the horizon, and days whose clocks change."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from frontdesk.appointments.models import Closure, StaffSchedule, TimeOff
from frontdesk.services import Services
from tests.appointments.helpers import (
    ZONE,
    add_service,
    book,
    business,
    clocks,
    local,
    next_weekday,
    slots,
)
from tests.factories import add_member


async def test_hours_breaks_and_offsets(client: httpx.AsyncClient) -> None:
    owner = await business(client)
    service = await add_service(client, owner, duration_minutes=60)
    monday = next_weekday(0)
    found = await slots(client, owner, service["id"], monday)
    # 09:00-12:00 and 13:00-17:00, an hour each, every 15 minutes: none across the break.
    assert clocks(found)[:2] == ["09:00", "09:15"] and "11:15" not in clocks(found)
    assert "11:00" in clocks(found) and "12:30" not in clocks(found)
    assert clocks(found)[-1] == "16:00"
    assert found[0]["start"] == local(monday, "09:00").isoformat()  # with its UTC offset
    # A weekend day is closed.
    assert await slots(client, owner, service["id"], monday - timedelta(days=1)) == []


async def test_buffers_keep_time_around_a_booking(client: httpx.AsyncClient) -> None:
    owner = await business(client)
    service = await add_service(
        client, owner, duration_minutes=30, buffer_before_minutes=15, buffer_after_minutes=15
    )
    monday = next_weekday(0)
    assert (await book(client, owner, service["id"], local(monday, "10:00"))).status_code == 201
    found = clocks(await slots(client, owner, service["id"], monday))
    # Blocked 09:45-10:45; a new booking needs its own 15 minutes each side.
    assert "09:00" in found and "09:15" not in found and "10:45" not in found
    assert "11:00" in found
    taken = await book(client, owner, service["id"], local(monday, "10:45"))
    assert taken.status_code == 409
    offered = [slot["start"] for slot in taken.json()["error"]["details"]["alternatives"]]
    assert local(monday, "11:00").isoformat() in offered


async def test_closures_close_whole_days(client: httpx.AsyncClient, services: Services) -> None:
    owner = await business(client)
    service = await add_service(client, owner)
    monday = next_weekday(0)
    async with services.db.unit_of_work() as uow:
        uow.session.add(
            Closure(
                workspace_id=uuid.UUID(owner.workspace_id),
                first_day=monday,
                last_day=monday + timedelta(days=1),
                reason="Holiday",
            )
        )
    week = await slots(client, owner, service["id"], monday, days=3)
    assert {slot["start"][:10] for slot in week} == {(monday + timedelta(days=2)).isoformat()}
    closed = await book(client, owner, service["id"], local(monday, "10:00"))
    assert closed.status_code == 422 and closed.json()["error"]["code"] == "outside_hours"
    offered = closed.json()["error"]["details"]["alternatives"]
    assert offered and offered[0]["start"].startswith((monday + timedelta(days=2)).isoformat())


async def _member_id(client: httpx.AsyncClient, owner: object, email: str) -> str:
    members = (await client.get("/api/workspace/members", headers=owner.headers)).json()  # type: ignore[attr-defined]
    return str(next(m["id"] for m in members["members"] if m["email"] == email))


async def test_staff_hours_time_off_and_capacity(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await business(client)
    ruiz, lee = await add_member(client, owner, "agent"), await add_member(client, owner, "agent")
    ruiz_id = await _member_id(client, owner, ruiz.email)
    lee_id = await _member_id(client, owner, lee.email)
    service = await add_service(client, owner, staff_ids=[ruiz_id, lee_id])
    monday = next_weekday(0)
    workspace_id = uuid.UUID(owner.workspace_id)
    async with services.db.unit_of_work() as uow:
        # Dr Lee works mornings only, and is away Monday 09:00-10:00.
        uow.session.add(
            StaffSchedule(
                workspace_id=workspace_id,
                membership_id=uuid.UUID(lee_id),
                hours={"mon": [{"start": "08:00", "end": "12:00"}]},
            )
        )
        uow.session.add(
            TimeOff(
                workspace_id=workspace_id,
                membership_id=uuid.UUID(lee_id),
                start=local(monday, "09:00"),
                end=local(monday, "10:00"),
            )
        )
    lee_slots = clocks(await slots(client, owner, service["id"], monday, staff_id=lee_id))
    # Staff hours within the business's: never before 09:00 or after 12:00; off 09:00-10:00.
    assert lee_slots[0] == "10:00" and lee_slots[-1] == "11:30"

    at_ten = local(monday, "10:00")
    first = await book(client, owner, service["id"], at_ten)
    second = await book(client, owner, service["id"], at_ten)
    assert (first.status_code, second.status_code) == (201, 201)
    assert {first.json()["staff_id"], second.json()["staff_id"]} == {ruiz_id, lee_id}
    third = await book(client, owner, service["id"], at_ten)
    assert third.status_code == 409 and third.json()["error"]["code"] == "slot_taken"
    assert third.json()["error"]["details"]["alternatives"]
    # In the afternoon only Dr Ruiz works: one booking per time.
    assert (await book(client, owner, service["id"], local(monday, "14:00"))).status_code == 201
    assert (await book(client, owner, service["id"], local(monday, "14:00"))).status_code == 409
    foreign = await client.get(
        "/api/availability",
        headers=owner.headers,
        params={
            "service_id": service["id"],
            "date": monday.isoformat(),
            "staff_id": str(uuid.uuid4()),
        },
    )
    assert foreign.status_code == 422


async def test_minimum_notice_and_horizon(client: httpx.AsyncClient) -> None:
    every_day = [{"start": "00:00", "end": "23:45"}]
    hours = {day: every_day for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    owner = await business(client, hours=hours, min_notice_minutes=240, horizon_days=10)
    service = await add_service(client, owner, duration_minutes=15)
    now = datetime.now(ZoneInfo(ZONE))
    found = await slots(client, owner, service["id"], now.date(), days=31)
    first = datetime.fromisoformat(found[0]["start"])
    assert now + timedelta(minutes=240) <= first <= now + timedelta(minutes=255)
    # The last start is the latest quarter hour within ten days that still ends by 23:45.
    expected = (now + timedelta(days=10)).replace(second=0, microsecond=0)
    expected -= timedelta(minutes=expected.minute % 15)
    while (expected.hour, expected.minute) > (23, 30):
        expected -= timedelta(minutes=15)
    assert datetime.fromisoformat(found[-1]["start"]) == expected


def _clock_change(forward: bool) -> date:
    """The next day New York's clocks go forward (or back)."""
    zone, day = ZoneInfo(ZONE), date.today() + timedelta(days=3)
    for _ in range(400):
        before = datetime(day.year, day.month, day.day, 0, 0, tzinfo=zone).utcoffset()
        after = datetime(day.year, day.month, day.day, 12, 0, tzinfo=zone).utcoffset()
        assert before is not None and after is not None
        if (after > before) if forward else (after < before):
            return day
        day += timedelta(days=1)
    raise AssertionError("no clock change within 400 days")


async def test_daylight_saving_days(client: httpx.AsyncClient) -> None:
    """Open 00:00-04:00 and 09:00-10:00 on Sundays: the night has 3 real hours when the
    clocks go forward, 5 when they go back; 09:00 stays 09:00 local, with the new offset."""
    night = [{"start": "00:00", "end": "04:00"}, {"start": "09:00", "end": "10:00"}]
    owner = await business(client, hours={"sun": night}, horizon_days=730)
    service = await add_service(client, owner, duration_minutes=60)
    spring, autumn = _clock_change(forward=True), _clock_change(forward=False)
    ordinary = spring - timedelta(days=7)

    def night_starts(found: list[dict[str, str]]) -> list[str]:
        return [s["start"] for s in found if s["start"][11:13] in ("00", "01", "02", "03")]

    plain = await slots(client, owner, service["id"], ordinary)
    assert len(night_starts(plain)) == 13  # 00:00..03:00, every 15 minutes

    forward = await slots(client, owner, service["id"], spring)
    starts = night_starts(forward)
    assert len(starts) == 9  # three real hours: 00:00..02:00 of elapsed time
    assert not any(s[11:13] == "02" for s in starts)  # 02:xx does not exist that night
    assert starts[-1] == f"{spring.isoformat()}T03:00:00-04:00"
    assert forward[-1]["start"] == f"{spring.isoformat()}T09:00:00-04:00"
    # Every slot is an hour of real time, across the jump included.
    for slot in forward:
        length = datetime.fromisoformat(slot["end"]) - datetime.fromisoformat(slot["start"])
        assert length == timedelta(hours=1)

    back = await slots(client, owner, service["id"], autumn)
    starts = night_starts(back)
    assert len(starts) == 17  # five real hours
    assert f"{autumn.isoformat()}T01:30:00-04:00" in starts
    assert f"{autumn.isoformat()}T01:30:00-05:00" in starts  # the repeated hour, both times
    assert back[-1]["start"] == f"{autumn.isoformat()}T09:00:00-05:00"
    booked = await book(client, owner, service["id"], f"{autumn.isoformat()}T01:30:00-05:00")
    assert booked.status_code == 201, booked.text
    assert booked.json()["start"] == f"{autumn.isoformat()}T01:30:00-05:00"
    # The first 01:30 is an hour earlier; its hour ends as the booked one starts.
    after = night_starts(await slots(client, owner, service["id"], autumn))
    assert f"{autumn.isoformat()}T01:30:00-04:00" in after
    assert f"{autumn.isoformat()}T01:45:00-04:00" not in after
