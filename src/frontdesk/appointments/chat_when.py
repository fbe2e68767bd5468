"""What a customer means by a time while booking: a day, a part of a day or an exact time,
read against what the conversation already holds.

The NLU resolver (``nlu/datetime_resolve.py``) reads English dates on their own; a booking
adds context it cannot know. "3:30 works" after slots were offered on Tuesday means Tuesday;
"same time next week" is a week after the time being discussed; "tmrw morning" is a part of
a day to offer slots in, not 9:00 sharp; a bare "3" answers "what time?". Spanish dates
("el martes a las 3 de la tarde", "mañana por la mañana", "el 14") are read here, with the
resolver's own guesses: hours 1-7 without am/pm are afternoon, 8-11 morning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.nlu.datetimes import ResolvedDateTime, find_datetime_spans, resolve_datetimes

PARTS = {
    "morning": (time(0), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(17), time(23, 59)),
}


@dataclass(frozen=True)
class Asked:
    """A wish for a time: ``day`` and ``clock`` make an exact time; ``part`` narrows a day."""

    day: date | None = None
    clock: time | None = None
    part: str = ""

    @property
    def exact(self) -> bool:
        return self.day is not None and self.clock is not None


def plain(text: str) -> str:
    """Lower case without accents: "Miércoles" and "miercoles" read the same."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


_SAME_TIME = re.compile(r"\b(?:same\s+time|at\s+that\s+time|misma\s+hora)\b", re.I)
_SAME_DAY = re.compile(r"\b(?:same\s+day|that\s+day|mismo\s+dia|ese\s+dia)\b", re.I)
_NEXT_WEEK = re.compile(
    r"\b(?:next\s+week|the\s+week\s+after|a\s+week\s+later|semana\s+que\s+viene|"
    r"proxima\s+semana|semana\s+proxima|siguiente\s+semana)\b",
    re.I,
)
_DAY_OR_CLOCK = re.compile(
    r"\d|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b|\b(?:lunes|martes|miercoles|jueves|"
    r"viernes|sabado|domingo|morning|afternoon|evening|manana|tarde)\b"
)
_PART_WORDS = (
    (
        re.compile(r"\b(?:morning|por\s+la\s+manana)\b", re.I),
        "morning",
    ),
    (re.compile(r"\b(?:afternoon|por\s+la\s+tarde|after\s+lunch)\b", re.I), "afternoon"),
    (re.compile(r"\b(?:evening|tonight|por\s+la\s+noche)\b", re.I), "evening"),
)

# --- Spanish -------------------------------------------------------------------------------
_ES_WEEKDAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
_ES_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_ES_NUMBERS = {
    "una": 1,
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
}
_ES_NUMBER = r"(\d{1,2}|" + "|".join(_ES_NUMBERS) + r")"
_ES_CLOCK = re.compile(
    r"\b(?:a\s+)?(?:las?|sobre\s+las?|tipo)\s+" + _ES_NUMBER + r"(?:[:.h](\d{2}))?"
    r"(?:\s+(y\s+media|y\s+cuarto|menos\s+cuarto))?"
    r"(?:\s+(?:de\s+la|por\s+la|en\s+la)\s+(manana|tarde|noche)|\s*(am|pm|hs?)\b)?",
    re.I,
)
_ES_BARE_CLOCK = re.compile(r"\b(\d{1,2})[:.](\d{2})\b")
_ES_WEEKDAY = re.compile(r"\b(" + "|".join(_ES_WEEKDAYS) + r")\b")
_ES_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+de\s+(" + "|".join(_ES_MONTHS) + r")\b")
_ES_DAY_NUMBER = re.compile(
    r"\b(?:el|dia|"
    + "|".join(_ES_WEEKDAYS)
    + r")\s+(\d{1,2})\b(?![:.]\d)(?!\s*(?:de\s+la|y\s|h\b))"
)
SPANISH_HINT = re.compile(
    r"\b(?:manana|hoy|pasado|lunes|martes|miercoles|jueves|viernes|sabado|domingo|"
    r"a\s+las?|semana|tarde|cita|reservar|quiero|puedo|para\s+el|el\s+(?:dia\s+)?\d+)\b"
)


