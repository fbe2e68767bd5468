"""Outgoing mail: the Mailer protocol, a default that writes to the log, and an SMTP adapter.

Features build an :class:`OutgoingMail` and hand it to ``services.mail``; which mailer that is
comes from the ``mail_backend`` setting. Nothing connects at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from frontdesk.settings import Settings


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class OutgoingMail:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[MailAttachment, ...] = field(default_factory=tuple)
    reply_to: str | None = None


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Deliver one message, or raise :class:`MailError` (callers retry through jobs)."""
        ...


class MailError(Exception):
    """A message could not be handed to the mail server."""


def create_mailer(settings: Settings) -> Mailer:
    """The mailer the settings choose; building it connects to nothing."""
    if settings.mail_backend == "smtp":
        from frontdesk.mail.smtp import SmtpMailer

        return SmtpMailer.from_settings(settings)
    from frontdesk.mail.log_mailer import LogMailer

    return LogMailer()
