"""Customers kept informed: each booking, move and cancellation mails the customer the
matching mail with its calendar invite (a real SMTP server on loopback), and a line in the
chat the booking came from; a reminder goes out once, N hours before."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import icalendar
from sqlalchemy import select, update

from frontdesk.appointments import service as booking
from frontdesk.appointments.models import Appointment, AppointmentNotice
from frontdesk.appointments.tasks import NOTICE_JOB, REMINDER_JOB, REMINDER_SWEEP
from frontdesk.conversations.models import Message
from frontdesk.jobs.queue import handler_for
from frontdesk.kit.db import utcnow
from frontdesk.services import Services
from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.conftest import Backend, client_for, empty_database, services_of
from tests.factories import start_chat
from tests.mail.smtp_sink import Received, SmtpSink


@dataclass
class World:
    client: httpx.AsyncClient
    services: Services
    sink: SmtpSink


@asynccontextmanager
async def world(backend: Backend) -> AsyncIterator[World]:
    from frontdesk.app import create_app

    with SmtpSink() as sink:
        settings = backend.settings(**sink.settings(), public_url="https://desk.example")
        application = create_app(settings)
        services = services_of(application)
        await empty_database(services.db)
        async with client_for(settings, application) as client:
            yield World(client, services, sink)
            await services.jobs.drain()


def invite_of(received: Received) -> tuple[icalendar.Calendar, Any]:
    message = received.message
    [attachment] = [
        part for part in message.iter_attachments() if part.get_filename().endswith(".ics")
    ]
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    return calendar, event


async def notices(services: Services, appointment_id: str) -> list[AppointmentNotice]:
    async with services.db.unit_of_work() as uow:
        statement = select(AppointmentNotice).where(
            AppointmentNotice.appointment_id == uuid.UUID(appointment_id)
        )
        return list((await uow.session.execute(statement)).scalars())


async def chat_lines(services: Services, conversation_id: str) -> list[str]:
    async with services.db.unit_of_work() as uow:
        statement = (
            select(Message.text)
            .where(
                Message.conversation_id == uuid.UUID(conversation_id),
                Message.sender_type == "system",
            )
            .order_by(Message.created_at)
        )
        return list((await uow.session.execute(statement)).scalars())


async def test_booked_moved_cancelled_each_mail_their_invite_once(backend: Backend) -> None:
    async with world(backend) as w:
        owner = await business(w.client)
        service = await add_service(w.client, owner, name="Cleaning", duration_minutes=30)
        monday = next_weekday(0)
        made = await book(w.client, owner, service["id"], local(monday, "10:00"))
        assert made.status_code == 201, made.text
        appointment = made.json()
        await w.services.jobs.drain()
        [confirmed] = await w.sink.arrived(1)
        assert confirmed.rcpt_tos == ["ana@example.com"]
        assert "Cleaning" in confirmed.message["subject"]
        text = confirmed.message.get_body(("plain",)).get_content()
        assert f"https://desk.example/c/{owner.slug}/booking/" in text
        calendar, event = invite_of(confirmed)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert event["UID"] == f"{appointment['id']}@frontdesk"
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == local(monday, "10:00")

        # The job delivered again sends nothing more.
        again = {
            "workspace_id": owner.workspace_id,
            "appointment_id": appointment["id"],
            "kind": "confirmed",
            "sequence": 0,
        }
        await handler_for(NOTICE_JOB)(w.services, **again)

        path = f"/api/appointments/{appointment['id']}"
        moved = await w.client.patch(
            path, headers=owner.headers, json={"start": local(monday, "14:00").isoformat()}
        )
        assert moved.status_code == 200, moved.text
        await w.services.jobs.drain()
        [_, moved_mail] = await w.sink.arrived(2)
        _, event = invite_of(moved_mail)
        assert int(event["SEQUENCE"]) == 1 and event["UID"] == f"{appointment['id']}@frontdesk"
        assert event.decoded("DTSTART") == local(monday, "14:00")
        assert "10:00" in moved_mail.message.get_body(("plain",)).get_content()  # from when

        cancelled = await w.client.delete(path, headers=owner.headers)
        assert cancelled.status_code == 200
        await w.services.jobs.drain()
        [*_, cancel_mail] = await w.sink.arrived(3)
        calendar, event = invite_of(cancel_mail)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CANCELLED"
        await w.services.jobs.drain()
        await handler_for(NOTICE_JOB)(w.services, **{**again, "kind": "cancelled", "sequence": 2})
        assert len(w.sink.received) == 3
        sent = await notices(w.services, appointment["id"])
        assert sorted((n.kind, n.sequence, n.status) for n in sent) == [
            ("cancelled", 2, "sent"),
            ("confirmed", 0, "sent"),
            ("moved", 1, "sent"),
        ]
        assert all(n.link_token_hash for n in sent)


async def test_reminder_goes_once_by_mail_and_in_the_chat(backend: Backend) -> None:
    async with world(backend) as w:
        owner = await business(w.client, reminder_hours=24 * 14)  # every booking ahead is due
        service = await add_service(w.client, owner, name="Check-up", duration_minutes=30)
        chat = await start_chat(w.client, owner.slug)
        monday = next_weekday(0)
        made = await book(
            w.client,
            owner,
            service["id"],
            local(monday, "11:00"),
            conversation_id=chat.conversation_id,
        )
        assert made.status_code == 201, made.text
        appointment = made.json()
        await w.services.jobs.drain()
        await w.sink.arrived(1)  # the confirmation
        # Staff booked it for a chat: the chat is told (the assistant's own bookings are
        # confirmed by its reply).
        [line] = await chat_lines(w.services, chat.conversation_id)
        assert line.startswith("You're booked: Check-up on Monday")

        for _ in range(2):
            await handler_for(REMINDER_SWEEP)(w.services)
            await w.services.jobs.drain()
        reminder_args = {
            "workspace_id": owner.workspace_id,
            "appointment_id": appointment["id"],
            "sequence": 0,
        }
        await handler_for(REMINDER_JOB)(w.services, **reminder_args)  # queued twice: once
        await w.services.jobs.drain()
        assert len(w.sink.received) == 2
        reminder = w.sink.received[1]
        assert (
            "Reminder" in reminder.message["subject"]
            or "reminder" in reminder.message["subject"].lower()
        )
        _, event = invite_of(reminder)
        assert event["UID"] == f"{appointment['id']}@frontdesk"
        lines = await chat_lines(w.services, chat.conversation_id)
        assert len(lines) == 2 and lines[1].startswith("A reminder: your Check-up is on Monday")

        # Moved: the reminder is owed again, for the new time.
        moved = await w.client.patch(
            f"/api/appointments/{appointment['id']}",
            headers=owner.headers,
            json={"start": local(monday, "15:00").isoformat()},
        )
        assert moved.status_code == 200
        await w.services.jobs.drain()
        await handler_for(REMINDER_SWEEP)(w.services)
        await w.services.jobs.drain()
        assert len(w.sink.received) == 4  # moved, then its reminder
        assert len(await chat_lines(w.services, chat.conversation_id)) == 4


async def test_no_reminder_when_off_and_no_mail_without_an_email(backend: Backend) -> None:
    async with world(backend) as w:
        owner = await business(w.client, reminder_hours=0)
        service = await add_service(w.client, owner)
        made = await book(
            w.client, owner, service["id"], local(next_weekday(1), "10:00"), customer_email=""
        )
        assert made.status_code == 201
        await w.services.jobs.drain()
        await handler_for(REMINDER_SWEEP)(w.services)
        await w.services.jobs.drain()
        assert w.sink.received == []
        [notice] = await notices(w.services, made.json()["id"])
        assert (notice.kind, notice.status, notice.mailed_to) == ("confirmed", "sent", "")


async def test_a_change_whose_job_never_ran_is_announced_by_the_sweep(backend: Backend) -> None:
    async with world(backend) as w:
        owner = await business(w.client)
        service = await add_service(w.client, owner)
        # Booked in a unit of work with no queue: as if the process died after the commit.
        async with w.services.db.unit_of_work() as uow:
            made = await booking.book(
                uow.session,
                uuid.UUID(owner.workspace_id),
                booking.BookingRequest(
                    service_id=uuid.UUID(service["id"]),
                    start=local(next_weekday(2), "11:00"),
                    customer_name="Lost Job",
                    customer_email="lost@example.com",
                ),
            )
        await handler_for(REMINDER_SWEEP)(w.services)
        await w.services.jobs.drain()
        assert w.sink.received == []  # too fresh: its own job may still be on the way
        async with w.services.db.unit_of_work() as uow:
            await uow.session.execute(
                update(Appointment)
                .where(Appointment.id == made.id)
                .values(updated_at=utcnow() - timedelta(minutes=20))
            )
        for _ in range(2):
            await handler_for(REMINDER_SWEEP)(w.services)
            await w.services.jobs.drain()
        [mail] = await w.sink.arrived(1)
        assert mail.rcpt_tos == ["lost@example.com"]
        assert len(w.sink.received) == 1
