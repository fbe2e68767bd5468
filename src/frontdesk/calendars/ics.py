"""iCalendar writing: the invite sent with a booking mail, and the feed calendars subscribe to.

Built with the ``icalendar`` library, which folds lines at 75 octets (never inside a UTF-8
character), ends them with CRLF and escapes commas, semicolons and newlines in text.

Times are written in the business's zone with its VTIMEZONE (so a client shows "3:00 pm"
where the business is even across a daylight-saving change) or in UTC for an event in UTC.
The VTIMEZONE covers only the years the events span: a zone's whole history since 1970 is
kilobytes every invite would carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from frontdesk.calendars import CalendarEvent
from frontdesk.calendars.ics_text import vevent_text

DEFAULT_PRODID = "-//Frontdesk//Frontdesk Bookings//EN"
Method = Literal["REQUEST", "CANCEL"]


def invite(
    event: CalendarEvent,
    method: Method = "REQUEST",
    *,
    prodid: str = DEFAULT_PRODID,
    alarm_minutes: int | None = 60,
    rsvp: bool = False,
    now: datetime | None = None,
) -> bytes:
    """An iTIP message (RFC 5546) with one VEVENT, for a mail's ``text/calendar`` part.

    REQUEST adds or updates the event in the attendee's calendar (the newest ``sequence``
    wins); CANCEL removes it. The customer made the booking, so by default they have
    accepted it (PARTSTAT=ACCEPTED) and are not asked to reply; ``rsvp=True`` asks instead.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"method must be REQUEST or CANCEL, not {method!r}")
    if not event.organizer_email:
        raise ValueError("an invite needs the organizer's email (RFC 5546 requires ORGANIZER)")
    calendar = _calendar(prodid, method=method)
    cancelled = method == "CANCEL"
    vevent = _vevent(event, now=now, cancelled=cancelled)
    organizer = icalendar.vCalAddress(f"mailto:{event.organizer_email}")
    if event.organizer_name:
        organizer.params["CN"] = event.organizer_name
    vevent.add("organizer", organizer)
    if event.attendee_email:
        attendee = icalendar.vCalAddress(f"mailto:{event.attendee_email}")
        if event.attendee_name:
            attendee.params["CN"] = event.attendee_name
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION" if rsvp else "ACCEPTED"
        attendee.params["RSVP"] = "TRUE" if rsvp else "FALSE"
        vevent.add("attendee", attendee)
    if alarm_minutes is not None and not cancelled:
        vevent.add_component(_alarm(event, alarm_minutes))
    calendar.add_component(vevent)
    _add_timezones(calendar, [event])
    return bytes(calendar.to_ical())


def feed(
    events: Iterable[CalendarEvent],
    calendar_name: str,
    *,
    refresh_minutes: int = 60,
    prodid: str = DEFAULT_PRODID,
    timezone: str | None = None,
    include_cancelled: bool = False,
    alarm_minutes: int | None = None,
    now: datetime | None = None,
) -> bytes:
    """A calendar to subscribe to by URL (webcal), with every event in it.

    Cancelled events are left out by default: a subscribed calendar drops an event that is
    no longer in the feed at its next refresh, while some clients show a STATUS:CANCELLED
    event as if it were on. ``include_cancelled`` keeps them, marked. No ORGANIZER or
    ATTENDEE: a feed is published, not sent, and with them some clients offer to reply.
    """
    if refresh_minutes < 1:
        raise ValueError("refresh_minutes must be at least 1")
    calendar = _calendar(prodid, method="PUBLISH")
    # Both are TEXT, but icalendar writes a name it has no type for verbatim: a comma in
    # the name would split it for vobject (and dateutil-based clients). Say the type.
    calendar.add("x-wr-calname", icalendar.vText(calendar_name))
    calendar.add("name", icalendar.vText(calendar_name))  # RFC 7986's spelling of the same
    if timezone:
        calendar.add("x-wr-timezone", timezone)
    interval = timedelta(minutes=refresh_minutes)
    calendar.add("refresh-interval", interval, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(interval))  # an X- name: say the type
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    vevents: list[str] = []
    zones: dict[str, ZoneInfo] = {}
    first: date | None = None
    last: date | None = None
    for event in events:
        cancelled = event.status.upper() == "CANCELLED"
        if cancelled and not include_cancelled:
            continue
        zone = _zone(event)
        start, end = _local(event.start, zone), _local(event.end, zone)
        if end <= start:
            raise ValueError(f"event {event.uid!r} ends before it starts")
        if zone is not None:
            zones.setdefault(zone.key, zone)
        day_start, day_end = start.astimezone(UTC).date(), end.astimezone(UTC).date()
        first = day_start if first is None else min(first, day_start)
        last = day_end if last is None else max(last, day_end)
        vevents.append(
            vevent_text(
                event, zone=zone, stamp=stamp, cancelled=cancelled, alarm_minutes=alarm_minutes
            )
        )
    if first is not None and last is not None:
        for key in sorted(zones):
            calendar.add_component(
                icalendar.Timezone.from_tzid(
                    key, first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1)
                )
            )
    head = bytes(calendar.to_ical())
    closing = b"END:VCALENDAR\r\n"
    assert head.endswith(closing)
    return head[: -len(closing)] + "".join(vevents).encode() + closing


def _calendar(prodid: str, *, method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _zone(event: CalendarEvent) -> ZoneInfo | None:
    """The event's zone, or None to write it in UTC."""
    if event.timezone.upper() in ("UTC", "ETC/UTC", "Z", ""):
        return None
    try:
        return ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {event.timezone!r}") from error


def _local(moment: datetime, zone: ZoneInfo | None) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    return moment.astimezone(zone or UTC)


def _vevent(event: CalendarEvent, *, now: datetime | None, cancelled: bool) -> icalendar.Event:
    zone = _zone(event)
    start, end = _local(event.start, zone), _local(event.end, zone)
    if end <= start:
        raise ValueError(f"event {event.uid!r} ends before it starts")
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", "CANCELLED" if cancelled else (event.status.upper() or "CONFIRMED"))
    vevent.add("sequence", event.sequence)
    vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return vevent


def _alarm(event: CalendarEvent, minutes: int) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event.summary)  # DISPLAY alarms must carry one (RFC 5545)
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _add_timezones(calendar: icalendar.Calendar, events: list[CalendarEvent]) -> None:
    """VTIMEZONEs for the zones used, covering the years the events span (plus one)."""
    if not events:
        return
    first = min(event.start for event in events).astimezone(UTC).date()
    last = max(event.end for event in events).astimezone(UTC).date()
    # icalendar puts them before the events: some parsers resolve a TZID in one pass.
    calendar.add_missing_timezones(
        first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1)
    )
