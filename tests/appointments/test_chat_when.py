"""Times as a customer says them while booking, read against what the conversation holds:
the day under discussion, the time under discussion, the slots just offered."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.appointments.chat_when import Asked, ordinal, pick_offered, read_when

ZONE = "America/New_York"
# Friday 4 December 2026, 10:00 in New York.
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo(ZONE))
TUESDAY_3PM = datetime(2026, 12, 8, 15, 0, tzinfo=ZoneInfo(ZONE))


def read(text: str, **context: object) -> Asked | None:
    return read_when(text, now=NOW, timezone=ZONE, **context)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "day", "clock", "part"),
    [
        ("a cleaning next Tuesday at 3pm", date(2026, 12, 8), time(15), ""),
        ("next tuesday at 3", date(2026, 12, 8), time(15), ""),
        ("tmrw morning", date(2026, 12, 5), None, "morning"),
        ("half past four on Thursday", date(2026, 12, 10), time(16, 30), ""),
        ("the 14th", date(2026, 12, 14), None, ""),
        ("can we move it to Thursday at 2 instead?", date(2026, 12, 10), time(14), ""),
        ("friday afternoon", date(2026, 12, 4), None, "afternoon"),
        # Spanish: tomorrow is not the morning, the morning is not tomorrow.
        ("el martes a las 3", date(2026, 12, 8), time(15), ""),
        ("mañana por la mañana", date(2026, 12, 5), None, "morning"),
        ("mañana a las 10", date(2026, 12, 5), time(10), ""),
        ("el jueves a las 11 de la mañana", date(2026, 12, 10), time(11), ""),
        ("el viernes a las 4 y media", date(2026, 12, 4), time(16, 30), ""),
        ("el lunes 14 a las 11", date(2026, 12, 14), time(11), ""),
        ("el 14", date(2026, 12, 14), None, ""),
        ("pasado mañana por la tarde", date(2026, 12, 6), None, "afternoon"),
        ("a las 5 menos cuarto", date(2026, 12, 4), time(16, 45), ""),
    ],
)
def test_days_times_and_parts_of_days(text: str, day: date, clock: time | None, part: str) -> None:
    assert read(text) == Asked(day=day, clock=clock, part=part)


def test_same_time_next_week_is_a_week_after_the_time_under_discussion() -> None:
    assert read("same time next week", reference=TUESDAY_3PM) == Asked(date(2026, 12, 15), time(15))
    assert read("can we push it to next week?", reference=TUESDAY_3PM) == Asked(
        date(2026, 12, 15), time(15)
    )
    spanish = read("¿a la misma hora la semana que viene?", reference=TUESDAY_3PM)
    assert spanish == Asked(date(2026, 12, 15), time(15))
    assert read("same time on Friday", reference=TUESDAY_3PM) == Asked(date(2026, 12, 4), time(15))
    # With nothing under discussion, next week is next week's Monday, to offer slots on.
    assert read("same time next week") == Asked(day=date(2026, 12, 7))


def test_a_bare_time_falls_on_the_day_under_discussion() -> None:
    wednesday = date(2026, 12, 9)
    assert read("3:30 works", known_day=wednesday) == Asked(wednesday, time(15, 30))
    assert read("3", known_day=wednesday, asked_time=True) == Asked(wednesday, time(15))
    assert read("at 11", known_day=wednesday) == Asked(wednesday, time(11))
    # With no day under discussion: its next occurrence (still ahead today).
    assert read("at 3pm") == Asked(date(2026, 12, 4), time(15))
    assert read("at 9am") == Asked(date(2026, 12, 5), time(9))


def test_a_weekday_alone_is_in_the_week_under_discussion() -> None:
    thursday_10th = date(2026, 12, 10)
    assert read("actually Friday instead", known_day=thursday_10th) == Asked(date(2026, 12, 11))
    assert read("what about friday at 3", known_day=date(2026, 12, 14)) == Asked(
        date(2026, 12, 18), time(15)
    )
    assert read("or monday?", known_day=date(2026, 12, 7)) == Asked(date(2026, 12, 7))
    # Never a day gone by, and "this Friday" / a date number are taken as said.
    assert read("this friday", known_day=thursday_10th) == Asked(date(2026, 12, 4))
    assert read("friday the 18th", known_day=thursday_10th) == Asked(date(2026, 12, 18))


def test_no_time_in_a_message_is_none() -> None:
    assert read("I'd like a cleaning please") is None
    assert read("Ana Silva") is None
    assert read("yes") is None


OFFERED = [
    datetime(2026, 12, 8, 14, 30, tzinfo=ZoneInfo(ZONE)),
    datetime(2026, 12, 8, 15, 30, tzinfo=ZoneInfo(ZONE)),
    datetime(2026, 12, 9, 15, 0, tzinfo=ZoneInfo(ZONE)),
]


@pytest.mark.parametrize(
    ("text", "chosen"),
    [
        ("the second one", 1),
        ("first one please", 0),
        ("la primera", 0),
        ("la segunda, por favor", 1),
        ("the last one", 2),
        ("3:30 works", 1),
        ("2:30", 0),
        ("3pm on wednesday", 2),
        ("the earliest", 0),
        ("ok", None),
        ("4pm", None),  # not offered: a new wish, read by read_when
    ],
)
def test_choosing_among_offered_slots(text: str, chosen: int | None) -> None:
    picked = pick_offered(text, OFFERED, timezone=ZONE, now=NOW)
    assert picked == (OFFERED[chosen] if chosen is not None else None)


def test_ordinals_name_a_listed_thing() -> None:
    assert ordinal("the third one", 3) == 2
    assert ordinal("option 2", 3) == 1
    assert ordinal("la segunda", 3) == 1
    assert ordinal("the third one", 2) is None
    assert ordinal("a cleaning", 3) is None
