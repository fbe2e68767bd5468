"""The SMTP adapter against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import asyncio
import base64
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.mail import MailAttachment, MailError, OutgoingMail, create_mailer
from frontdesk.mail.log_mailer import LogMailer
from frontdesk.mail.smtp import SmtpMailer
from frontdesk.settings import Settings
from tests.mail.smtp_sink import SmtpSink
from tests.servers import free_port

INVITE = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    b"BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20261204T000000Z\r\n"
    b"DTSTART:20261209T150000Z\r\nSUMMARY:Cleaning \xe2\x80\x94 Ni\xc3\xb1o\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)
PDF = bytes(range(256)) * 40  # every byte value: a binary attachment must arrive intact


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "mail_from": "Bright Smile <desk@brightsmile.test>",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def booking_mail(**changes: object) -> OutgoingMail:
    values: dict[str, object] = {
        "to": ("ana@example.test",),
        "subject": "Your cleaning on Tuesday — confirmed",
        "text": "Hello Ana,\n\nSee you on Tuesday 9 December at 3:00 pm.\n",
        "html": "<p>Hello Ana,</p><p>See you on <b>Tuesday 9 December at 3:00 pm</b>.</p>",
        "attachments": (
            MailAttachment("invite.ics", "text/calendar; method=REQUEST", INVITE),
            MailAttachment("price list.pdf", "application/pdf", PDF),
        ),
        "reply_to": "front@brightsmile.test",
    }
    values.update(changes)
    return OutgoingMail(**values)  # type: ignore[arg-type]


async def test_a_message_arrives_with_its_parts_intact(tmp_path: Path) -> None:
    with SmtpSink() as sink:
        mailer = create_mailer(settings_for(tmp_path, **sink.settings()))
        assert isinstance(mailer, SmtpMailer)
        await mailer.send(booking_mail())
        [received] = await sink.arrived(1)

    assert received.mail_from == "desk@brightsmile.test"
    assert received.rcpt_tos == ["ana@example.test"]
    message = received.message
    assert message["Subject"] == "Your cleaning on Tuesday — confirmed"
    assert message["From"] == "Bright Smile <desk@brightsmile.test>"
    assert message["Reply-To"] == "front@brightsmile.test"
    assert message["Message-ID"].endswith("@brightsmile.test>")
    assert message.get_content_type() == "multipart/mixed"

    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and "Tuesday 9 December at 3:00 pm" in text.get_content()
    assert html is not None and "<b>Tuesday 9 December at 3:00 pm</b>" in html.get_content()

    # The invite inline, where calendar clients act on it, with its method...
    alternative = next(p for p in message.iter_parts() if p.get_content_subtype() == "alternative")
    [calendar] = [p for p in alternative.iter_parts() if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_payload(decode=True) == INVITE
    # ...and the same bytes as a file, next to the other attachment, byte for byte.
    files = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(files) == {"invite.ics", "price list.pdf"}
    assert files["invite.ics"].get_content_type() == "application/ics"
    assert files["invite.ics"].get_payload(decode=True) == INVITE
    assert files["price list.pdf"].get_content_type() == "application/pdf"
    assert files["price list.pdf"].get_payload(decode=True) == PDF


async def test_text_only_mail_is_a_single_plain_part(tmp_path: Path) -> None:
    with SmtpSink() as sink:
        mailer = create_mailer(settings_for(tmp_path, **sink.settings()))
        await mailer.send(OutgoingMail(to=("b@example.test",), subject="Ñandú", text="hola\n"))
        [received] = await sink.arrived(1)
    message = received.message
    assert message.get_content_type() == "text/plain"
    assert message["Subject"] == "Ñandú"
    assert message.get_content().splitlines() == ["hola"]  # CRLF on the wire


@pytest.mark.parametrize("security", ["starttls", "tls"])
async def test_login_over_tls(tmp_path: Path, security: str) -> None:
    with SmtpSink(security=security, auth={"desk": "s3cret pass"}) as sink:  # type: ignore[arg-type]
        settings = settings_for(
            tmp_path, **sink.settings(), smtp_username="desk", smtp_password="s3cret pass"
        )
        await create_mailer(settings).send(booking_mail())
        [received] = await sink.arrived(1)
    assert received.login == "desk"
    assert received.message["Subject"] == "Your cleaning on Tuesday — confirmed"


async def test_a_wrong_password_is_a_mail_error_naming_the_login(tmp_path: Path) -> None:
    with SmtpSink(security="starttls", auth={"desk": "right"}) as sink:
        settings = settings_for(
            tmp_path, **sink.settings(), smtp_username="desk", smtp_password="wrong"
        )
        with pytest.raises(MailError, match=r"refused the login"):
            await create_mailer(settings).send(booking_mail())
        assert sink.received == []


async def test_a_server_that_wants_a_login_refuses_mail_without_one(tmp_path: Path) -> None:
    with SmtpSink(security="starttls", auth={"desk": "right"}) as sink:
        with pytest.raises(MailError, match=r"127\.0\.0\.1:\d+ \(starttls\)"):
            await create_mailer(settings_for(tmp_path, **sink.settings())).send(booking_mail())
        assert sink.received == []


async def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with SmtpSink(security="tls") as sink:
        values = sink.settings()
        del values["smtp_ca_file"]
        with pytest.raises(MailError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
            await create_mailer(settings_for(tmp_path, **values)).send(booking_mail())
        assert sink.received == []


async def test_a_closed_port_is_a_mail_error(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    settings = settings_for(
        tmp_path, mail_backend="smtp", smtp_host="127.0.0.1", smtp_port=port, smtp_security="none"
    )
    with pytest.raises(MailError, match=rf"could not connect to SMTP server 127\.0\.0\.1:{port}"):
        await create_mailer(settings).send(booking_mail())


@pytest.fixture
def hanging_up_server() -> Iterator[int]:
    """Accepts connections and closes them at once, before any greeting."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    listener.close()
    thread.join(timeout=5)


