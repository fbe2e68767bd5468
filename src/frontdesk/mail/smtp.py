"""The SMTP adapter: one connection per message, through aiosmtplib.

Plain, STARTTLS (port 587) or TLS from the first byte (port 465); AUTH when a username is
set. Every failure — refused, timed out, dropped, a rejected sender or recipient, bad
credentials, a certificate that does not verify — is raised as :class:`MailError` naming the
server and what went wrong, so the job that mails can retry and the log says why.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import aiosmtplib

from frontdesk.mail import MailError, OutgoingMail
from frontdesk.mail.mime import build_message, envelope_address
from frontdesk.settings import Settings

log = logging.getLogger("frontdesk.mail")

Security = Literal["none", "starttls", "tls"]
DEFAULT_PORTS: dict[str, int] = {"none": 25, "starttls": 587, "tls": 465}


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    security: Security
    sender: str
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = 15
    ca_file: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        assert settings.smtp_host, "checked by Settings"
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port or DEFAULT_PORTS[settings.smtp_security],
            security=settings.smtp_security,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=(
                settings.smtp_password.get_secret_value() if settings.smtp_password else None
            ),
            timeout_seconds=settings.smtp_timeout_seconds,
            ca_file=settings.smtp_ca_file,
        )

    def __repr__(self) -> str:  # the password stays out of logs and tracebacks
        return f"SmtpMailer({self.host}:{self.port}, security={self.security})"

    def _tls_context(self) -> ssl.SSLContext | None:
        if self.security == "none":
            return None
        context = ssl.create_default_context()
        if self.ca_file is not None:
            context.load_verify_locations(cafile=str(self.ca_file))
        return context

    async def send(self, mail: OutgoingMail) -> None:
        if not mail.to:
            raise MailError("a message needs at least one recipient")
        try:
            message = build_message(mail, self.sender)
        except (ValueError, TypeError) as error:  # e.g. a line break inside an address
            raise MailError(f"the message could not be written: {error}") from error
        where = f"{self.host}:{self.port} ({self.security})"
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            use_tls=self.security == "tls",
            start_tls=self.security == "starttls",  # never silently: none means none
            tls_context=self._tls_context(),
            username=self.username,
            password=self.password,
            timeout=self.timeout_seconds,
        )
        try:
            async with client:
                errors, _ = await client.send_message(
                    message,
                    sender=envelope_address(self.sender),
                    recipients=list(mail.to),
                )
        except aiosmtplib.SMTPAuthenticationError as error:
            raise MailError(f"SMTP server {where} refused the login: {_reason(error)}") from error
        except aiosmtplib.SMTPRecipientsRefused as error:
            refused = ", ".join(f"{r.recipient} ({_reason(r)})" for r in error.recipients)
            raise MailError(f"SMTP server {where} refused every recipient: {refused}") from error
        except aiosmtplib.SMTPTimeoutError as error:
            raise MailError(
                f"SMTP server {where} did not answer within {self.timeout_seconds:g} s"
            ) from error
        except aiosmtplib.SMTPConnectError as error:
            raise MailError(f"could not connect to SMTP server {where}: {error}") from error
        except aiosmtplib.SMTPServerDisconnected as error:
            raise MailError(f"SMTP server {where} closed the connection: {error}") from error
        except aiosmtplib.SMTPException as error:
            raise MailError(f"SMTP server {where} refused the message: {error}") from error
        except (OSError, TimeoutError) as error:  # ssl.SSLError is an OSError
            raise MailError(f"could not send through SMTP server {where}: {error!r}") from error
        if errors:  # some recipients were refused, the others got it
            refused = ", ".join(f"{r} ({_reason(e)})" for r, e in errors.items())
            log.warning("mail %r not delivered to %s", mail.subject, refused)


def _reason(error: object) -> str:
    code = getattr(error, "code", "")
    message = getattr(error, "message", str(error))
    return f"{code} {message}".strip()
