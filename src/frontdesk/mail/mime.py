"""An :class:`OutgoingMail` as a MIME message, laid out the way calendar clients expect.

The layout is the one Google Calendar's own invitations use, which Gmail, Outlook, Apple
Mail and Thunderbird all show as an invite with accept/decline buttons::

    multipart/mixed
      multipart/alternative
        text/plain
        text/html                               (when there is HTML)
        text/calendar; method=REQUEST           (inline: what clients act on)
      application/ics; name=invite.ics          (the same bytes, as a file to open)
      other attachments

Outlook ignores an invite that arrives only as an attached file, and some clients offer no
file to save when the invite is only inline: hence both.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr

from frontdesk.mail import MailAttachment, OutgoingMail


def calendar_method(attachment: MailAttachment) -> str | None:
    """``REQUEST`` for ``text/calendar; method=REQUEST``; None when not a calendar part."""
    media_type, *parameters = (part.strip() for part in attachment.content_type.split(";"))
    if media_type.lower() != "text/calendar":
        return None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "method":
            return value.strip().strip('"').upper() or None
    return None


def sender_domain(sender: str) -> str:
    _, address = parseaddr(sender)
    return address.rpartition("@")[2] or "localhost"


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    # Owners name services and businesses; a line break in a name must not become a header.
    message["Subject"] = " ".join(mail.subject.split())
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender_domain(sender))
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to

    calendars = [(a, calendar_method(a)) for a in mail.attachments]
    message.set_content(mail.text)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html")
    for attachment, method in calendars:
        if method is None:
            continue
        if not message.is_multipart():
            message.make_alternative()
        message.add_alternative(
            attachment.data,
            maintype="text",
            subtype="calendar",
            cte="base64",
            params={"method": method, "charset": "UTF-8"},
        )
        break  # one invite per message: two inline calendars would confuse every client
    for attachment, method in calendars:
        maintype, subtype = _split_type(attachment.content_type)
        if method is not None:
            maintype, subtype = "application", "ics"
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
        )
    return message


def _split_type(content_type: str) -> tuple[str, str]:
    media_type = content_type.split(";", 1)[0].strip().lower()
    maintype, _, subtype = media_type.partition("/")
    if not maintype or not subtype:
        return "application", "octet-stream"
    return maintype, subtype


def envelope_address(header_value: str) -> str:
    """The bare address of a "Name <address>" header value, for MAIL FROM."""
    _, address = parseaddr(header_value)
    return address
