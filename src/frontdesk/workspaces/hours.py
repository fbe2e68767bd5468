"""Business hours: per weekday a sorted list of open intervals; a break is the gap between
two intervals and a closed day has none."""

from __future__ import annotations

import itertools
import re
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
        intervals = sorted(
            ({"start": str(i["start"]), "end": str(i["end"])} for i in raw.get(key) or []),
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
