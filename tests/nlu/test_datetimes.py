"""The date/time extractor and resolver on phrasings written for these tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from frontdesk.nlu.datetime_resolve import (
    ResolvedDateTime,
    read_clock,
    resolve_date,
    resolve_datetimes,
)
from frontdesk.nlu.datetimes import DateTimeSpan, find_datetime_spans

JOBURG = "Africa/Johannesburg"
NEW_YORK = "America/New_York"
# Wednesday 5 March 2025, 10:00 in Johannesburg (UTC+2, no DST).
NOW = datetime(2025, 3, 5, 10, 0, tzinfo=ZoneInfo(JOBURG))


def spans(text: str, *requested: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in find_datetime_spans(text, requested)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Could we move it to Thursday the 9th?", [("date", "Thursday the 9th")]),
        ("Pencil me in for 14 June please", [("date", "14 June")]),
        ("what about Sat, 7 Jun 2025", [("date", "Sat, 7 Jun 2025")]),
        ("I'd prefer the 3rd of November", [("date", "3rd of November")]),
        ("maybe October 2nd, 2026?", [("date", "October 2nd, 2026")]),
        ("book it for 2025/11/30", [("date", "2025/11/30")]),
        ("on 12/4 if possible", [("date", "12/4")]),
        ("the day after tomorrow", [("date", "day after tomorrow")]),
        ("somewhere in 3 weeks", [("date", "in 3 weeks")]),
        ("ten days from now works", [("date", "ten days from now")]),
        ("next Wednesday, thanks", [("date", "next Wednesday")]),
        ("this coming Monday", [("date", "coming Monday")]),
        ("the last Friday of next month", [("date", "last Friday of next month")]),
        ("I'll be there at 6:15pm", [("time", "6:15pm")]),
        ("around 8ish", [("time", "8ish")]),
        ("at 9 o'clock", [("time", "9")]),
        ("twenty to nine", [("time", "twenty to nine")]),
        ("can you do half past four", [("time", "half past four")]),
        ("5 minutes after 3", [("time", "5 minutes after 3")]),
        ("at 1845", [("time", "1845")]),
        ("we land at 16h", [("time", "16h")]),
        ("at seven in the evening", [("time", "seven in the evening")]),
        ("lunch at 11:45 am", [("time", "11:45")]),  # lunch-hour am stays outside the span
        ("dinner at 8:15 pm", [("time", "8:15 pm")]),
        ("7 p.m. suits us", [("time", "7 p.m.")]),
        ("Book 6pm. Thanks", [("time", "6pm")]),  # the sentence's full stop stays out
        ("a table for 4 at 8 tonight", [("time", "8 tonight"), ("date", "tonight")]),
        (
            "Monday evening at 6 for two",
            [("date", "Monday"), ("time", "evening at 6")],
        ),
        ("Saturday 9 August at 1:30", [("date", "Saturday 9 August"), ("time", "1:30")]),
        ("in half an hour", [("date", "in half an hour"), ("time", "in half an hour")]),
        ("is anything free right now?", [("date", "now"), ("time", "now")]),
    ],
)
def test_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "There are 6 of us",
        "table for 4 please",
        "call me on 021 555 0100",
        "it was $12.50 last time",
        "we'll be 5 people, thanks",
        "I'm calling about my booking",
        "there are only 3 of us now",
    ],
)
def test_no_spans_in_ordinary_numbers(text: str) -> None:
    assert spans(text) == []


def test_offsets_point_back_at_the_text() -> None:
    text = "Hi! Friday 20th at 2pm, or Sunday around noon?"
    found = find_datetime_spans(text)
    assert found == [
        DateTimeSpan("date", 4, 15, "Friday 20th"),
        DateTimeSpan("time", 19, 22, "2pm"),
        DateTimeSpan("date", 27, 33, "Sunday"),
        DateTimeSpan("time", 41, 45, "noon"),
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_requested_slot_turns_a_bare_number_into_a_time() -> None:
    assert spans("13") == []
    assert spans("13", "time") == [("time", "13")]
    assert spans("7 please", "time") == [("time", "7")]
    # Next to a real time, the other number is the party size, not a second time.
    assert spans("8pm for 3", "time") == [("time", "8pm")]
    # When the system asked how many people, "4" is not a time.
    assert spans("4", "people") == []


def test_corrected_times_are_dropped() -> None:
    assert spans("I said 6pm not 7pm") == [("time", "6pm")]
    assert spans("move it from 18:00 to 19:15") == [("time", "19:15")]
    assert spans("make it 1pm instead of 2pm") == [("time", "1pm")]


@pytest.mark.parametrize(
    ("span", "after", "evening", "expected"),
    [
        ("3pm", "", False, (15, 0)),
        ("11:30", " am", False, (11, 30)),
        ("12:15", " PM", False, (12, 15)),
        ("12 am", "", False, (0, 0)),
        ("3", "", False, (15, 0)),  # bare 1-7 are afternoon/evening
        ("9", "", False, (9, 0)),
        ("9", "", True, (21, 0)),  # "tonight at 9"
        ("17:30", "", False, (17, 30)),
        ("5.30pm", "", False, (17, 30)),
        ("quarter to 5", "", False, (16, 45)),
        ("half past two", "", False, (14, 30)),
        ("half nine", "", False, (9, 30)),
        ("twenty past 8", " in the morning", False, (8, 20)),
        ("an hour before 6:30pm", "", False, (17, 30)),
        ("six forty-five", "", False, (18, 45)),
        ("noon", "", False, (12, 0)),
        ("midday", "", False, (12, 0)),
        ("midnight", "", False, (24, 0)),
        ("2030", "", False, (20, 30)),
        ("7 in the morning", "", False, (7, 0)),
        ("night at 10", "", False, (22, 0)),
    ],
)
def test_read_clock(span: str, after: str, evening: bool, expected: tuple[int, int]) -> None:
    assert read_clock(span, after, evening) == expected


def resolved(
    text: str, timezone: str = JOBURG, *, now: datetime = NOW, day_first: bool = False
) -> list[tuple[str, str, str]]:
    results = resolve_datetimes(text, now=now, timezone=timezone, day_first=day_first)
    return [(r.text, r.value.isoformat(), r.grain) for r in results]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Tuesday at 3pm", [("next Tuesday at 3pm", "2025-03-11T15:00:00+02:00", "time")]),
        ("tomorrow morning", [("tomorrow morning", "2025-03-06T09:00:00+02:00", "part_of_day")]),
        ("Friday afternoon", [("Friday afternoon", "2025-03-07T14:00:00+02:00", "part_of_day")]),
        ("tonight", [("tonight", "2025-03-05T18:00:00+02:00", "part_of_day")]),
        ("tonite?", [("tonite", "2025-03-05T18:00:00+02:00", "part_of_day")]),
        ("today", [("today", "2025-03-05T00:00:00+02:00", "day")]),
        ("in two weeks", [("in two weeks", "2025-03-19T00:00:00+02:00", "day")]),
        ("this Friday", [("this Friday", "2025-03-07T00:00:00+02:00", "day")]),
        ("Wednesday", [("Wednesday", "2025-03-05T00:00:00+02:00", "day")]),  # today counts
        ("next Wednesday", [("next Wednesday", "2025-03-12T00:00:00+02:00", "day")]),
        ("next week", [("next week", "2025-03-10T00:00:00+02:00", "day")]),
        ("Dec 3rd", [("Dec 3rd", "2025-12-03T00:00:00+02:00", "day")]),
        ("Feb 3rd", [("Feb 3rd", "2026-02-03T00:00:00+02:00", "day")]),  # already past
        ("3/12", [("3/12", "2025-03-12T00:00:00+02:00", "day")]),
        (
            "on the 5th at half past two",
            [("5th at half past two", "2025-03-05T14:30:00+02:00", "time")],
        ),
        ("the 4th", [("4th", "2025-04-04T00:00:00+02:00", "day")]),  # next 4th
        ("at noon", [("noon", "2025-03-05T12:00:00+02:00", "time")]),
        ("midday", [("midday", "2025-03-05T12:00:00+02:00", "time")]),
        ("quarter to 5", [("quarter to 5", "2025-03-05T16:45:00+02:00", "time")]),
        ("17:30", [("17:30", "2025-03-05T17:30:00+02:00", "time")]),
        ("5.30pm", [("5.30pm", "2025-03-05T17:30:00+02:00", "time")]),
        ("at 9:15", [("9:15", "2025-03-06T09:15:00+02:00", "time")]),  # past: tomorrow
        ("in an hour", [("in an hour", "2025-03-05T11:00:00+02:00", "time")]),
        ("tomorrow night at 9", [("tomorrow night at 9", "2025-03-06T21:00:00+02:00", "time")]),
        ("3 Tuesdays from now", [("3 Tuesdays from now", "2025-03-25T00:00:00+02:00", "day")]),
        (
            "Saturday or Sunday at 4",
            [
                ("Saturday", "2025-03-08T00:00:00+02:00", "day"),
                ("Sunday at 4", "2025-03-09T16:00:00+02:00", "time"),
            ],
        ),
    ],
)
def test_resolve_in_johannesburg(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert resolved(text) == expected


def test_day_first_dates() -> None:
    assert resolved("3/12", day_first=True)[0][1] == "2025-12-03T00:00:00+02:00"
    # 25 cannot be a month, so the order is settled whatever the setting.
    assert resolved("25/12")[0][1] == "2025-12-25T00:00:00+02:00"


def test_resolved_values_are_aware_and_in_the_workspace_zone() -> None:
    utc_now = datetime(2025, 3, 5, 8, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Johannesburg
    [result] = resolve_datetimes("tomorrow at 7pm", now=utc_now, timezone=JOBURG)
    assert result == ResolvedDateTime(
        "tomorrow at 7pm", 0, 15, datetime(2025, 3, 6, 19, 0, tzinfo=ZoneInfo(JOBURG)), "time"
    )
    assert result.value.utcoffset() is not None
    assert str(result.value.tzinfo) == JOBURG
    # The same wall-clock request means a different instant in New York.
    [ny] = resolve_datetimes("tomorrow at 7pm", now=utc_now, timezone=NEW_YORK)
    assert ny.value.isoformat() == "2025-03-06T19:00:00-05:00"


def test_new_york_across_the_spring_dst_change() -> None:
    # Saturday 8 March 2025, 23:30 EST; clocks jump from 02:00 to 03:00 on Sunday the 9th.
    now = datetime(2025, 3, 8, 23, 30, tzinfo=ZoneInfo(NEW_YORK))
    got = resolved("tomorrow at 7pm", NEW_YORK, now=now)
    assert got == [("tomorrow at 7pm", "2025-03-09T19:00:00-04:00", "time")]
    # Elapsed time: three hours after 23:30 EST is 03:30 EDT, not 02:30.
    assert resolved("in 3 hours", NEW_YORK, now=now)[0][1] == "2025-03-09T03:30:00-04:00"
    # 02:30 never happens that night; it is moved past the jump.
    assert resolved("tomorrow at 2:30 am", NEW_YORK, now=now)[0][1] == ("2025-03-09T03:30:00-04:00")
    # A date on the far side of the change keeps its wall time.
    assert resolved("Sunday at noon", NEW_YORK, now=now)[0][1] == "2025-03-09T12:00:00-04:00"


def test_new_york_across_the_autumn_dst_change() -> None:
    now = datetime(2025, 11, 1, 12, 0, tzinfo=ZoneInfo(NEW_YORK))  # Saturday, EDT
    assert resolved("tomorrow at 9", NEW_YORK, now=now)[0][1] == "2025-11-02T09:00:00-05:00"
    assert resolved("today at 9pm", NEW_YORK, now=now)[0][1] == "2025-11-01T21:00:00-04:00"


def test_naive_now_is_wall_time_in_the_workspace_zone() -> None:
    naive = datetime(2025, 3, 5, 10, 0)
    assert resolved("in 30 minutes", now=naive)[0][1] == "2025-03-05T10:30:00+02:00"


def test_resolve_date_edge_cases() -> None:
    wednesday = NOW.date()

    def iso(text: str, today: date = wednesday) -> str:
        return str(resolve_date(text, today))

    assert iso("31st") == "2025-03-31"
    assert iso("31st", date(2025, 4, 2)) == "2025-05-31"  # April has no 31st
    assert iso("Feb 30") == "None"
    assert iso("Friday the 14th") == "2025-03-14"
    assert iso("Thursday the 3rd") == "2025-04-03"  # the next 3rd that is a Thursday
    assert iso("last day of March") == "2025-03-31"
    assert iso("in a month", date(2025, 1, 31)) == "2025-02-28"
    assert iso("this weekend") == "2025-03-08"
    assert iso("next weekend") == "2025-03-15"
    assert iso("in 2 weeks and 3 days") == "2025-03-22"
    assert iso("Sun, 05 Aug 2018") == "2018-08-05"
    assert iso("2018/04/18") == "2018-04-18"
    assert iso("08/01/2018") == "2018-08-01"
    assert iso("tomorrow") == "2025-03-06"
    assert iso("christmas") == "2025-12-25"
    assert iso("new year's eve") == "2025-12-31"
    assert iso("new year's day") == "2026-01-01"
    assert iso("August the 20th this year") == "2025-08-20"
    assert iso("Feb 2nd this year") == "2025-02-02"  # said explicitly, so not next year


def test_resolver_is_importable_from_the_extractor_module() -> None:
    # Callers (understand, the latency bench) import both from ``frontdesk.nlu.datetimes``.
    from frontdesk.nlu import datetimes

    assert datetimes.ResolvedDateTime is ResolvedDateTime
    got = datetimes.resolve_datetimes("Friday at 2", now=NOW, timezone=JOBURG)
    assert got == resolve_datetimes("Friday at 2", now=NOW, timezone=JOBURG)
    assert got[0].value.isoformat() == "2025-03-07T14:00:00+02:00"
