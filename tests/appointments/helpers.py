"""What the appointments tests share: a business with hours, a service, dates ahead."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.factories import Account, register

ZONE = "America/New_York"
WEEKDAY_HOURS = [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]
HOURS: dict[str, Any] = {
    **{day: WEEKDAY_HOURS for day in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [],
    "sun": [],
}


async def business(
    client: httpx.AsyncClient,
    hours: dict[str, Any] | None = None,
    timezone: str = ZONE,
    **settings: int,
) -> Account:
    owner = await register(client)
    answer = await client.put(
        "/api/workspace",
        headers=owner.headers,
        json={"timezone": timezone, "business_hours": hours or HOURS},
    )
    assert answer.status_code == 200, answer.text
    if settings:
        rules = {
            "min_notice_minutes": 120,
            "horizon_days": 60,
            "slot_step_minutes": 15,
            "reminder_hours": 24,
            **settings,
        }
        answer = await client.put("/api/booking-settings", headers=owner.headers, json=rules)
        assert answer.status_code == 200, answer.text
    return owner


async def add_service(client: httpx.AsyncClient, owner: Account, **fields: Any) -> dict[str, Any]:
    body = {"name": "Cleaning", "duration_minutes": 30, **fields}
    answer = await client.post("/api/services", headers=owner.headers, json=body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def next_weekday(weekday: int, at_least: int = 3, timezone: str = ZONE) -> date:
    """The first ``weekday`` (0 Monday) at least ``at_least`` days from today, locally."""
    day = datetime.now(ZoneInfo(timezone)).date() + timedelta(days=at_least)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def local(day: date, clock: str, timezone: str = ZONE) -> datetime:
    hour, minute = (int(p) for p in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(timezone))


async def slots(
    client: httpx.AsyncClient,
    owner: Account,
    service_id: str,
    day: date,
    days: int = 1,
    **extra: str,
) -> list[dict[str, Any]]:
    params = {"service_id": service_id, "date": day.isoformat(), "days": str(days), **extra}
    answer = await client.get("/api/availability", headers=owner.headers, params=params)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["slots"]
    return found


async def book(
    client: httpx.AsyncClient, owner: Account, service_id: str, start: datetime | str, **extra: Any
) -> httpx.Response:
    body = {
        "service_id": service_id,
        "start": start if isinstance(start, str) else start.isoformat(),
        "customer_name": "Ana Silva",
        "customer_email": "ana@example.com",
        **extra,
    }
    return await client.post("/api/appointments", headers=owner.headers, json=body)


def clocks(found: list[dict[str, Any]]) -> list[str]:
    return [slot["start"][11:16] for slot in found]
