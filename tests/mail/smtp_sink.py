"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

For any test that sends mail (bookings, password resets)::

    with SmtpSink() as sink:
        settings = backend.settings(**sink.settings())
        ...                                   # the product sends mail
        message = sink.wait_for(1)[0]         # an email.message.EmailMessage

``SmtpSink(security="starttls" | "tls", auth={"user": "password"})`` makes it speak TLS with a
certificate made for the run (``sink.settings()`` trusts it) and require a login.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.servers import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class _Handler:
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        with self.arrived:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, login)
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "frontdesk test SMTP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp.crt", directory / "smtp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class SmtpSink:
    def __init__(
        self,
        security: Literal["none", "starttls", "tls"] = "none",
        auth: dict[str, str] | None = None,
        refuse: set[str] | None = None,
    ) -> None:
        self.security = security
        self.auth = auth
        self.handler = _Handler(refuse=refuse or set())
        self.port = free_port()
        self._directory = tempfile.TemporaryDirectory(prefix="smtp-sink-")
        self.ca_file: Path | None = None
        self._controller: Controller | None = None

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and self.auth is not None:
            user, password = data.login.decode(), data.password.decode()
            if self.auth.get(user) == password:
                return AuthResult(success=True, auth_data=data)
        return AuthResult(success=False, handled=False)

    def __enter__(self) -> SmtpSink:
        context = None
        if self.security != "none":
            cert, key = self_signed_certificate(Path(self._directory.name))
            self.ca_file = cert
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
        options: dict[str, Any] = {}
        if self.auth is not None:
            options.update(
                authenticator=self._authenticate,
                # aiosmtpd counts only STARTTLS as TLS: on implicit TLS it would hide AUTH
                # unless told TLS is not needed, and then warns about requiring a login.
                # So on implicit TLS the login is offered and checked, but not required.
                auth_required=self.security != "tls",
                auth_require_tls=self.security == "starttls",
            )
        if self.security == "starttls":
            options.update(tls_context=context, require_starttls=True)
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            ssl_context=context if self.security == "tls" else None,
            **options,
        )
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._controller is not None:
            self._controller.stop()
        self._directory.cleanup()

    def settings(self) -> dict[str, object]:
        """Settings overrides that send the product's mail here."""
        values: dict[str, object] = {
            "mail_backend": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_security": self.security,
            "smtp_timeout_seconds": 5,
        }
        if self.ca_file is not None:
            values["smtp_ca_file"] = self.ca_file
        return values

    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        """The first ``count`` messages, waiting for them to arrive (jobs send after commit)."""
        deadline = time.monotonic() + timeout
        with self.handler.arrived:
            while len(self.handler.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} messages, the SMTP server got "
                        f"{len(self.handler.received)} in {timeout:g} s"
                    )
                self.handler.arrived.wait(left)
            return list(self.handler.received[:count])

    async def arrived(self, count: int, within_seconds: float = 10) -> list[Received]:
        """:meth:`wait_for` for async tests: the event loop keeps running (the product's
        jobs may be sending on it)."""
        deadline = time.monotonic() + within_seconds
        while len(self.handler.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} messages, the SMTP server got "
                    f"{len(self.handler.received)} in {within_seconds:g} s"
                )
            await asyncio.sleep(0.02)
        return self.received[:count]
