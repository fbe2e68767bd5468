"""Answering about one day's hours: "are you open sunday?" gets Sunday, not the whole week.

Which days a message asks about (weekday names and short forms in English and Spanish,
"today", "tomorrow", "the weekend", "weekdays"), and that day's hours worded for the
customer: open from and to, or closed and when the business opens next. Times are written as
the workspace's country writes them (3:00 pm in the United States, 15:00 in Spain).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frontdesk.workspaces.hours import WEEKDAYS

_DAY_WORDS: dict[str, tuple[str, ...]] = {
    "mon": ("monday", "mondays", "mon", "lunes"),
    "tue": ("tuesday", "tuesdays", "tue", "tues", "martes"),
    "wed": ("wednesday", "wednesdays", "wed", "miércoles", "miercoles"),
    "thu": ("thursday", "thursdays", "thu", "thur", "thurs", "jueves"),
    "fri": ("friday", "fridays", "fri", "viernes"),
    "sat": ("saturday", "saturdays", "sat", "sábado", "sabado", "sábados", "sabados"),
    "sun": ("sunday", "sundays", "sun", "domingo", "domingos"),
}
_WORD_TO_DAY = {word: key for key, words in _DAY_WORDS.items() for word in words}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_TODAY = re.compile(r"\b(today|tonight|now|hoy|ahora)\b", re.I)
_TOMORROW = re.compile(r"\b(tomorrow|tmrw|tmr|tomoz|mañana|manana)\b", re.I)
_WEEKEND = re.compile(r"\b(weekends?|fin de semana|finde)\b", re.I)
_WEEKDAYS = re.compile(r"\b(weekdays?|during the week|entre semana|de lunes a viernes)\b", re.I)
TWELVE_HOUR_COUNTRIES = frozenset({"US", "CA", "AU", "NZ", "PH", "IN", "PK", "EG", "SA", "MY"})

DAY_NAMES = {
    "en": dict(WEEKDAYS),
    "es": {
        "mon": "lunes",
        "tue": "martes",
        "wed": "miércoles",
        "thu": "jueves",
        "fri": "viernes",
        "sat": "sábado",
        "sun": "domingo",
    },
}


def asked_days(text: str, timezone: str = "UTC", now: datetime | None = None) -> list[str]:
    """The weekday keys ("mon".."sun") a message asks about, in order, each once."""
    days: list[str] = []
    for word in _WORD.findall(text.lower()):
        key = _WORD_TO_DAY.get(word)
        # "sun" and "sat" are also words ("in the sun"); take them only in short messages.
        if key and (len(word) > 3 or len(text.split()) <= 6) and key not in days:
            days.append(key)
    if _TODAY.search(text) or _TOMORROW.search(text):
        local = now or _now(timezone)
        if _TOMORROW.search(text) and not re.search(r"\bpor la mañana\b", text, re.I):
            local += timedelta(days=1)
        key = WEEKDAYS[local.weekday()][0]
        if key not in days:
            days.append(key)
    if _WEEKEND.search(text):
        days += [d for d in ("sat", "sun") if d not in days]
    if _WEEKDAYS.search(text):
        days += [d for d in ("mon", "tue", "wed", "thu", "fri") if d not in days]
    return days


def _now(timezone: str) -> datetime:
    try:
        return datetime.now(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.now(ZoneInfo("UTC"))


def clock(value: str, country: str) -> str:
    """ "15:00" as the country writes it."""
    hour, minute = (int(part) for part in value.split(":"))
    if country.upper() not in TWELVE_HOUR_COUNTRIES:
        return f"{hour:02d}:{minute:02d}"
    suffix = "am" if hour < 12 else "pm"
    return f"{(hour % 12) or 12}:{minute:02d} {suffix}"


def day_hours(
    hours: dict[str, list[dict[str, str]]], day: str, language: str, country: str
) -> tuple[str, str, str]:
    """``(day name, "09:00-17:00" or "", the next open day's "name at time" or "")``."""
    names = DAY_NAMES.get(language, DAY_NAMES["en"])
    intervals = hours.get(day) or []
    words = ("de", "a", " y ") if language == "es" else ("from", "to", " and ")
    spans = words[2].join(
        f"{words[0]} {clock(i['start'], country)} {words[1]} {clock(i['end'], country)}"
        for i in intervals
    )
    following = ""
    if not intervals:
        keys = [key for key, _ in WEEKDAYS]
        start = keys.index(day)
        for offset in range(1, 8):
            later = keys[(start + offset) % 7]
            if hours.get(later):
                at = clock(hours[later][0]["start"], country)
                following = f"{names[later]} {'a las' if language == 'es' else 'at'} {at}"
                break
    return names[day], spans, following


def week_lines(hours: dict[str, list[dict[str, str]]], language: str, country: str) -> list[str]:
    """The whole week, one line a day ("Monday: 9:00 am-5:00 pm")."""
    names = DAY_NAMES.get(language, DAY_NAMES["en"])
    closed = "cerrado" if language == "es" else "closed"
    lines = []
    for key, _label in WEEKDAYS:
        spans = ", ".join(
            f"{clock(i['start'], country)}-{clock(i['end'], country)}" for i in hours.get(key) or []
        )
        name = names[key]
        lines.append(f"{name[:1].upper()}{name[1:]}: {spans or closed}")
    return lines
