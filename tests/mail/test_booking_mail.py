"""Booking mails: the wording in English and Spanish, the time as the business writes it,
and the invite each one carries (read back by icalendar and vobject, and sent through a
real SMTP server on loopback)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from frontdesk.mail import create_mailer
from frontdesk.mail.booking_mail import BookingNotice, booking_mail
from frontdesk.mail.booking_words import hour, when
from frontdesk.settings import Settings
from tests.mail.smtp_sink import SmtpSink

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # a Friday

NOTICE = BookingNotice(
    business_name="Bright Smile Dental",
    service_name="Cleaning",
    start=datetime(2026, 12, 8, 15, 0, tzinfo=MADRID),  # Tuesday
    end=datetime(2026, 12, 8, 15, 45, tzinfo=MADRID),
    timezone="Europe/Madrid",
    customer_name="Ana Núñez",
    customer_email="ana@example.test",
    uid="appt-6f1c@bright-smile.frontdesk",
    sequence=2,
    business_address="Calle Mayor 1, Madrid",
    staff_name="Dr Ruiz",
    manage_url="https://desk.example/m/abc",
    country="GB",
    business_email="hola@brightsmile.test",
    previous_start=datetime(2026, 12, 7, 10, 0, tzinfo=MADRID),
)


def invite_of(mail_attachments: tuple[object, ...]) -> bytes:
    [attachment] = mail_attachments
    return attachment.data  # type: ignore[attr-defined]


def test_confirmed_in_english() -> None:
    mail = booking_mail("confirmed", NOTICE, now=NOW)
    assert mail.to == ("ana@example.test",)
    assert mail.reply_to == "hola@brightsmile.test"
    assert mail.subject == "Booked: Cleaning on Tuesday 8 December at 15:00"
    assert mail.text.split("\n\n") == [
        "Hello Ana Núñez,",
        "Your Cleaning with Dr Ruiz at Bright Smile Dental is booked for Tuesday 8 December "
        "at 15:00 (until 15:45, Madrid time).",
        "Where: Calle Mayor 1, Madrid",
        "To move or cancel it: https://desk.example/m/abc",
        "The attached invite puts it in your calendar.",
        "— Bright Smile Dental\n",
    ]
    assert mail.html is not None
    assert '<a href="https://desk.example/m/abc">' in mail.html
    assert "Tuesday 8 December at 15:00" in mail.html


def test_a_twelve_hour_country_writes_its_way() -> None:
    notice = replace(
        NOTICE,
        timezone="America/New_York",
        start=datetime(2026, 12, 8, 15, 0, tzinfo=NEW_YORK),
        end=datetime(2026, 12, 8, 15, 45, tzinfo=NEW_YORK),
        previous_start=None,
        country="US",
    )
    mail = booking_mail("reminder", notice, now=NOW)
    assert mail.subject == "Reminder: Cleaning on Tuesday, December 8 at 3:00 pm"
    assert "is on Tuesday, December 8 at 3:00 pm (until 3:45 pm, New York time)." in mail.text


def test_times_are_the_business_local_time_whatever_zone_they_come_in() -> None:
    # Stored in UTC, as the database returns it; Madrid is UTC+2 in summer, +1 in winter.
    summer = replace(
        NOTICE,
        start=datetime(2026, 7, 1, 13, 0, tzinfo=UTC),
        end=datetime(2026, 7, 1, 13, 30, tzinfo=UTC),
    )
    assert (
        "Wednesday 1 July at 15:00 (until 15:30" in booking_mail("confirmed", summer, now=NOW).text
    )
    assert "Tuesday 8 December at 15:00" in booking_mail("confirmed", NOTICE, now=NOW).text


def test_moved_names_both_times() -> None:
    mail = booking_mail("moved", NOTICE, now=NOW)
    assert mail.subject == "Moved: Cleaning is now on Tuesday 8 December at 15:00"
    assert "has moved from Monday 7 December at 10:00 to Tuesday 8 December at 15:00" in mail.text
    unknown = booking_mail("moved", replace(NOTICE, previous_start=None), now=NOW)
    assert "has moved to Tuesday 8 December at 15:00" in unknown.text


def test_cancelled_sends_a_cancel() -> None:
    mail = booking_mail("cancelled", replace(NOTICE, sequence=3), now=NOW)
    assert mail.subject == "Cancelled: Cleaning on Tuesday 8 December at 15:00"
    assert "on Tuesday 8 December at 15:00 (Madrid time) has been cancelled." in mail.text
    assert "To book another time: https://desk.example/m/abc" in mail.text
    assert "Where:" not in mail.text
    [attachment] = mail.attachments
    assert attachment.content_type == "text/calendar; method=CANCEL"
    calendar = vobject.readOne(attachment.data.decode())
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.uid.value == NOTICE.uid
    assert calendar.vevent.status.value == "CANCELLED"
    assert int(calendar.vevent.sequence.value) == 3


def test_spanish() -> None:
    notice = replace(NOTICE, language="es", service_name="Limpieza", country="ES")
    confirmed = booking_mail("confirmed", notice, now=NOW)
    assert confirmed.subject == "Reserva confirmada: Limpieza, martes 8 de diciembre a las 15:00"
    assert confirmed.text.startswith("Hola, Ana Núñez:\n\nSu cita de Limpieza con Dr Ruiz en ")
    assert "reservada para el martes 8 de diciembre a las 15:00 (hasta las 15:45, hora de " in (
        confirmed.text
    )
    assert "Para cambiarla o cancelarla: https://desk.example/m/abc" in confirmed.text
    assert confirmed.attachments[0].filename == "invitacion.ics"
    moved = booking_mail("moved", notice, now=NOW)
    assert "ha pasado del lunes 7 de diciembre a las 10:00 al martes 8 de diciembre" in moved.text
    reminder = booking_mail("reminder", notice, now=NOW)
    assert reminder.subject == "Recordatorio: Limpieza, martes 8 de diciembre a las 15:00"
    cancelled = booking_mail("cancelled", notice, now=NOW)
    assert "del martes 8 de diciembre a las 15:00 (hora de Madrid) ha sido cancelada." in (
        cancelled.text
    )
    invite = icalendar.Calendar.from_ical(invite_of(confirmed.attachments))
    [event] = invite.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Limpieza en Bright Smile Dental"


def test_spanish_says_la_for_one_oclock() -> None:
    one_pm = datetime(2026, 12, 8, 13, 0, tzinfo=MADRID)
    assert hour(one_pm, "es", "ES") == "las 13:00"
    assert hour(one_pm, "es", "US") == "la 1:00 pm"
    assert when(one_pm.replace(hour=1), "es", "ES") == "martes 8 de diciembre a la 01:00"


def test_the_year_is_written_when_it_is_not_this_year() -> None:
    later = replace(
        NOTICE,
        start=datetime(2027, 1, 12, 9, 0, tzinfo=MADRID),
        end=datetime(2027, 1, 12, 9, 30, tzinfo=MADRID),
    )
    assert booking_mail("confirmed", later, now=NOW).subject == (
        "Booked: Cleaning on Tuesday 12 January 2027 at 09:00"
    )
    spanish = booking_mail("confirmed", replace(later, language="es"), now=NOW)
    assert "martes 12 de enero de 2027 a las 09:00" in spanish.subject


def test_the_invite_parses_and_describes_the_booking() -> None:
    mail = booking_mail("confirmed", NOTICE, now=NOW)
    [attachment] = mail.attachments
    assert attachment.filename == "invite.ics"
    assert attachment.content_type == "text/calendar; method=REQUEST"
    [event] = icalendar.Calendar.from_ical(attachment.data).walk("VEVENT")
    assert event["UID"] == NOTICE.uid
    assert event["SEQUENCE"] == 2
    assert event.decoded("DTSTART") == NOTICE.start
    assert event.decoded("DTEND") == NOTICE.end
    assert str(event["SUMMARY"]) == "Cleaning at Bright Smile Dental"
    assert str(event["LOCATION"]) == "Calle Mayor 1, Madrid"
    assert str(event["ORGANIZER"]) == "mailto:hola@brightsmile.test"
    assert str(event["ATTENDEE"]) == "mailto:ana@example.test"
    parsed = vobject.readOne(attachment.data.decode()).vevent
    assert parsed.description.value == "With Dr Ruiz.\nMove or cancel: https://desk.example/m/abc"
    assert parsed.attendee.params["CN"] == ["Ana Núñez"]


def test_the_organizer_falls_back_to_the_sender_and_is_required() -> None:
    nameless = replace(NOTICE, business_email="")
    mail = booking_mail("confirmed", nameless, organizer_email="desk@frontdesk.test", now=NOW)
    assert mail.reply_to is None
    [event] = icalendar.Calendar.from_ical(invite_of(mail.attachments)).walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:desk@frontdesk.test"
    with pytest.raises(ValueError, match="organizer"):
        booking_mail("confirmed", nameless, now=NOW)


def test_html_escapes_what_customers_typed() -> None:
    notice = replace(NOTICE, customer_name='<img src=x onerror="alert(1)">', previous_start=None)
    mail = booking_mail("confirmed", notice, now=NOW)
    assert mail.html is not None
    assert "<img" not in mail.html and "&lt;img src=x" in mail.html
    nameless = booking_mail("confirmed", replace(NOTICE, customer_name="  "), now=NOW)
    assert nameless.text.startswith("Hello,\n\n")


def test_a_mail_without_an_address_is_refused() -> None:
    with pytest.raises(ValueError, match="customer's email"):
        booking_mail("confirmed", replace(NOTICE, customer_email=""), now=NOW)


async def test_a_confirmation_arrives_as_an_invite(tmp_path: Path) -> None:
    with SmtpSink() as sink:
        settings = Settings(data_dir=tmp_path, **sink.settings())  # type: ignore[arg-type]
        await create_mailer(settings).send(booking_mail("confirmed", NOTICE, now=NOW))
        [received] = await sink.arrived(1)
    message = received.message
    assert message["Subject"] == "Booked: Cleaning on Tuesday 8 December at 15:00"
    [calendar] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    data = calendar.get_payload(decode=True)
    assert isinstance(data, bytes)
    event = vobject.readOne(data.decode()).vevent
    assert event.uid.value == NOTICE.uid
    assert event.dtstart.value.astimezone(UTC) == datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
