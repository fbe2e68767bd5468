"""What goes over the wire to a CalDAV server (RFC 4791): the REPORT bodies, the multistatus
answer read back, and the iCalendar objects in both directions.

Kept apart from the HTTP client (caldav.py) so it can be read against the RFC line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from xml.sax.saxutils import escape, quoteattr

import icalendar
from lxml import etree

from frontdesk.calendars import BusyTime, CalendarEvent
from frontdesk.calendars.sync import description_with_customer

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
PRODID = "-//Frontdesk//Calendar sync//EN"
# Marks the events this system wrote, so a person reading the calendar (or a later tool)
# can tell them from their own.
MARKER = "X-FRONTDESK-BOOKING"

# No DTD, no entities, no network: the answer comes from a server a workspace named.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class WireError(ValueError):
    """The server's answer is not what CalDAV says it should be."""


@dataclass(frozen=True)
class Resource:
    href: str
    etag: str
    calendar_data: str


def utc_stamp(moment: datetime) -> str:
    """The UTC date-time form CalDAV's time-range and expand attributes take."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def events_in_range(start: datetime, end: datetime) -> str:
    """calendar-query for the VEVENTs overlapping [start, end), recurrences expanded by the
    server into their instances in the range (so a weekly meeting blocks every week)."""
    window = f"start={quoteattr(utc_stamp(start))} end={quoteattr(utc_stamp(end))}"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data><C:expand {window}/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range {window}/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


def event_with_uid(uid: str) -> str:
    """calendar-query for the event whose UID contains ``uid`` (text-match is a substring
    match; the caller keeps only the exact one)."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:prop-filter name="UID"><C:text-match collation="i;octet">{escape(uid)}</C:text-match>
    </C:prop-filter>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


def read_multistatus(body: bytes) -> list[Resource]:
    """The resources of a 207 answer whose properties were found (propstat 200)."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as error:
        raise WireError(f"the server's answer is not XML ({error})") from None
    if root.tag != f"{{{DAV}}}multistatus":
        raise WireError(f"the server answered <{root.tag}>, not a multistatus")
    resources = []
    for response in root.iter(f"{{{DAV}}}response"):
        href = (response.findtext(f"{{{DAV}}}href") or "").strip()
        etag, data = "", ""
        for propstat in response.iter(f"{{{DAV}}}propstat"):
            if " 200 " not in f" {propstat.findtext(f'{{{DAV}}}status') or ''} ":
                continue
            etag = etag or (propstat.findtext(f".//{{{DAV}}}getetag") or "").strip()
            data = data or propstat.findtext(f".//{{{CALDAV}}}calendar-data") or ""
        if href:
            resources.append(Resource(href=href, etag=etag, calendar_data=data))
    return resources


def uids_in(calendar_data: str) -> set[str]:
    try:
        calendar = icalendar.Calendar.from_ical(calendar_data)
    except ValueError:
        return set()
    return {str(event.get("UID", "")) for event in calendar.walk("VEVENT")}


def busy_times(calendar_data: str, zone: tzinfo) -> list[BusyTime]:
    """The busy intervals of one calendar object: its opaque, not cancelled VEVENTs (all
    instances the server expanded). Floating times and all-day dates are read in ``zone``,
    the business's own, which is what they mean to the person who wrote them."""
    try:
        calendar = icalendar.Calendar.from_ical(calendar_data)
    except ValueError as error:
        raise WireError(f"the server sent an event that is not iCalendar ({error})") from None
    result = []
    for event in calendar.walk("VEVENT"):
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue  # "show me as free"
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if "DTSTART" not in event:
            continue
        start_value = event.decoded("DTSTART")
        start = _aware(start_value, zone)
        if "DTEND" in event:
            end = _aware(event.decoded("DTEND"), zone)
        elif "DURATION" in event:
            end = start + event.decoded("DURATION")
        elif isinstance(start_value, datetime):
            end = start  # RFC 5545 3.6.1: a date-time with neither ends where it starts
        else:
            end = start + timedelta(days=1)  # a date alone is that whole day
        if end > start:
            result.append(BusyTime(start=start, end=end))
    return result


def _aware(value: date | datetime, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def ical_object(event: CalendarEvent, *, now: datetime | None = None) -> bytes:
    """The event as a calendar object resource. Times are written in UTC (no VTIMEZONE to
    get wrong; calendar apps show them in the reader's zone). The customer is named in the
    description, not as an ATTENDEE: a server with scheduling (RFC 6638) would otherwise
    mail them its own invitation beside ours."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    vevent = icalendar.Event()
    vevent.add("UID", event.uid)
    vevent.add("DTSTAMP", (now or datetime.now(UTC)).astimezone(UTC))
    vevent.add("DTSTART", event.start.astimezone(UTC))
    vevent.add("DTEND", event.end.astimezone(UTC))
    vevent.add("SUMMARY", event.summary)
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("STATUS", event.status)
    description = description_with_customer(event)
    if description:
        vevent.add("DESCRIPTION", description)
    if event.location:
        vevent.add("LOCATION", event.location)
    if event.url:
        vevent.add("URL", event.url)
    vevent.add(MARKER, "TRUE")
    calendar.add_component(vevent)
    return bytes(calendar.to_ical())
