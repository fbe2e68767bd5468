"""Booking mail wording: a booking's local time written the business's way, in English or
Spanish, and each message's sentences.

The clock follows the business's country as the assistant's hours answer does
(``assistant/hours_answer.clock``: "3:00 pm" in the United States, "15:00" in Spain), so a
customer reads the same time in the chat and in the mail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from frontdesk.assistant.hours_answer import TWELVE_HOUR_COUNTRIES, clock

Language = Literal["en", "es"]
Kind = Literal["confirmed", "moved", "cancelled", "reminder"]

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "es": (
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
    ),
}
MONTH_FIRST_COUNTRIES = frozenset({"US", "CA", "PH"})  # "Tuesday, December 9"


def time_of_day(moment: datetime, country: str) -> str:
    return clock(f"{moment.hour}:{moment.minute:02d}", country)


def day(moment: datetime, language: Language, country: str, *, with_year: bool = False) -> str:
    """ "Tuesday 9 December" / "martes 9 de diciembre" (with the year when asked)."""
    weekday = WEEKDAYS[language][moment.weekday()]
    month = MONTHS[language][moment.month - 1]
    if language == "es":
        text = f"{weekday} {moment.day} de {month}"
        return f"{text} de {moment.year}" if with_year else text
    if country.upper() in MONTH_FIRST_COUNTRIES:
        text = f"{weekday}, {month} {moment.day}"
        return f"{text}, {moment.year}" if with_year else text
    text = f"{weekday} {moment.day} {month}"
    return f"{text} {moment.year}" if with_year else text


def hour(moment: datetime, language: Language, country: str) -> str:
    """ "3:00 pm"; in Spanish with its article: "las 15:00", "la 1:00" (one o'clock)."""
    at = time_of_day(moment, country)
    if language != "es":
        return at
    twelve_hour = country.upper() in TWELVE_HOUR_COUNTRIES
    one = moment.hour == 1 or (twelve_hour and moment.hour == 13)
    return f"la {at}" if one else f"las {at}"


def when(moment: datetime, language: Language, country: str, *, with_year: bool = False) -> str:
    """ "Tuesday 9 December at 3:00 pm" / "martes 9 de diciembre a las 15:00"."""
    on = day(moment, language, country, with_year=with_year)
    joiner = "a" if language == "es" else "at"
    return f"{on} {joiner} {hour(moment, language, country)}"


def zone_label(timezone: str, language: Language) -> str:
    """ "Madrid time" / "hora de Madrid", from the zone's IANA name."""
    city = timezone.rsplit("/", 1)[-1].replace("_", " ")
    if timezone.upper() in ("UTC", "ETC/UTC", ""):
        return "UTC"
    return f"hora de {city}" if language == "es" else f"{city} time"


# Each kind's sentences; {service}, {staff_part}, {business}, {when}, {until}, {zone},
# {previous} are filled in by booking_mail.py.
SUBJECTS: dict[str, dict[str, str]] = {
    "en": {
        "confirmed": "Booked: {service} on {when}",
        "moved": "Moved: {service} is now on {when}",
        "cancelled": "Cancelled: {service} on {when}",
        "reminder": "Reminder: {service} on {when}",
    },
    "es": {
        "confirmed": "Reserva confirmada: {service}, {when}",
        "moved": "Cita cambiada: {service}, ahora el {when}",
        "cancelled": "Cita cancelada: {service}, {when}",
        "reminder": "Recordatorio: {service}, {when}",
    },
}
LEADS: dict[str, dict[str, str]] = {
    "en": {
        "confirmed": "Your {service}{staff_part} at {business} is booked for {when} "
        "(until {until}, {zone}).",
        "moved": "Your {service}{staff_part} at {business} has moved from {previous} to "
        "{when} (until {until}, {zone}).",
        "moved_unknown": "Your {service}{staff_part} at {business} has moved to {when} "
        "(until {until}, {zone}).",
        "cancelled": "Your {service}{staff_part} at {business} on {when} ({zone}) has been "
        "cancelled.",
        "reminder": "A reminder: your {service}{staff_part} at {business} is on {when} "
        "(until {until}, {zone}).",
    },
    "es": {
        "confirmed": "Su cita de {service}{staff_part} en {business} está reservada para el "
        "{when} (hasta {until}, {zone}).",
        "moved": "Su cita de {service}{staff_part} en {business} ha pasado del {previous} al "
        "{when} (hasta {until}, {zone}).",
        "moved_unknown": "Su cita de {service}{staff_part} en {business} ha pasado al {when} "
        "(hasta {until}, {zone}).",
        "cancelled": "Su cita de {service}{staff_part} en {business} del {when} ({zone}) ha "
        "sido cancelada.",
        "reminder": "Le recordamos su cita de {service}{staff_part} en {business} el {when} "
        "(hasta {until}, {zone}).",
    },
}
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "hello": "Hello {name},",
        "hello_nameless": "Hello,",
        "with": " with {staff}",
        "where": "Where: {address}",
        "manage": "To move or cancel it: {url}",
        "book_again": "To book another time: {url}",
        "invite": "The attached invite puts it in your calendar.",
        "invite_cancel": "The attached update takes it out of your calendar.",
        "summary": "{service} at {business}",
        "staff_line": "With {staff}.",
        "manage_line": "Move or cancel: {url}",
        "attachment": "invite.ics",
    },
    "es": {
        "hello": "Hola, {name}:",
        "hello_nameless": "Hola:",
        "with": " con {staff}",
        "where": "Dónde: {address}",
        "manage": "Para cambiarla o cancelarla: {url}",
        "book_again": "Para reservar otra hora: {url}",
        "invite": "La invitación adjunta la añade a su calendario.",
        "invite_cancel": "La actualización adjunta la quita de su calendario.",
        "summary": "{service} en {business}",
        "staff_line": "Con {staff}.",
        "manage_line": "Cambiar o cancelar: {url}",
        "attachment": "invitacion.ics",
    },
}