def _spanish_day(lowered: str, today: date) -> tuple[date | None, bool]:
    """The day a Spanish message names, and whether it named one at all."""
    if re.search(r"\bpasado\s+manana\b", lowered):
        return today + timedelta(days=2), True
    # "mañana" is tomorrow unless it is the morning ("por la mañana", "de la mañana").
    if re.search(r"(?<!la\s)\bmanana\b", lowered):
        return today + timedelta(days=1), True
    if re.search(r"\bhoy\b", lowered):
        return today, True
    match = _ES_DAY_MONTH.search(lowered)
    if match:
        month = _ES_MONTHS.index(match.group(2)) + 1
        for year in (today.year, today.year + 1):
            try:
                found = date(year, month, int(match.group(1)))
            except ValueError:
                return None, True
            if found >= today:
                return found, True
    match = _ES_WEEKDAY.search(lowered)
    if match and not _ES_DAY_NUMBER.search(lowered):
        weekday = _ES_WEEKDAYS.index(match.group(1))
        ahead = (weekday - today.weekday()) % 7
        if _NEXT_WEEK.search(lowered) and not re.search(r"\bproximo\b", lowered):
            ahead = ahead + 7 if ahead < 7 - today.weekday() else ahead
        return today + timedelta(days=ahead), True
    match = _ES_DAY_NUMBER.search(lowered)
    if match and 1 <= int(match.group(1)) <= 31:
        number = int(match.group(1))
        for months_ahead in range(3):
            month0 = today.month - 1 + months_ahead
            try:
                found = date(today.year + month0 // 12, month0 % 12 + 1, number)
            except ValueError:
                continue
            if found >= today:
                return found, True
    if _NEXT_WEEK.search(lowered):
        return today + timedelta(days=7 - today.weekday()), True
    return None, False


def _spanish_clock(lowered: str, bare: bool) -> time | None:
    match = _ES_CLOCK.search(lowered)
    if match:
        raw, minutes, fraction, part, suffix = match.groups()
        hour = int(raw) if raw.isdigit() else _ES_NUMBERS[raw]
        minute = int(minutes or 0)
        if fraction == "y media":
            minute = 30
        elif fraction == "y cuarto":
            minute = 15
        elif fraction == "menos cuarto":
            hour, minute = hour - 1, 45
        if part in ("tarde", "noche") or suffix == "pm":
            hour = hour + 12 if hour < 12 else hour
        elif part != "manana" and suffix != "am" and 1 <= hour <= 7:
            hour += 12  # "a las 3": nobody books at three in the morning
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return time(hour, minute)
    match = _ES_BARE_CLOCK.search(lowered)
    if match and int(match.group(1)) <= 23 and int(match.group(2)) <= 59:
        hour = int(match.group(1))
        hour = hour + 12 if 1 <= hour <= 7 else hour
        return time(hour, int(match.group(2)))
    if bare:
        number = re.fullmatch(r"\s*(?:a\s+las?\s+)?(\d{1,2})\s*", lowered)
        if number and 1 <= int(number.group(1)) <= 23:
            hour = int(number.group(1))
            return time(hour + 12 if hour <= 7 else hour, 0)
    return None


def _part(lowered: str) -> str:
    for pattern, name in _PART_WORDS:
        if pattern.search(lowered):
            return name
    return ""


def read_spanish(text: str, today: date, *, asked_time: bool = False) -> Asked | None:
    lowered = plain(text)
    day, named = _spanish_day(lowered, today)
    clock = _spanish_clock(lowered, asked_time)
    part = "" if clock else _part(lowered)
    if not (named or clock or part):
        return None
    return Asked(day=day, clock=clock, part=part)


# --- English, through the NLU resolver ---------------------------------------------------


def _part_of(value: datetime) -> str:
    if value.hour < 12:
        return "morning"
    return "afternoon" if value.hour < 17 else "evening"


def read_english(
    text: str, now: datetime, timezone: str, *, asked_time: bool = False
) -> Asked | None:
    requested = ("time",) if asked_time else ()
    found: Sequence[ResolvedDateTime] = resolve_datetimes(
        text, now=now, timezone=timezone, requested_slots=requested
    )
    if not found:
        part = _part(plain(text))
        return Asked(part=part) if part else None
    timed = [d for d in found if d.grain == "time"]
    chosen = timed[-1] if timed else found[-1]
    dated = any(s.kind == "date" for s in find_datetime_spans(text, requested))
    local = chosen.value.astimezone(now.tzinfo) if now.tzinfo else chosen.value
    if chosen.grain == "time":
        return Asked(day=local.date() if dated else None, clock=local.time().replace(second=0))
    if chosen.grain == "part_of_day":
        return Asked(day=local.date(), part=_part_of(local))
    return Asked(day=local.date(), part=_part(plain(text)))


_WEEKDAY_NAME = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|lunes|martes|miercoles|jueves|viernes|"
    r"sabado|domingo)\b"
)
_RELATIVE = re.compile(r"\b(?:this|next|coming|proximo|que\s+viene|today|tomorrow|hoy|manana)\b")
_CLOCKS = re.compile(
    r"\b(?:at|a\s+las?|around|about|by)\s+\d{1,2}(?:[:.]\d{2})?|\d{1,2}[:.]\d{2}|"
    r"\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)"
)


def _bare_weekday(lowered: str) -> bool:
    """A weekday named alone: no "this"/"next", no date number (clock times aside)."""
    if not _WEEKDAY_NAME.search(lowered) or _RELATIVE.search(lowered):
        return False
    return not re.search(r"\d", _CLOCKS.sub(" ", lowered))


def _near(day: date, known_day: date, today: date) -> date:
    """A weekday named alone while another day is under discussion ("Friday instead" after
    Thursday the 10th) is the first one on or after that day: the week being talked about."""
    return max(known_day, today) + timedelta(
        days=(day.weekday() - max(known_day, today).weekday()) % 7
    )


