"""How long ``calendars/ics.py`` takes to write a calendar feed and an invite.

A feed is written per request of a subscribed calendar (every refresh of every subscriber),
so its cost per event decides how many events a feed should carry and whether it is built
in a thread. Events are half-hour bookings in Europe/Madrid, eight a day, with a summary,
description and location like the booking mails'.

Usage: python bench/ics_feed.py [--events 100 1000 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.calendars import CalendarEvent
from frontdesk.calendars.ics import feed, invite


def bookings(count: int) -> list[CalendarEvent]:
    zone = ZoneInfo("Europe/Madrid")
    first = datetime(2026, 1, 5, 9, 0, tzinfo=zone)
    return [
        CalendarEvent(
            uid=f"appt-{n}@bench.frontdesk",
            start=first + timedelta(days=n // 8, hours=n % 8),
            end=first + timedelta(days=n // 8, hours=n % 8, minutes=30),
            summary=f"Cleaning — Cliente {n}",
            timezone="Europe/Madrid",
            description="With Dr Ruiz.\nMove or cancel: https://desk.example/m/abcdef",
            location="Calle Mayor 1, Madrid",
            sequence=n % 3,
            organizer_email="desk@bench.test",
            attendee_email=f"customer{n}@bench.test",
        )
        for n in range(count)
    ]


def median_ms(action: object, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    events = bookings(max(arguments.events))
    for count in arguments.events:
        chosen = events[:count]
        size = len(feed(chosen, "Bookings"))
        took = median_ms(lambda chosen=chosen: feed(chosen, "Bookings"), arguments.repeat)
        print(
            f"feed of {count:>5} events: {took:7.1f} ms median of {arguments.repeat}, "
            f"{took * 1000 / count:5.0f} µs an event, {size / 1024:7.0f} KiB"
        )
    took = median_ms(lambda: invite(events[0]), max(arguments.repeat, 50))
    print(f"one invite: {took:.2f} ms, {len(invite(events[0]))} bytes")


if __name__ == "__main__":
    main()
