"""Calendars: ICS invites and feeds, and two-way sync (CalDAV, Google Calendar) behind one
protocol.

:class:`CalendarEvent` is what every part of this package speaks: the appointments feature
turns a booking into one; ``ics.py`` writes it as iCalendar; the sync adapters push it to a
calendar and read busy times back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across reschedules: calendars update the event instead of adding one
    start: datetime  # timezone-aware
    end: datetime  # timezone-aware
    summary: str
    timezone: str = "UTC"  # IANA name of the business's zone, for display in invites
    description: str = ""
    location: str = ""
    status: str = "CONFIRMED"  # CONFIRMED | CANCELLED
    sequence: int = 0  # raised on every change, so clients apply the newest version
    organizer_email: str = ""
    organizer_name: str = ""
    attendee_email: str = ""
    attendee_name: str = ""
    url: str = ""  # the customer's manage link


@dataclass(frozen=True)
class BusyTime:
    start: datetime
    end: datetime
