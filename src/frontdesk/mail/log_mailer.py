"""The default mailer: every message is written to the ``frontdesk.mail`` log, none is sent.

A fresh installation has no mail server; the log shows what would have gone out (a sign-up
link, a booking confirmation) so the owner can still follow it.
"""

from __future__ import annotations

import logging

from frontdesk.mail import OutgoingMail

log = logging.getLogger("frontdesk.mail")


def summary(mail: OutgoingMail) -> str:
    """One line naming the recipients, the subject and the attachments."""
    line = f"mail to {', '.join(mail.to)}: {mail.subject!r}"
    if mail.attachments:
        names = ", ".join(
            f"{attachment.filename} ({attachment.content_type}, {len(attachment.data)} bytes)"
            for attachment in mail.attachments
        )
        line += f" with {names}"
    return line


class LogMailer:
    """Writes a one-line summary and the text body at INFO. Never raises: a logging handler
    that fails reports it itself (``Handler.handleError``)."""

    async def send(self, mail: OutgoingMail) -> None:
        log.info("%s (not sent: mail_backend=log)\n%s", summary(mail), mail.text)
