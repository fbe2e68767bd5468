"""Turning the date/time spans of one message into absolute datetimes.

``resolve_datetimes`` runs the extractor (``frontdesk.nlu.datetimes``), reads each span with
the small parsers below (no date library: the spans are already narrow and known), and
combines a time with the nearest date in the same message ("next Tuesday ... at 3pm").
Values are aware datetimes in the workspace's zone; the same ``now`` gives the same answer.

Reading rules (chosen for booking conversations; each is a documented guess, not a fact):

* A weekday ("Friday", "this Friday", "coming Friday") is the first such day on or after
  today; "next Friday" is the Friday of next week (weeks start on Monday); "next week" is
  next week's Monday. "The 5th" is the next 5th on or after today; a month and day with
  no year ("Dec 3rd", "3/12") is the next such date on or after today.
* "3/12" is month first (12 March) unless ``day_first=True`` (3 December); a number
  above 12 settles the order either way.
* Without am/pm, hours 1-7 are afternoon/evening (nobody books a table or a haircut at
  3 a.m.), 8-11 are morning and 12 is noon; "in the morning"/"evening", "tonight" and an
  "am"/"pm" just after the span (even when not part of it) override that.
* A time with no date is its next occurrence: today if still ahead, otherwise tomorrow.
* Parts of the day: morning 09:00, afternoon 14:00, evening and "tonight" 18:00, night
  20:00 (grain ``part_of_day``). A bare date has grain ``day`` and the value is its
  midnight; a time (or "in an hour", "now") has grain ``time``.
* Durations in hours or minutes are added to ``now`` in UTC (elapsed time across a DST
  change); day/week/month offsets move the calendar date. A wall time skipped by a
  spring-forward jump is moved forward by the jump (02:30 → 03:30); a repeated one
  (autumn) is its first occurrence.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.nlu.datetimes import (
    MERIDIEM,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    DateTimeSpan,
    Grain,
    ResolvedDateTime,
    find_datetime_spans,
)

__all__ = ["ResolvedDateTime", "read_clock", "resolve_date", "resolve_datetimes"]
PART_OF_DAY_HOURS = {"morning": 9, "afternoon": 14, "evening": 18, "tonight": 18, "night": 20}


# Spelled out rather than taken from ``calendar.month_abbr``, which follows the locale.
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTH_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])", re.I
)
_WEEKDAY_WORD = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)(?!th)[a-z]*", re.I)  # not "month"
_WEEKDAYS = {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_YMD = re.compile(r"\b(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_DAY_NUMBER = re.compile(r"(?<![\d:])(\d{1,2})(?:st|nd|rd|th)?(?![\d:])")
_ORDINAL = re.compile(
    "|".join(sorted((re.escape(w) for w in ORDINAL_WORDS), key=len, reverse=True))
)
_AMOUNT = re.compile(
    r"(\d+|a\s+few|a\s+couple\s+of|couple\s+of|several|few|half\s+an?|an?|"
    r"(?:twenty|thirty|forty|fifty)[\s-](?:one|two|three|four|five|six|seven|eight|nine)|"
    r"[a-z]+)\s+(?:more\s+)?(minute|min|hour|hr|day|week|fortnight|month|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?\b",
    re.I,
)
_NTH_OF_MONTH = re.compile(
    r"(?:last|first|second|third|fourth|\d(?:st|nd|rd|th))\s+"
    r"(?:day|weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s+of\b"
)
_PART_AFTER = re.compile(r"\s+(morning|afternoon|evening|night)\b", re.I)


def read_amount(word: str) -> float | None:
    """'3' → 3, 'twenty one' → 21, 'a couple of' → 2, 'half an' → 0.5, 'a few' → 3."""
    word = re.sub(r"[\s-]+", " ", word.lower())
    if word.isdigit() or word.startswith("half"):
        return int(word) if word.isdigit() else 0.5
    parts = [part for part in word.split() if part not in ("a", "of")] or ["one"]
    if parts[0] in ("an", "couple", "few", "several"):
        return {"an": 1, "couple": 2}.get(parts[0], 3)
    return sum(NUMBER_WORDS[p] for p in parts) if all(p in NUMBER_WORDS for p in parts) else None


def _next_month_day(today: date, month: int, day: int) -> date | None:
    """The first ``month``/``day`` on or after today (None if no such date exists)."""
    for year in (today.year, today.year + 1, today.year + 4):  # + 4: February 29th
        candidate = _safe_date(year, month, day)
        if candidate and candidate >= today:
            return candidate
    return None


def _next_day_of_month(today: date, day: int, weekday: int | None) -> date | None:
    """The next ``day``-th on or after today; with a weekday, the next one that matches."""
    first: date | None = None
    for offset in range(24):
        month0 = today.month - 1 + offset
        year, month = today.year + month0 // 12, month0 % 12 + 1
        if day > calendar.monthrange(year, month)[1]:
            continue
        candidate = date(year, month, day)
        if candidate < today:
            continue
        first = first or candidate
        if weekday is None or candidate.weekday() == weekday:
            return candidate
    return first  # "Thursday the 3rd" when no 3rd is a Thursday soon: trust the number


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _offset_date(lower: str, today: date) -> date | None:
    """'in 2 weeks and 3 days', '6 days from now', '3 Tuesdays from now', '2 weeks from sat'."""
    base = today
    anchor = re.search(r"from\s+(\w+)\s*$", lower)
    if anchor and anchor.group(1) not in ("now", "today"):
        weekday = _WEEKDAY_WORD.match(anchor.group(1))
        if weekday:
            base = _weekday_on_or_after(today, _WEEKDAYS[weekday.group(1).lower()])
    result, found = base, False
    for amount_word, unit in _AMOUNT.findall(lower):
        amount = read_amount(amount_word)
        if amount is None:
            continue
        found, count, unit = True, int(amount), unit.lower()
        if unit.endswith("day") and unit != "day":  # "3 Tuesdays from now"
            result = _weekday_on_or_after(result + timedelta(days=1), _WEEKDAYS[unit[:3]])
            result += timedelta(weeks=count - 1)
        elif unit == "month":
            result = _add_months(result, count)
        else:
            result += timedelta(days=count * {"day": 1, "week": 7, "fortnight": 14}[unit])
    return result if found else None


def resolve_date(text: str, today: date, *, day_first: bool = False) -> date | None:
    """The calendar date a date span means, or None if it cannot be read."""
    lower = text.lower().strip()
    if match := _YMD.search(lower):
        year, month, day = (int(g) for g in match.groups())
        return _safe_date(year, month, day)
    month_word = _MONTH_WORD.search(lower)
    weekday_word = _WEEKDAY_WORD.search(lower)
    weekday = _WEEKDAYS[weekday_word.group(1).lower()] if weekday_word else None
    if (match := _NUMERIC.search(lower)) and not month_word:
        first, second = int(match.group(1)), int(match.group(2))
        month, day = (second, first) if day_first else (first, second)
        if month > 12 >= day:
            month, day = day, month
        if match.group(3):
            year = int(match.group(3))
            return _safe_date(year + 2000 if year < 100 else year, month, day)
        return _next_month_day(today, month, day)
    if re.search(r"\b(?:in|from)\b", lower):
        return _offset_date(lower, today)
    if re.search(r"\btomm?or|\btmrw?\b", lower):
        return today + timedelta(days=2 if "after" in lower else 1)
    if re.search(r"\b(?:today|tonight|tonite|this\s+(?:morning|afternoon|evening)|now)\b", lower):
        return today
    if _NTH_OF_MONTH.match(lower):
        return _nth_of_month(lower, today, month_word)
    if holiday := _holiday(lower, today):
        return holiday
    day_of_month = _day_number(_MONTH_WORD.sub(" ", _YEAR.sub(" ", lower)))
    if month_word:
        month = _MONTHS[month_word.group(1).lower()]
        if day_of_month is None:
            return None
        if year_match := _YEAR.search(lower):
            return _safe_date(int(year_match.group(1)), month, day_of_month)
        if "this year" in lower:
            return _safe_date(today.year, month, day_of_month)
        return _next_month_day(today, month, day_of_month)
    if day_of_month is not None:
        return _next_day_of_month(today, day_of_month, weekday)
    monday = today - timedelta(days=today.weekday())
    if "weekend" in lower:  # its Saturday; "this weekend" said on a Sunday is today
        if lower.startswith("next"):
            return monday + timedelta(days=12)
        return today if today.weekday() == 6 else monday + timedelta(days=5)
    if "week" in lower or (weekday is not None and lower.startswith("next")):
        return monday + timedelta(weeks=1, days=weekday or 0)  # "next week [Monday]", "next Fri"
    return _weekday_on_or_after(today, weekday) if weekday is not None else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_number(lower: str) -> int | None:
    if match := _DAY_NUMBER.search(lower):
        return int(match.group(1)) if 1 <= int(match.group(1)) <= 31 else None
    if match := _ORDINAL.search(lower):
        return ORDINAL_WORDS[match.group()]
    return None


def _nth_of_month(lower: str, today: date, month_word: re.Match[str] | None) -> date | None:
    """'last friday of this month', 'first Saturday of next month', 'last day of March'."""
    if month_word:
        month = _MONTHS[month_word.group(1).lower()]
        year = today.year if (month, 31) >= (today.month, today.day) else today.year + 1
    else:
        start = _add_months(today.replace(day=1), 1 if "next month" in lower else 0)
        year, month = start.year, start.month
    days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    weekday_word = _WEEKDAY_WORD.search(lower.split(" of ")[0])
    if weekday_word and "weekend" not in lower:
        days = [d for d in days if d.weekday() == _WEEKDAYS[weekday_word.group(1).lower()]]
    ordinal = lower.split()[0]
    index = -1 if ordinal == "last" else {"first": 0, "second": 1, "third": 2}.get(ordinal, 3)
    if ordinal[:1].isdigit():
        index = int(ordinal[0]) - 1
    return days[index] if -len(days) <= index < len(days) else None


_HOLIDAYS = {r"year'?s\s+eve": (12, 31), r"new\s+year": (1, 1), r"christmas\s+eve": (12, 24)}
_HOLIDAYS |= {"christmas|xmas": (12, 25), "valentine": (2, 14)}


def _holiday(lower: str, today: date) -> date | None:
    found = next((d for p, d in _HOLIDAYS.items() if re.search(p, lower)), None)
    return _next_month_day(today, *found) if found else None


PM_HOURS = range(1, 8)  # a bare "3" is 15:00 in a booking; "9" stays 09:00
_READ_LEAD = re.compile(r"^(tonight|night|evening|afternoon|morning)\s+(?:at|around)\s+")
_READ_RELATION = re.compile(
    r"^(half|quarter|\d{1,2}|an?|[a-z]+(?:[\s-][a-z]+)?)\s*(minutes?|mins?|hours?)?\s*-?\s*"
    r"\b(past|after|before|till|til|to|of)\s+(.+)$"
)
_QUALIFIER = re.compile(r"\s*(?:-?\s?ish|o'?clock|hrs?|h|in\s+the\s+\w+|at\s+night|tonight)\b")
_DIGIT_CLOCK = re.compile(r"^(\d{1,2})(?:\s?[:.]\s?(\d\d))?$|^(\d{1,2})(\d\d)$")


def read_clock(span: str, after: str = "", evening: bool = False) -> tuple[int, int] | None:
    """(hour, minute) of a time span; hour 24 means midnight at the end of the day.

    ``after`` is the message text right after the span (annotated spans leave a spaced
    "am" out: "[11:30] am"); ``evening`` is set when the date said so ("tonight").
    """
    lower = re.sub(r"\s+", " ", span.lower().strip(" .,!?"))
    if lead := _READ_LEAD.match(lower):
        evening = evening or lead.group(1) != "morning"
        lower = lower[lead.end() :]
    if relation := _READ_RELATION.match(lower):
        amount_word, unit, direction, reference = relation.groups()
        target = read_clock(reference, after, evening)
        amount = {"half": 30, "quarter": 15}.get(amount_word) or read_amount(amount_word)
        if target is None or amount is None:
            return None
        minutes = int(amount * (60 if unit and unit.startswith("hour") else 1))
        sign = -1 if direction in ("before", "till", "til", "to", "of") else 1
        return divmod((target[0] * 60 + target[1] + sign * minutes) % 1440, 60)
    tail = lower + " " + after.lower()[:20]
    meridiem = MERIDIEM.search(lower) or MERIDIEM.match(after)
    marker = meridiem.group(2).lower() if meridiem else None
    if marker is None and re.search(r"\bin the morning\b", tail):
        marker = "a"
    elif marker is None and (evening or re.search(r"afternoon|evening|night", tail)):
        marker = "p"
    core = _QUALIFIER.sub("", MERIDIEM.sub("", lower)).strip(" -")
    if core in ("noon", "midday", "mid-day"):
        return 12, 0
    if core == "midnight":
        return 24, 0
    hour, minute = _clock_numbers(core)
    if hour is None or hour > 24 or minute > 59:
        return None
    if hour > 12 or hour == 0:
        return hour % 24 if hour < 24 else 24, minute
    if marker == "a":
        return (0 if hour == 12 else hour), minute
    if marker == "p" or hour in PM_HOURS:
        return (hour if hour == 12 else hour + 12), minute
    return hour, minute


def _clock_numbers(core: str) -> tuple[int | None, int]:
    """'7:30' → (7, 30); '1930' → (19, 30); 'six forty-five' → (6, 45); 'half nine' → (9, 30)."""
    if match := _DIGIT_CLOCK.match(core):
        hour = match.group(1) or match.group(3)
        return int(hour), int(match.group(2) or match.group(4) or "0")
    words = [w for w in re.split(r"[\s-]+", core) if w and w != "o"]
    half = words[:1] == ["half"]  # British "half nine" is 9:30
    words = words[1:] if half else words
    values = [int(w) if w.isdigit() else NUMBER_WORDS.get(w) for w in words]
    if not values or any(v is None for v in values):
        return None, 0
    return values[0], 30 if half else sum(v for v in values[1:] if v is not None)


def relative_delta(text: str) -> timedelta | None:
    """'in an hour and a half' → 1:30, 'two hours from now' → 2:00, 'now' → 0."""
    lower = text.lower()
    if lower.strip() == "now":
        return timedelta(0)
    match = _AMOUNT.search(lower)
    amount = read_amount(match.group(1)) if match else None
    if match is None or amount is None:
        return None
    minutes = amount * (1 if match.group(2).startswith("min") else 60)
    if re.search(r"and\s+a\s+half", lower):
        minutes += 30 if minutes >= 60 else 0.5
    return timedelta(minutes=minutes)


def part_of_day(span: DateTimeSpan, message: str) -> tuple[str | None, int]:
    """The part of the day a date names and where that phrase ends.

    Either in the span ("tonight", "this evening") or as the next word, which annotators
    leave outside the date ("[tomorrow] morning", "[Friday] evening").
    """
    lower = span.text.lower()
    for name in ("tonight", "tonite", "morning", "afternoon", "evening"):
        if name in lower:
            return ("tonight" if name == "tonite" else name), span.end
    following = _PART_AFTER.match(message, span.end)
    return (following.group(1).lower(), following.end()) if following else (None, span.end)


def _at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    extra, hour = divmod(hour, 24)
    wall = datetime.combine(day + timedelta(days=extra), time(hour, minute), tzinfo=zone)
    # Normalising through UTC moves a wall time that a DST jump skipped past the jump.
    return wall.astimezone(UTC).astimezone(zone)


def resolve_datetimes(
    text: str,
    *,
    now: datetime,
    timezone: str,
    day_first: bool = False,
    requested_slots: Sequence[str] = (),
) -> list[ResolvedDateTime]:
    """Every date/time the message refers to, as aware datetimes in ``timezone``.

    ``now`` may be aware (any zone) or naive (taken as wall time in ``timezone``).
    Each time joins the nearest date span of the same message; dates left without a time
    are returned on their own (grain ``day`` or ``part_of_day``). Unreadable spans are
    skipped. Results are in order of position.
    """
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    today = local_now.date()
    spans = find_datetime_spans(text, requested_slots)
    both = {(s.start, s.end) for s in spans if s.kind == "date"}
    both &= {(s.start, s.end) for s in spans if s.kind == "time"}
    results: list[ResolvedDateTime] = []
    dates: list[tuple[DateTimeSpan, date]] = []
    for span in spans:
        if (span.start, span.end) in both:
            delta = relative_delta(span.text)
            if delta is not None and span.kind == "time":
                instant = (local_now.astimezone(UTC) + delta).astimezone(zone)
                value = instant.replace(second=0, microsecond=0)
                results.append(ResolvedDateTime(span.text, span.start, span.end, value, "time"))
        elif span.kind == "date":
            day = resolve_date(span.text, today, day_first=day_first)
            if day is not None:
                dates.append((span, day))
    used: set[int] = set()
    for span in spans:
        if span.kind != "time" or (span.start, span.end) in both:
            continue
        nearest = min(
            range(len(dates)),
            key=lambda i: max(dates[i][0].start - span.end, span.start - dates[i][0].end, 0),
            default=None,
        )
        part = part_of_day(dates[nearest][0], text)[0] if nearest is not None else None
        evening = part in ("tonight", "evening", "night")
        clock = read_clock(span.text, text[span.end :], evening)
        if clock is None:
            continue
        if nearest is None:
            value = _at(today, *clock, zone)
            value = value if value >= local_now else _at(today + timedelta(days=1), *clock, zone)
            start, end = span.start, span.end
        else:
            used.add(nearest)
            date_span, day = dates[nearest]
            value = _at(day, *clock, zone)
            start, end = min(span.start, date_span.start), max(span.end, date_span.end)
        results.append(ResolvedDateTime(text[start:end], start, end, value, "time"))
    for index, (span, day) in enumerate(dates):
        if index in used:
            continue
        part, end = part_of_day(span, text)
        grain: Grain = "part_of_day" if part else "day"
        hour = PART_OF_DAY_HOURS[part] if part else 0
        value = _at(day, hour, 0, zone)
        results.append(ResolvedDateTime(text[span.start : end], span.start, end, value, grain))
    return sorted(results, key=lambda r: (r.start, r.end))
