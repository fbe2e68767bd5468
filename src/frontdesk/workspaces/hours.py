"""Business hours: per weekday a sorted list of open intervals; a break is the gap between
two intervals and a closed day has none."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from typing import Any

WEEKDAYS: tuple[tuple[str, str], ...] = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def default_hours() -> dict[str, list[dict[str, str]]]:
    weekday = [{"start": "09:00", "end": "17:00"}]
    return {key: (list(weekday) if key not in ("sat", "sun") else []) for key, _ in WEEKDAYS}


def normalize_hours(raw: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Validate and sort; raises ValueError with a message naming the day at fault."""
    unknown = set(raw) - {key for key, _ in WEEKDAYS}
    if unknown:
        raise ValueError(f"unknown weekday {sorted(unknown)[0]!r}; use mon..sun")
    result: dict[str, list[dict[str, str]]] = {}
    for key, label in WEEKDAYS:
        day = raw.get(key) or []
        if not isinstance(day, list) or not all(
            isinstance(i, dict) and "start" in i and "end" in i for i in day
        ):
            raise ValueError(f"{label}: give each interval as {{start, end}}")
        intervals = sorted(
            ({"start": str(i["start"]), "end": str(i["end"])} for i in day),
            key=lambda i: i["start"],
        )
        for interval in intervals:
            if not (_TIME.match(interval["start"]) and _TIME.match(interval["end"])):
                raise ValueError(f"{label}: times must be HH:MM")
            if interval["start"] >= interval["end"]:
                raise ValueError(f"{label}: opening must be before closing")
        for before, after in itertools.pairwise(intervals):
            if after["start"] < before["end"]:
                raise ValueError(f"{label}: opening intervals overlap")
        result[key] = intervals
    return result


def describe_hours(hours: dict[str, list[dict[str, str]]]) -> list[str]:
    lines = []
    for key, label in WEEKDAYS:
        intervals = hours.get(key) or []
        spans = ", ".join(f"{i['start']}-{i['end']}" for i in intervals)
        lines.append(f"{label}: {spans if spans else 'closed'}")
    return lines


def next_opening(
    hours: dict[str, list[dict[str, str]]], now: datetime
) -> tuple[bool, datetime | None]:
    """``(open_now, when)``: if open at ``now`` (a local, aware datetime), ``(True, now)``;
    otherwise the next moment the business opens within a week, or ``None`` if it never
    does. Used to tell a customer honestly when a person will answer."""
    clock = now.strftime("%H:%M")
    for offset in range(8):
        day = now + timedelta(days=offset)
        key = WEEKDAYS[day.weekday()][0]
        for interval in hours.get(key) or []:
            if offset == 0 and interval["start"] <= clock < interval["end"]:
                return True, now
            if offset > 0 or clock < interval["start"]:
                hour, minute = (int(part) for part in interval["start"].split(":"))
                return False, day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return False, None
