"""Two-way calendar sync behind one protocol.

A booking is the database's; a calendar is a copy of it and a source of busy times. So every
adapter raises one :class:`CalendarError` for whatever goes wrong (a down server, a refused
password, a malformed answer), the caller records that the sync is owed and retries it
through a job, and the booking itself is never rolled back because a calendar failed.

Busy times include every opaque event in the calendar, the ones this system wrote among them
(Google's freeBusy cannot tell them apart). Before offering a new time for a booking that is
being moved, take its own old interval out of the busy times with :func:`without`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from frontdesk.calendars import BusyTime, CalendarEvent


class CalendarError(Exception):
    """A calendar could not be read or written. ``retryable`` is false when trying again
    cannot help until someone acts (a refused password, a revoked grant, a calendar that is
    gone); a job stops retrying then and the dashboard shows the message."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class RemoteEvent:
    """Where an upserted event lives in the calendar: its href (CalDAV) or event id (Google),
    and the Google Meet link when one was asked for and made."""

    remote_id: str
    meet_link: str = ""


@runtime_checkable
class CalendarSync(Protocol):
    async def busy(self, start: datetime, end: datetime) -> list[BusyTime]:
        """Busy intervals overlapping [start, end), sorted, each clipped to the range."""
        ...

    async def upsert(self, event: CalendarEvent, *, meet_link: bool = False) -> RemoteEvent:
        """Create the event, or update the one with the same UID (safe to repeat)."""
        ...

    async def delete(self, uid: str) -> None:
        """Remove the event with this UID; one already gone is no error (safe to repeat)."""
        ...

    async def aclose(self) -> None: ...


class NoCalendar:
    """The default: no calendar connected, nothing busy, nothing written."""

    async def busy(self, start: datetime, end: datetime) -> list[BusyTime]:
        return []

    async def upsert(self, event: CalendarEvent, *, meet_link: bool = False) -> RemoteEvent:
        return RemoteEvent(remote_id="")

    async def delete(self, uid: str) -> None:
        return None

    async def aclose(self) -> None:
        return None


def description_with_customer(event: CalendarEvent) -> str:
    """The event's description with the customer named in it. Adapters write the customer
    here rather than as an attendee: a calendar that invites attendees by itself (CalDAV
    scheduling, Google) would send them a second invitation beside our confirmation."""
    customer = " ".join(
        part
        for part in (event.attendee_name, f"<{event.attendee_email}>" * bool(event.attendee_email))
        if part
    )
    lines = [event.description] if event.description else []
    if customer:
        lines.append(f"Customer: {customer}")
    return "\n\n".join(lines)


def merged(intervals: Iterable[BusyTime], start: datetime, end: datetime) -> list[BusyTime]:
    """The intervals clipped to [start, end), sorted, overlapping and touching ones joined."""
    clipped = sorted(
        (max(item.start, start), min(item.end, end))
        for item in intervals
        if item.end > start and item.start < end and item.end > item.start
    )
    result: list[BusyTime] = []
    for begin, finish in clipped:
        if result and begin <= result[-1].end:
            if finish > result[-1].end:
                result[-1] = BusyTime(result[-1].start, finish)
        else:
            result.append(BusyTime(begin, finish))
    return result


def without(busy: Iterable[BusyTime], start: datetime, end: datetime) -> list[BusyTime]:
    """The busy times less [start, end): a booking being moved does not block itself."""
    result: list[BusyTime] = []
    for item in busy:
        if item.end <= start or item.start >= end:
            result.append(item)
            continue
        if item.start < start:
            result.append(BusyTime(item.start, start))
        if item.end > end:
            result.append(BusyTime(end, item.end))
    return result


__all__ = [
    "CalendarError",
    "CalendarSync",
    "NoCalendar",
    "RemoteEvent",
    "description_with_customer",
    "merged",
    "without",
]