async def test_a_server_that_hangs_up_is_a_mail_error(
    tmp_path: Path, hanging_up_server: int
) -> None:
    settings = settings_for(
        tmp_path,
        mail_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=hanging_up_server,
        smtp_security="none",
    )
    with pytest.raises(MailError, match=r"127\.0\.0\.1:\d+ \(none\)"):
        await create_mailer(settings).send(booking_mail())


async def test_a_silent_server_times_out(tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts (backlog) and never speaks
    try:
        settings = settings_for(
            tmp_path,
            mail_backend="smtp",
            smtp_host="127.0.0.1",
            smtp_port=listener.getsockname()[1],
            smtp_security="none",
            smtp_timeout_seconds=0.3,
        )
        with pytest.raises(MailError, match=r"did not answer within 0\.3 s"):
            await asyncio.wait_for(create_mailer(settings).send(booking_mail()), timeout=10)
    finally:
        listener.close()


async def test_a_refused_recipient_is_a_mail_error(tmp_path: Path) -> None:
    refused = pytest.raises(MailError, match=r"ana@example\.test \(550 .*no such mailbox")
    with SmtpSink(refuse={"ana@example.test"}) as sink, refused:
        await create_mailer(settings_for(tmp_path, **sink.settings())).send(booking_mail())


async def test_the_password_stays_out_of_repr(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        mail_backend="smtp",
        smtp_host="mail.example.test",
        smtp_username="desk",
        smtp_password="hunter22",
    )
    mailer = create_mailer(settings)
    assert "hunter22" not in repr(mailer) and "hunter22" not in repr(settings)
    assert repr(mailer) == "SmtpMailer(mail.example.test:587, security=starttls)"


def test_settings_refuse_an_smtp_backend_without_a_host(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="FRONTDESK_SMTP_HOST"):
        settings_for(tmp_path, mail_backend="smtp")
    with pytest.raises(ValueError, match="mail_from"):
        settings_for(tmp_path, mail_from="nobody")
    assert isinstance(create_mailer(Settings(data_dir=tmp_path)), LogMailer)


async def test_the_log_mailer_writes_the_summary_and_the_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mailer = create_mailer(Settings(data_dir=tmp_path))
    with caplog.at_level(logging.INFO, logger="frontdesk.mail"):
        await mailer.send(booking_mail())
    [record] = [r for r in caplog.records if r.name == "frontdesk.mail"]
    first_line, _, body = record.getMessage().partition("\n")
    assert first_line.startswith(
        "mail to ana@example.test: 'Your cleaning on Tuesday — confirmed' with invite.ics "
        f"(text/calendar; method=REQUEST, {len(INVITE)} bytes), price list.pdf"
    )
    assert "See you on Tuesday 9 December at 3:00 pm." in body


def test_calendar_bytes_survive_base64() -> None:
    # The fixture itself: non-ASCII in the invite, so a text re-encoding would show.
    assert "Niño".encode() in INVITE and base64.b64decode(base64.b64encode(INVITE)) == INVITE


async def test_a_line_break_cannot_add_a_header(tmp_path: Path) -> None:
    with SmtpSink() as sink:
        mailer = create_mailer(settings_for(tmp_path, **sink.settings()))
        await mailer.send(booking_mail(subject="Cleaning\r\nBcc: thief@example.test"))
        with pytest.raises(MailError, match="could not be written"):
            await mailer.send(booking_mail(to=("ana@example.test\r\nBcc: thief@example.test",)))
        [received] = await sink.arrived(1)
    assert received.rcpt_tos == ["ana@example.test"]
    assert received.message["Subject"] == "Cleaning Bcc: thief@example.test"
    assert received.message["Bcc"] is None
