"""The mails a customer gets about a booking: confirmed, moved, cancelled, reminder.

The appointments feature fills a :class:`BookingNotice` from the appointment and the
business, asks :func:`booking_mail` for the :class:`OutgoingMail` and hands it to
``services.mail`` from a job. Each mail carries the calendar invite: REQUEST (add or update,
the highest SEQUENCE wins) or, for a cancellation, CANCEL. The appointment's ``uid`` must stay
the same for its whole life and ``sequence`` must grow with every change (a cancellation
included), or calendars add a second event instead of updating the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

from frontdesk.calendars import CalendarEvent
from frontdesk.calendars.ics import invite
from frontdesk.mail import MailAttachment, OutgoingMail
from frontdesk.mail.booking_words import (
    LEADS,
    SUBJECTS,
    WORDS,
    Kind,
    Language,
    hour,
    when,
    zone_label,
)


@dataclass(frozen=True)
class BookingNotice:
    business_name: str
    service_name: str
    start: datetime  # timezone-aware
    end: datetime  # timezone-aware
    timezone: str  # the business's IANA zone: times are written as the business lives them
    customer_name: str
    customer_email: str
    uid: str  # the appointment's calendar UID, the same for its whole life
    sequence: int = 0  # raised on every change, the cancellation included
    business_address: str = ""
    staff_name: str = ""
    manage_url: str = ""
    language: Language = "en"
    country: str = ""  # the business's country code: 12- or 24-hour clock, date order
    business_email: str = ""  # replies go here; also the invite's organizer
    previous_start: datetime | None = None  # for "moved": where it was


def booking_mail(
    kind: Kind,
    notice: BookingNotice,
    *,
    organizer_email: str = "",
    now: datetime | None = None,
) -> OutgoingMail:
    """The mail for one event in a booking's life.

    The invite's organizer is ``organizer_email``, else the business's email; pass the
    sender's address (``mail.mime.envelope_address(settings.mail_from)``) for a business
    without one, since calendar clients ignore an invite that has no organizer.
    """
    if kind not in SUBJECTS["en"]:
        raise ValueError(f"unknown booking mail {kind!r}")
    if not notice.customer_email:
        raise ValueError("a booking mail needs the customer's email")
    language: Language = notice.language if notice.language in SUBJECTS else "en"
    zone = ZoneInfo(notice.timezone)
    start, end = notice.start.astimezone(zone), notice.end.astimezone(zone)
    today = (now or datetime.now(UTC)).astimezone(zone)
    with_year = start.year != today.year
    words = WORDS[language]
    fill = {
        "service": notice.service_name,
        "business": notice.business_name,
        "staff_part": words["with"].format(staff=notice.staff_name) if notice.staff_name else "",
        "when": when(start, language, notice.country, with_year=with_year),
        "until": hour(end, language, notice.country),
        "zone": zone_label(notice.timezone, language),
        "previous": "",
    }
    lead_key: str = kind
    if kind == "moved":
        if notice.previous_start is None:
            lead_key = "moved_unknown"
        else:
            previous = notice.previous_start.astimezone(zone)
            fill["previous"] = when(
                previous, language, notice.country, with_year=previous.year != today.year
            )
    # The service's name as the owner wrote it ("Your Cleaning", "Invisalign check"):
    # lowering it for mid-sentence would also lower a brand or an acronym.
    subject = SUBJECTS[language][kind].format(**fill)
    paragraphs = _paragraphs(kind, notice, words, LEADS[language][lead_key].format(**fill))

    cancelled = kind == "cancelled"
    attachment = MailAttachment(
        filename=words["attachment"],
        content_type=f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}",
        data=invite(
            _event(notice, words, organizer_email or notice.business_email),
            "CANCEL" if cancelled else "REQUEST",
            now=now,
        ),
    )
    return OutgoingMail(
        to=(notice.customer_email,),
        subject=subject,
        text="\n\n".join(paragraphs) + "\n",
        html=_html(paragraphs, notice.manage_url),
        attachments=(attachment,),
        reply_to=notice.business_email or None,
    )


def _paragraphs(kind: Kind, notice: BookingNotice, words: dict[str, str], lead: str) -> list[str]:
    name = notice.customer_name.strip()
    paragraphs = [
        words["hello"].format(name=name) if name else words["hello_nameless"],
        lead,
    ]
    if notice.business_address and kind != "cancelled":
        paragraphs.append(words["where"].format(address=notice.business_address))
    if notice.manage_url:
        link = words["book_again"] if kind == "cancelled" else words["manage"]
        paragraphs.append(link.format(url=notice.manage_url))
    paragraphs.append(words["invite_cancel"] if kind == "cancelled" else words["invite"])
    paragraphs.append(f"— {notice.business_name}")
    return paragraphs


def _event(notice: BookingNotice, words: dict[str, str], organizer_email: str) -> CalendarEvent:
    lines = []
    if notice.staff_name:
        lines.append(words["staff_line"].format(staff=notice.staff_name))
    if notice.manage_url:
        lines.append(words["manage_line"].format(url=notice.manage_url))
    return CalendarEvent(
        uid=notice.uid,
        start=notice.start,
        end=notice.end,
        summary=words["summary"].format(service=notice.service_name, business=notice.business_name),
        timezone=notice.timezone,
        description="\n".join(lines),
        location=notice.business_address,
        sequence=notice.sequence,
        organizer_email=organizer_email,
        organizer_name=notice.business_name,
        attendee_email=notice.customer_email,
        attendee_name=notice.customer_name,
        url=notice.manage_url,
    )


def _html(paragraphs: list[str], manage_url: str) -> str:
    """The text's paragraphs as HTML, the manage link clickable; everything escaped."""
    parts = []
    for paragraph in paragraphs:
        body = escape(paragraph)
        if manage_url and manage_url in paragraph:
            link = escape(manage_url)
            body = body.replace(link, f'<a href="{link}">{link}</a>')
        parts.append(f"<p>{body}</p>")
    return (
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">'
        + "".join(parts)
        + "</body></html>"
    )