def refers_back(text: str) -> bool:
    """ "the same time", "that day": words that need a time under discussion."""
    lowered = plain(text)
    return bool(_SAME_TIME.search(lowered) or _SAME_DAY.search(lowered))


def read_when(
    text: str,
    *,
    now: datetime,
    timezone: str,
    language: str = "en",
    known_day: date | None = None,
    reference: datetime | None = None,
    asked_time: bool = False,
) -> Asked | None:
    """The time ``text`` asks for. ``now`` is aware, in the business's zone; ``known_day`` is
    the day under discussion (a bare time falls on it); ``reference`` is the time under
    discussion ("same time next week")."""
    lowered = plain(text)
    today = now.date()
    # "push it to next week" with a time under discussion: the same day and time, a week on.
    week_on = bool(_NEXT_WEEK.search(lowered)) and not _DAY_OR_CLOCK.search(lowered)
    if reference is not None and (_SAME_TIME.search(lowered) or week_on):
        if _NEXT_WEEK.search(lowered):
            moved = reference + timedelta(days=7)
            return Asked(day=moved.date(), clock=moved.time().replace(second=0))
        other = read_when(
            _SAME_TIME.sub(" ", text),
            now=now,
            timezone=timezone,
            language=language,
            known_day=known_day,
        )
        if other is not None and other.day is not None:
            return Asked(day=other.day, clock=reference.time().replace(second=0))
    if reference is not None and _SAME_DAY.search(lowered):
        # "a whitening the same day at 2pm": the day under discussion, at the time said.
        other = read_when(
            _SAME_DAY.sub(" ", text),
            now=now,
            timezone=timezone,
            language=language,
            known_day=reference.date(),
            asked_time=True,
        )
        if other is not None and (other.clock or other.part):
            return Asked(day=reference.date(), clock=other.clock, part=other.part)
        return Asked(day=reference.date())
    spanish = language == "es" or bool(SPANISH_HINT.search(lowered))
    asked = read_spanish(text, today, asked_time=asked_time) if spanish else None
    if asked is None:
        asked = read_english(text, now, timezone, asked_time=asked_time)
    if asked is None:
        return None
    if known_day is not None and asked.day is not None and _bare_weekday(lowered):
        asked = Asked(day=_near(asked.day, known_day, today), clock=asked.clock, part=asked.part)
    if asked.day is None and (asked.clock or asked.part) and known_day is not None:
        asked = Asked(day=known_day, clock=asked.clock, part=asked.part)
    if asked.day is None and asked.clock is not None:
        # A time alone is its next occurrence: today while still ahead, else tomorrow.
        moment = datetime.combine(today, asked.clock, now.tzinfo)
        asked = Asked(day=today if moment > now else today + timedelta(days=1), clock=asked.clock)
    return asked


_ORDINALS = (
    r"\b(?:first|1st|primer[ao]?|(?:option|number|opcion|numero|#)\s*1)\b",
    r"\b(?:second|2nd|segund[ao]|(?:option|number|opcion|numero|#)\s*2)\b",
    r"\b(?:third|3rd|tercer[ao]?|(?:option|number|opcion|numero|#)\s*3)\b",
)
_LAST = re.compile(r"\b(?:last|latest|ultim[ao])\b")
_EARLIEST = re.compile(r"\b(?:earliest|soonest|earlier|mas\s+temprano|antes)\b")


def ordinal(text: str, count: int) -> int | None:
    """Which of ``count`` listed things "the second one" / "la primera" means (0-based)."""
    lowered = plain(text)
    for index, pattern in enumerate(_ORDINALS[:count]):
        if re.search(pattern, lowered):
            return index
    return None


def pick_offered(
    text: str, offered: Sequence[datetime], *, timezone: str, now: datetime, language: str = "en"
) -> datetime | None:
    """The offered slot the customer chose: "the second one", "3:30 works", "la primera"."""
    if not offered:
        return None
    lowered = plain(text)
    clock_given = bool(re.search(r"\d[:.]\d|\b\d{1,2}\s*(?:am|pm)\b", lowered))
    index = ordinal(text, len(offered))
    if index is not None and not clock_given:
        return offered[index]
    if _LAST.search(lowered):
        return offered[-1]
    if _EARLIEST.search(lowered) and not re.search(r"\d", lowered):
        return offered[0]
    asked = read_when(
        text,
        now=now,
        timezone=timezone,
        language=language,
        known_day=offered[0].date(),
        asked_time=True,
    )
    if asked is None or asked.clock is None:
        return None
    same_clock = [s for s in offered if s.time().replace(second=0) == asked.clock]
    if asked.day is not None:
        on_day = [s for s in same_clock if s.date() == asked.day]
        if on_day:
            return on_day[0]
    # "3:30 works" when 3:30 was offered on another day than the first one offered.
    return same_clock[0] if len(same_clock) == 1 else None
