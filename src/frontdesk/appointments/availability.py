"""The slot finder: free start times of a service, computed in memory from one load.

Everything is turned into POSIX seconds first: a day's opening hours are read as local wall
times in the workspace's zone (so 09:00 is 09:00 on both sides of a daylight-saving change,
and a day that loses or gains an hour has that much less or more bookable time), and busy
time (bookings with their buffers, time off) is a sorted list of intervals. Candidates step
through each open interval; a pointer walks the busy intervals alongside, so a search is
linear in candidates plus busy intervals, never their product.
"""

from __future__ import annotations

import bisect
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frontdesk.workspaces.hours import WEEKDAYS

Interval = tuple[float, float]


@dataclass(frozen=True)
class Slot:
    """A free start: ``start`` and ``end`` are aware, in the workspace's zone."""

    start: datetime
    end: datetime
    staff_id: uuid.UUID | None


@dataclass
class Resource:
    """Who is booked: a staff member, or the whole business when a service has no staff."""

    resource_id: uuid.UUID
    staff_id: uuid.UUID | None
    hours: dict[str, Any] | None = None  # the staff member's week; None: the business's
    busy: list[Interval] = field(default_factory=list)  # sorted, merged (see ``merge``)


@dataclass
class Calendar:
    """What the finder needs about one workspace and one service, loaded once."""

    zone: ZoneInfo
    business_hours: dict[str, Any]
    closed_days: set[date]
    resources: list[Resource]
    duration: float  # seconds
    buffer_before: float
    buffer_after: float
    step: float
    earliest: float  # now + minimum notice
    latest: float  # now + booking horizon


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _clock(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def _day_intervals(hours: dict[str, Any], day: date, zone: ZoneInfo) -> list[Interval]:
    """One weekday's opening intervals on ``day`` in POSIX seconds. A wall time that does not
    exist (inside a spring-forward gap) reads as the moment the clocks jump to."""
    key = WEEKDAYS[day.weekday()][0]
    found = []
    for interval in hours.get(key) or []:
        start = datetime.combine(day, _clock(interval["start"]), zone).timestamp()
        end_clock = _clock(interval["end"])
        end = datetime.combine(day, end_clock, zone).timestamp()
        if end > start:
            found.append((start, end))
    return found


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    found, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            found.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return found


class Finder:
    """Answers for one calendar; caches each (hours, day) pair's open intervals."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._open: dict[tuple[int, date], list[Interval]] = {}

    def open_intervals(self, resource: Resource, day: date) -> list[Interval]:
        cal = self.calendar
        if day in cal.closed_days:
            return []
        key = (id(resource.hours), day)
        if key not in self._open:
            business = _day_intervals(cal.business_hours, day, cal.zone)
            if resource.hours is not None:
                business = _intersect(business, _day_intervals(resource.hours, day, cal.zone))
            self._open[key] = business
        return self._open[key]

    def starts(self, resource: Resource, day: date) -> list[float]:
        """Free start times of ``resource`` on ``day`` (POSIX seconds, ascending)."""
        cal = self.calendar
        duration, step = cal.duration, cal.step
        # A start s conflicts with busy [b0, b1) when its blocked time [s - before,
        # s + duration + after) overlaps it: s in (b0 - duration - after, b1 + before).
        lead, trail = duration + cal.buffer_after, cal.buffer_before
        busy = resource.busy
        found: list[float] = []
        for open_start, open_end in self.open_intervals(resource, day):
            last = min(open_end - duration, cal.latest)
            start = open_start
            if start < cal.earliest:
                start = open_start + math.ceil((cal.earliest - open_start) / step) * step
            index = bisect.bisect_left(busy, (start - trail, math.inf)) - 1
            index = max(index, 0)
            while start <= last:
                while index < len(busy) and busy[index][1] + trail <= start:
                    index += 1
                if index < len(busy) and busy[index][0] - lead < start:
                    clear = busy[index][1] + trail
                    start = open_start + math.ceil((clear - open_start) / step) * step
                    continue
                found.append(start)
                start += step
        return found

    def fits(self, resource: Resource, start: float) -> tuple[bool, bool]:
        """``(within hours, free)`` for one exact start (not necessarily on the step)."""
        cal = self.calendar
        end = start + cal.duration
        day = datetime.fromtimestamp(start, cal.zone).date()
        within = any(o0 <= start and end <= o1 for o0, o1 in self.open_intervals(resource, day))
        low, high = start - cal.buffer_before, end + cal.buffer_after
        free = not any(b0 < high and low < b1 for b0, b1 in resource.busy)
        return within, free

    def slot(self, resource: Resource, start: float) -> Slot:
        zone = self.calendar.zone
        return Slot(
            datetime.fromtimestamp(start, zone),
            datetime.fromtimestamp(start + self.calendar.duration, zone),
            resource.staff_id,
        )

    def day_slots(self, day: date, resources: Sequence[Resource]) -> list[Slot]:
        """One day's free starts; a start several staff can take goes to the first of them
        (the service's order), so a customer sees each time once."""
        taken: dict[float, Resource] = {}
        for resource in resources:
            for start in self.starts(resource, day):
                taken.setdefault(start, resource)
        return [self.slot(taken[start], start) for start in sorted(taken)]

    def find(self, first_day: date, days: int, resources: Sequence[Resource]) -> list[Slot]:
        found: list[Slot] = []
        latest_day = datetime.fromtimestamp(self.calendar.latest, self.calendar.zone).date()
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            if day > latest_day:
                break
            found.extend(self.day_slots(day, resources))
        return found


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def posix(moment: datetime) -> float:
    return moment.astimezone(UTC).timestamp()
