"""CalDAV sync against a real Radicale server on loopback: what the adapter writes is on the
server (read back with plain HTTP), what someone adds on the server blocks time, moves and
deletes land, and every failure is one CalendarError."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
import pytest_asyncio
from lxml import etree

from frontdesk.calendars import BusyTime, CalendarEvent
from frontdesk.calendars.caldav import CalDAVCalendar
from frontdesk.calendars.sync import CalendarError
from tests.calendars.radicale_server import new_calendar, radicale
from tests.servers import free_port

MADRID = ZoneInfo("Europe/Madrid")
REPORT_ALL = b"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
</C:calendar-query>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with radicale(tmp_path_factory.mktemp("radicale")) as base:
        yield base


@pytest.fixture
def calendar_url(server: str) -> str:
    return new_calendar(server)


@pytest_asyncio.fixture
async def calendar(calendar_url: str) -> AsyncIterator[CalDAVCalendar]:
    adapter = CalDAVCalendar(
        calendar_url, username="alice", password="x", timezone="Europe/Madrid", allow_private=True
    )
    yield adapter
    await adapter.aclose()


def booking(uid: str | None = None, *, start: datetime | None = None, **changes: object):
    start = start or datetime(2026, 12, 15, 15, 0, tzinfo=MADRID)
    values: dict[str, object] = {
        "uid": uid or f"{uuid.uuid4()}@frontdesk.test",
        "start": start,
        "end": start + timedelta(minutes=45),
        "summary": "Cleaning with Dr Ruiz",
        "timezone": "Europe/Madrid",
        "description": "Booked in the chat",
        "attendee_name": "Ana López",
        "attendee_email": "ana@example.com",
        **changes,
    }
    return CalendarEvent(**values)  # type: ignore[arg-type]


async def server_events(url: str) -> dict[str, icalendar.Event]:
    """Every VEVENT in the collection by UID, read with a plain REPORT (not the adapter)."""
    async with httpx.AsyncClient(auth=("alice", "x")) as client:
        response = await client.request("REPORT", url, content=REPORT_ALL, headers={"Depth": "1"})
    assert response.status_code == 207, response.text
    found: dict[str, icalendar.Event] = {}
    for data in etree.fromstring(response.content).iter(
        "{urn:ietf:params:xml:ns:caldav}calendar-data"
    ):
        for event in icalendar.Calendar.from_ical(data.text).walk("VEVENT"):
            found[str(event["UID"])] = event
    return found


async def put_on_server(url: str, name: str, vevent: str) -> None:
    body = (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone else//EN\r\n{vevent}END:VCALENDAR\r\n"
    )
    async with httpx.AsyncClient(auth=("alice", "x")) as client:
        response = await client.put(
            url + name, content=body.encode(), headers={"Content-Type": "text/calendar"}
        )
    assert response.status_code == 201, response.text


async def test_a_booking_written_is_on_the_server(calendar: CalDAVCalendar, calendar_url: str):
    event = booking()
    remote = await calendar.upsert(event)

    on_server = (await server_events(calendar_url))[event.uid]
    assert on_server.decoded("DTSTART") == event.start
    assert on_server.decoded("DTEND") == event.end
    assert str(on_server["SUMMARY"]) == "Cleaning with Dr Ruiz"
    assert "Ana López <ana@example.com>" in str(on_server["DESCRIPTION"])
    async with httpx.AsyncClient(auth=("alice", "x")) as client:
        fetched = await client.get(calendar_url.split("/alice/")[0] + remote.remote_id)
    assert fetched.status_code == 200 and event.uid in fetched.text
    # Upserting the same booking again changes nothing on the server but its content.
    await calendar.upsert(event)
    assert list(await server_events(calendar_url)) == [event.uid]


async def test_events_added_on_the_server_block_their_time(
    calendar: CalDAVCalendar, calendar_url: str
):
    await put_on_server(
        calendar_url,
        "lunch.ics",
        "BEGIN:VEVENT\r\nUID:lunch-1\r\nDTSTAMP:20261201T000000Z\r\n"
        "DTSTART;TZID=Europe/Madrid:20261215T133000\r\nDTEND;TZID=Europe/Madrid:20261215T143000\r\n"
        "SUMMARY:Lunch\r\nEND:VEVENT\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Madrid\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n",
    )
    await put_on_server(  # every Monday 9-10 UTC: each instance blocks its own week
        calendar_url,
        "staff.ics",
        "BEGIN:VEVENT\r\nUID:staff-meeting\r\nDTSTAMP:20261201T000000Z\r\n"
        "DTSTART:20261207T090000Z\r\nDTEND:20261207T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n"
        "SUMMARY:Staff meeting\r\nEND:VEVENT\r\n",
    )
    await put_on_server(  # an all-day closure: the whole day in the business's zone
        calendar_url,
        "closed.ics",
        "BEGIN:VEVENT\r\nUID:closed\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:20261217\r\n"
        "DTEND;VALUE=DATE:20261218\r\nSUMMARY:Closed\r\nEND:VEVENT\r\n",
    )
    await put_on_server(  # marked "free": blocks nothing
        calendar_url,
        "reminder.ics",
        "BEGIN:VEVENT\r\nUID:free\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261216T120000Z\r\n"
        "DTEND:20261216T130000Z\r\nTRANSP:TRANSPARENT\r\nSUMMARY:Call supplier\r\nEND:VEVENT\r\n",
    )

    start = datetime(2026, 12, 14, tzinfo=MADRID)
    busy = await calendar.busy(start, start + timedelta(days=7))

    assert busy == [
        BusyTime(datetime(2026, 12, 14, 9, tzinfo=UTC), datetime(2026, 12, 14, 10, tzinfo=UTC)),
        BusyTime(
            datetime(2026, 12, 15, 13, 30, tzinfo=MADRID),
            datetime(2026, 12, 15, 14, 30, tzinfo=MADRID),
        ),
        BusyTime(datetime(2026, 12, 17, tzinfo=MADRID), datetime(2026, 12, 18, tzinfo=MADRID)),
    ]
    # The range clips: a query from 9:30 sees the meeting from 9:30.
    half_past = datetime(2026, 12, 14, 9, 30, tzinfo=UTC)
    assert (await calendar.busy(half_past, half_past + timedelta(hours=2))) == [
        BusyTime(half_past, datetime(2026, 12, 14, 10, tzinfo=UTC))
    ]


async def test_moving_a_booking_moves_its_one_event(calendar: CalDAVCalendar, calendar_url: str):
    event = booking()
    first = await calendar.upsert(event)
    later = event.start + timedelta(days=2, hours=-1)
    moved = booking(event.uid, start=later, sequence=1)

    second = await calendar.upsert(moved)

    assert second.remote_id == first.remote_id
    events = await server_events(calendar_url)
    assert list(events) == [event.uid]
    assert events[event.uid].decoded("DTSTART") == later
    assert events[event.uid].decoded("SEQUENCE") == 1
    day = datetime(2026, 12, 14, tzinfo=MADRID)
    assert await calendar.busy(day, day + timedelta(days=7)) == [
        BusyTime(later, later + timedelta(minutes=45))
    ]


async def test_an_event_edited_on_the_server_is_updated_where_it_is(
    calendar: CalDAVCalendar, calendar_url: str
):
    """Someone's calendar app rewrote our event under another name (new href, new ETag):
    the next upsert finds it by UID and replaces it there, never adding a second copy."""
    event = booking()
    first = await calendar.upsert(event)
    async with httpx.AsyncClient(auth=("alice", "x")) as client:
        base = calendar_url.split("/alice/")[0]
        assert (await client.delete(base + first.remote_id)).status_code in (200, 204)
    await put_on_server(
        calendar_url,
        "edited-elsewhere.ics",
        f"BEGIN:VEVENT\r\nUID:{event.uid}\r\nDTSTAMP:20261201T000000Z\r\n"
        "DTSTART:20261215T140000Z\r\nDTEND:20261215T150000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\n",
    )

    again = await calendar.upsert(booking(event.uid, summary="Cleaning, moved"))

    assert again.remote_id.endswith("/edited-elsewhere.ics")
    events = await server_events(calendar_url)
    assert list(events) == [event.uid]
    assert str(events[event.uid]["SUMMARY"]) == "Cleaning, moved"


async def test_deleting_a_booking_removes_its_event(calendar: CalDAVCalendar, calendar_url: str):
    kept, gone = booking(), booking(start=datetime(2026, 12, 16, 10, tzinfo=MADRID))
    await calendar.upsert(kept)
    await calendar.upsert(gone)

    await calendar.delete(gone.uid)
    await calendar.delete(gone.uid)  # a job run twice
    await calendar.delete("never-written")

    assert list(await server_events(calendar_url)) == [kept.uid]
    day = datetime(2026, 12, 16, tzinfo=MADRID)
    assert await calendar.busy(day, day + timedelta(days=1)) == []


async def test_a_wrong_password_is_a_calendar_error(tmp_path: Path):
    with radicale(tmp_path, users={"alice": "right horse"}) as base:
        url = new_calendar(base, "alice", "right horse")
        wrong = CalDAVCalendar(url, username="alice", password="wrong", allow_private=True)
        right = CalDAVCalendar(url, username="alice", password="right horse", allow_private=True)
        try:
            with pytest.raises(CalendarError) as refused:
                await wrong.upsert(booking())
            assert "refused the username or password" in str(refused.value)
            assert not refused.value.retryable
            with pytest.raises(CalendarError):
                await wrong.busy(
                    datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC)
                )

            await right.upsert(booking(start=datetime(2026, 12, 1, 10, tzinfo=UTC)))
            busy = await right.busy(
                datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC)
            )
            assert len(busy) == 1
        finally:
            await wrong.aclose()
            await right.aclose()


async def test_a_down_server_is_a_retryable_calendar_error():
    adapter = CalDAVCalendar(
        f"http://127.0.0.1:{free_port()}/alice/cal/", allow_private=True, timeout=2
    )
    try:
        with pytest.raises(CalendarError) as down:
            await adapter.busy(datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC))
        assert "cannot be reached" in str(down.value) and down.value.retryable
        with pytest.raises(CalendarError):
            await adapter.upsert(booking())
    finally:
        await adapter.aclose()


async def test_a_url_that_is_no_calendar_is_a_calendar_error(server: str):
    adapter = CalDAVCalendar(f"{server}/alice/missing-calendar/", allow_private=True)
    try:
        with pytest.raises(CalendarError) as missing:
            await adapter.busy(datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC))
        assert not missing.value.retryable
    finally:
        await adapter.aclose()


async def test_a_private_address_is_refused_unless_allowed(calendar_url: str):
    adapter = CalDAVCalendar(calendar_url, username="alice", password="x")
    try:
        with pytest.raises(CalendarError) as refused:
            await adapter.busy(datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC))
        assert "127.0.0.1" in str(refused.value) and not refused.value.retryable
    finally:
        await adapter.aclose()
