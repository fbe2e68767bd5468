"""Invites and feeds, read back by two independent parsers: ``icalendar`` and ``vobject``
(Radicale's parser, built on dateutil, which reads the VTIMEZONE itself rather than
trusting the zone's name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from frontdesk.calendars import CalendarEvent
from frontdesk.calendars.ics import feed, invite

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
STAMP = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
AWKWARD = 'Limpieza, 1 h; "con" Dr. Ruiz\nsegunda línea \\ ñandú 歯科'


def booking(**changes: Any) -> CalendarEvent:
    values: dict[str, Any] = {
        "uid": "appt-6f1c@bright-smile.frontdesk",
        "start": datetime(2026, 12, 9, 15, 0, tzinfo=MADRID),
        "end": datetime(2026, 12, 9, 15, 45, tzinfo=MADRID),
        "summary": "Cleaning with Dr Ruiz",
        "timezone": "Europe/Madrid",
        "description": "Manage your booking: https://desk.example/m/abc",
        "location": "Calle Mayor 1, 2º; Madrid",
        "sequence": 3,
        "organizer_email": "desk@brightsmile.test",
        "organizer_name": "Bright Smile Dental",
        "attendee_email": "ana@example.test",
        "attendee_name": "Ana Núñez, Jr.",
        "url": "https://desk.example/m/abc",
    }
    values.update(changes)
    return CalendarEvent(**values)


def only_vevent(data: bytes) -> icalendar.Component:
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return event


def assert_well_formed(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75  # octets, not characters
    for line in lines:  # folding never splits a UTF-8 character
        line.decode("utf-8")


def test_an_invite_reads_back_in_icalendar() -> None:
    data = invite(booking(), now=STAMP)
    assert_well_formed(data)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Madrid"

    event = only_vevent(data)
    assert event["UID"] == "appt-6f1c@bright-smile.frontdesk"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTAMP") == STAMP
    assert event.decoded("DTSTART") == datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 9, 14, 45, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert b"DTSTART;TZID=Europe/Madrid:20261209T150000\r\n" in data  # the local time
    assert str(event["URL"]) == "https://desk.example/m/abc"
    assert str(event["LOCATION"]) == "Calle Mayor 1, 2º; Madrid"

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:desk@brightsmile.test"
    assert organizer.params["CN"] == "Bright Smile Dental"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:ana@example.test"
    assert attendee.params["CN"] == "Ana Núñez, Jr."
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert attendee.params["RSVP"] == "FALSE"

    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(hours=-1)


def test_an_invite_reads_back_in_vobject() -> None:
    data = invite(booking(summary=AWKWARD, description=AWKWARD, location=AWKWARD), now=STAMP)
    calendar = vobject.readOne(data.decode())
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.uid.value == "appt-6f1c@bright-smile.frontdesk"
    assert int(event.sequence.value) == 3
    assert event.summary.value == AWKWARD
    assert event.description.value == AWKWARD
    assert event.location.value == AWKWARD
    assert event.dtstart.value.astimezone(UTC) == datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert event.dtend.value.astimezone(UTC) == datetime(2026, 12, 9, 14, 45, tzinfo=UTC)
    assert event.attendee.value == "mailto:ana@example.test"
    assert event.attendee.params["CN"] == ["Ana Núñez, Jr."]
    assert event.organizer.params["CN"] == ["Bright Smile Dental"]
    assert event.valarm.trigger.value == timedelta(hours=-1)


def test_escaping_in_icalendar_too() -> None:
    data = invite(booking(summary=AWKWARD, description=AWKWARD), now=STAMP)
    assert_well_formed(data)
    assert b"Limpieza\\, 1 h\\; " in data and b"\\nsegunda l" in data
    event = only_vevent(data)
    assert str(event["SUMMARY"]) == AWKWARD
    assert str(event["DESCRIPTION"]) == AWKWARD


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # New York springs forward at 2:00 on 8 March 2026: 3:30 is daylight time...
        (datetime(2026, 3, 8, 3, 30, tzinfo=NEW_YORK), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        (datetime(2026, 3, 8, 1, 30, tzinfo=NEW_YORK), datetime(2026, 3, 8, 6, 30, tzinfo=UTC)),
        # ...and falls back at 2:00 on 1 November: 1:30 happens twice (the first is meant).
        (datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (datetime(2026, 11, 1, 2, 30, tzinfo=NEW_YORK), datetime(2026, 11, 1, 7, 30, tzinfo=UTC)),
        (datetime(2026, 7, 1, 9, 0, tzinfo=NEW_YORK), datetime(2026, 7, 1, 13, 0, tzinfo=UTC)),
    ],
)
def test_a_daylight_saving_day_reads_back_at_the_same_instant(
    local: datetime, utc: datetime
) -> None:
    event = booking(start=local, end=local + timedelta(minutes=30), timezone="America/New_York")
    data = invite(event, now=STAMP)
    wall = local.strftime("%Y%m%dT%H%M%S").encode()
    assert b"DTSTART;TZID=America/New_York:" + wall in data
    assert vobject.readOne(data.decode()).vevent.dtstart.value.astimezone(UTC) == utc
    assert only_vevent(data).decoded("DTSTART").astimezone(UTC) == utc


def test_an_event_that_spans_the_change_keeps_its_length() -> None:
    start = datetime(2026, 3, 29, 1, 30, tzinfo=MADRID)  # Madrid jumps 2:00 -> 3:00
    end = datetime(2026, 3, 29, 3, 30, tzinfo=MADRID)  # one real hour later
    data = invite(booking(start=start, end=end), now=STAMP)
    event = vobject.readOne(data.decode()).vevent
    length = event.dtend.value.astimezone(UTC) - event.dtstart.value.astimezone(UTC)
    assert length == timedelta(hours=1)  # (the same tzinfo subtracts wall times: via UTC)
    assert event.dtstart.value.astimezone(UTC) == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def test_a_utc_event_is_written_in_utc_without_a_zone() -> None:
    start = datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    event = booking(start=start, end=start + timedelta(hours=1), timezone="UTC")
    data = invite(event, now=STAMP)
    assert b"DTSTART:20261209T140000Z\r\n" in data
    assert b"VTIMEZONE" not in data
    assert vobject.readOne(data.decode()).vevent.dtstart.value == start


def test_the_zone_covers_only_the_years_of_the_event() -> None:
    data = invite(booking(), now=STAMP)
    [zone] = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    onsets = [
        part.decoded("DTSTART") for part in zone.walk() if part.name in ("STANDARD", "DAYLIGHT")
    ]
    assert min(onsets).year == 2026 and max(onsets).year <= 2027
    assert len(data) < 2000


def test_a_cancellation() -> None:
    data = invite(booking(sequence=4), "CANCEL", now=STAMP)
    assert_well_formed(data)
    calendar = vobject.readOne(data.decode())
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.uid.value == "appt-6f1c@bright-smile.frontdesk"
    assert calendar.vevent.status.value == "CANCELLED"
    assert int(calendar.vevent.sequence.value) == 4
    assert "valarm" not in calendar.vevent.contents  # nothing to remind of


def test_rsvp_asks_for_an_answer() -> None:
    attendee = only_vevent(invite(booking(), rsvp=True, now=STAMP))["ATTENDEE"]
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organizer_email": ""}, "organizer"),
        ({"start": datetime(2026, 12, 9, 15, 0)}, "timezone-aware"),
        ({"end": datetime(2026, 12, 9, 14, 0, tzinfo=MADRID)}, "ends before it starts"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
    ],
)
def test_a_malformed_event_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        invite(booking(**changes), now=STAMP)


def month_of_bookings() -> list[CalendarEvent]:
    first = datetime(2026, 10, 1, 9, 0, tzinfo=MADRID)  # across Madrid's October change
    return [
        booking(
            uid=f"appt-{day}@bright-smile.frontdesk",
            start=first + timedelta(days=day),
            end=first + timedelta(days=day, minutes=30),
            summary=f"Cleaning — Cliente {day}, ñ",
            status="CANCELLED" if day % 10 == 3 else "CONFIRMED",
        )
        for day in range(45)
    ]


def test_a_feed_reads_back_in_both_parsers() -> None:
    events = month_of_bookings()
    data = feed(events, "Bright Smile, bookings", refresh_minutes=30, timezone="Europe/Madrid")
    assert_well_formed(data)
    calendar = icalendar.Calendar.from_ical(data)
    assert b"X-WR-CALNAME:Bright Smile\\, bookings\r\n" in data  # TEXT, escaped
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(minutes=30)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT30M\r\n" in data
    assert b"X-PUBLISHED-TTL:PT30M\r\n" in data
    kept = [e for e in events if e.status == "CONFIRMED"]
    written = calendar.walk("VEVENT")
    assert [str(v["UID"]) for v in written] == [e.uid for e in kept]  # cancelled left out
    assert all("ORGANIZER" not in v and "ATTENDEE" not in v for v in written)

    parsed = vobject.readOne(data.decode())
    assert parsed.x_wr_calname.value == "Bright Smile, bookings"
    by_uid = {v.uid.value: v for v in parsed.vevent_list}
    assert set(by_uid) == {e.uid for e in kept}
    for event in kept:  # 9:00 in Madrid every day, summer time or not
        read = by_uid[event.uid]
        assert read.dtstart.value.astimezone(UTC) == event.start.astimezone(UTC)
        assert read.dtstart.value.astimezone(MADRID).hour == 9
        assert read.summary.value == event.summary


def test_a_feed_may_keep_cancelled_events_marked() -> None:
    data = feed(month_of_bookings(), "Bookings", include_cancelled=True)
    statuses = {
        str(v["UID"]): str(v["STATUS"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }
    assert len(statuses) == 45
    assert statuses["appt-3@bright-smile.frontdesk"] == "CANCELLED"
    assert statuses["appt-4@bright-smile.frontdesk"] == "CONFIRMED"


def test_an_empty_feed_is_still_a_calendar() -> None:
    data = feed([], "Nothing yet")
    assert vobject.readOne(data.decode()).x_wr_calname.value == "Nothing yet"
    assert icalendar.Calendar.from_ical(data).walk("VEVENT") == []


def test_feed_events_say_what_icalendar_would_have_written() -> None:
    # The feed writes its VEVENTs as text (fast); each must read back exactly as the same
    # event built by icalendar, awkward text, long lines, zones and cancellations included.
    from frontdesk.calendars.ics import _alarm, _vevent

    long_text = ("ñandú 歯科, a; b\\ c\r\nd " * 12).strip()
    events = [
        booking(),
        booking(uid="u,2;x", summary=AWKWARD, description=long_text, location=long_text),
        booking(
            uid="u3",
            start=datetime(2026, 3, 8, 3, 30, tzinfo=NEW_YORK),
            end=datetime(2026, 3, 8, 4, 0, tzinfo=NEW_YORK),
            timezone="America/New_York",
            url="https://desk.example/m/" + "x" * 90,
        ),
        booking(
            uid="u4",
            start=datetime(2026, 12, 9, 14, 0, tzinfo=UTC),
            end=datetime(2026, 12, 9, 15, 0, tzinfo=UTC),
            timezone="UTC",
            description="",
            location="",
            url="",
        ),
        booking(uid="u5", status="CANCELLED"),
    ]
    data = feed(events, "Awkward", include_cancelled=True, alarm_minutes=30, now=STAMP)
    assert_well_formed(data)
    written = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(written) == len(events)
    for event, read in zip(events, written, strict=True):
        cancelled = event.status == "CANCELLED"
        reference = _vevent(event, now=STAMP, cancelled=cancelled)
        if not cancelled:
            reference.add_component(_alarm(event, 30))
        expected = icalendar.Calendar.from_ical(
            b"BEGIN:VCALENDAR\r\n" + reference.to_ical() + b"END:VCALENDAR\r\n"
        ).walk("VEVENT")[0]
        assert sorted(read.keys()) == sorted(expected.keys()), event.uid
        for name in expected:
            assert read.decoded(name) == expected.decoded(name), (event.uid, name)
            assert read[name].params == expected[name].params, (event.uid, name)
        assert [a.decoded("TRIGGER") for a in read.walk("VALARM")] == [
            a.decoded("TRIGGER") for a in expected.walk("VALARM")
        ]
    parsed = vobject.readOne(data.decode())
    assert [v.description.value for v in parsed.vevent_list if "description" in v.contents][
        1
    ] == long_text.replace("\r\n", "\n")
