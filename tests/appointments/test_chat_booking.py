"""Booking in the portal chat with no API key: the local engine books, moves and cancels
through the assistant's tools, asking for one missing thing at a time, offering real free
slots when the asked time cannot be had, confirming before it acts, in English and Spanish.
Each conversation goes through the public API only (portal chat, staff API)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from frontdesk.services import Services
from tests.appointments.helpers import ZONE, add_service, book, business, local, slots
from tests.appointments.test_notices import invite_of, world
from tests.conftest import Backend
from tests.factories import Account, Chat, say, start_chat


async def talk(client: httpx.AsyncClient, services: Services, chat: Chat, text: str) -> str:
    """The customer says ``text``; the assistant's reply to it."""
    await say(client, chat, text)
    await services.jobs.drain()
    answer = await client.get("/api/portal/messages", headers=chat.headers)
    lines = answer.json()["messages"]
    assert lines[-1]["sender_type"] == "assistant", lines[-1]
    reply: str = lines[-1]["text"]
    print(f"customer: {text}\nassistant: {reply}")  # the dialogue, shown with -s
    return reply


async def appointments(client: httpx.AsyncClient, owner: Account) -> list[dict[str, Any]]:
    answer = await client.get("/api/appointments", headers=owner.headers)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["appointments"]
    return found


def next_week(weekday: int, timezone: str = ZONE) -> date:
    """ "next Tuesday": that weekday in the week after this one (weeks start on Monday)."""
    today = datetime.now(ZoneInfo(timezone)).date()
    return today + timedelta(days=7 - today.weekday() + weekday)


async def test_a_customer_books_a_cleaning_next_tuesday_at_3pm(backend: Backend) -> None:
    async with world(backend) as w:  # with a loopback SMTP server for the confirmation
        client, services = w.client, w.services
        owner = await business(client)
        await add_service(client, owner, name="Cleaning")
        await add_service(client, owner, name="Whitening", duration_minutes=60)
        chat = await start_chat(client, owner.slug)

        reply = await talk(client, services, chat, "Hi, can I book a cleaning next Tuesday at 3pm?")
        assert "name" in reply.lower()
        reply = await talk(client, services, chat, "Ana Silva")
        assert "email" in reply.lower() and "phone" in reply.lower()
        reply = await talk(client, services, chat, "ana.silva@example.com")
        tuesday = next_week(1)
        assert "Cleaning" in reply and "3:00 pm" in reply and "shall I book it?" in reply
        assert str(tuesday.day) in reply
        assert not await appointments(client, owner)  # nothing booked before the yes

        reply = await talk(client, services, chat, "yes please")
        assert "booked" in reply.lower()
        [made] = await appointments(client, owner)
        assert made["start"] == local(tuesday, "15:00").isoformat()
        assert made["status"] == "booked" and made["customer_name"] == "Ana Silva"
        assert made["customer_email"] == "ana.silva@example.com"
        assert made["conversation_id"] == chat.conversation_id

        await services.jobs.drain()
        [confirmation] = await w.sink.arrived(1)
        assert confirmation.rcpt_tos == ["ana.silva@example.com"]
        assert "Cleaning" in confirmation.message["subject"]
        calendar, event = invite_of(confirmation)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert event["UID"] == f"{made['id']}@frontdesk"
        assert event.decoded("DTSTART") == local(tuesday, "15:00")


async def test_a_customer_books_then_moves_and_cancels_in_later_turns(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await business(client)
    await add_service(client, owner, name="Check-up", duration_minutes=45)
    chat = await start_chat(client, owner.slug, name="Ben Okafor")

    reply = await talk(client, services, chat, "I'd like an appointment")
    assert "day and time" in reply
    reply = await talk(client, services, chat, "monday morning")
    assert "9:00 am" in reply  # three free times spread over the morning
    reply = await talk(client, services, chat, "the second one")
    assert "phone" in reply.lower()  # the name was given when the chat started
    reply = await talk(client, services, chat, "212 555 0143")
    assert "shall I book it?" in reply
    reply = await talk(client, services, chat, "yes")
    [made] = await appointments(client, owner)
    assert made["customer_phone"] == "+12125550143"

    reply = await talk(client, services, chat, "Can we move it to Thursday at 2 instead?")
    thursday = datetime.fromisoformat(made["start"]).date()
    thursday += timedelta(days=(3 - thursday.weekday()) % 7)
    assert "Move your Check-up" in reply and "2:00 pm" in reply
    reply = await talk(client, services, chat, "yes")
    assert "now on" in reply
    [moved] = await appointments(client, owner)
    assert moved["id"] == made["id"]
    assert datetime.fromisoformat(moved["start"]).strftime("%a %H:%M") == "Thu 14:00"

    # Days later, in a new chat, found by the phone number they booked with.
    later = await start_chat(client, owner.slug)
    reply = await talk(client, services, later, "hi, when is my appointment?")
    assert "phone" in reply.lower()
    reply = await talk(client, services, later, "it's 212-555-0143")
    assert "Check-up" in reply and "2:00 pm" in reply
    reply = await talk(client, services, later, "I'm afraid I need to cancel it")
    assert "Cancel your Check-up" in reply
    reply = await talk(client, services, later, "yes")
    assert "cancelled" in reply
    [cancelled] = await appointments(client, owner)
    assert cancelled["status"] == "cancelled"


async def test_taken_times_and_closed_days_are_answered_with_real_free_slots(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await business(client)
    service = await add_service(client, owner, name="Cleaning")
    tuesday = next_week(1)
    taken = await book(client, owner, service["id"], local(tuesday, "15:00"))
    assert taken.status_code == 201, taken.text

    chat = await start_chat(client, owner.slug, name="Carla")
    reply = await talk(client, services, chat, "can I book a cleaning next tuesday at 3pm?")
    assert "already taken" in reply
    free = {s["start"] for s in await slots(client, owner, service["id"], tuesday, days=7)}
    offered = [t for t in ("2:30 pm", "3:30 pm", "2:00 pm", "4:00 pm") if t in reply]
    assert len(offered) >= 2
    for clock in offered:
        hour, minute = clock[:-3].split(":")
        moment = local(tuesday, f"{int(hour) + 12}:{minute}").isoformat()
        assert moment in free
    reply = await talk(client, services, chat, f"{offered[1]} works")
    assert "email" in reply.lower()

    sunday = next_week(6)
    other = await start_chat(client, owner.slug)
    reply = await talk(client, services, other, f"I'd like a cleaning on Sunday {sunday.day}th")
    assert "closed on Sunday" in reply
    offered_days = [d for d in ("Monday", "Tuesday") if d in reply]
    assert offered_days
    week = {s["start"] for s in await slots(client, owner, service["id"], sunday, days=3)}
    assert any(s[11:16] in ("09:00", "09:15", "09:30") for s in week)


async def test_a_customer_books_in_spanish(client: httpx.AsyncClient, services: Services) -> None:
    owner = await business(client, timezone="Europe/Madrid")
    spain = await client.put("/api/workspace", headers=owner.headers, json={"country": "ES"})
    assert spain.status_code == 200, spain.text
    await add_service(client, owner, name="Limpieza dental")
    await add_service(client, owner, name="Blanqueamiento", duration_minutes=60)
    chat = await start_chat(client, owner.slug)

    reply = await talk(
        client, services, chat, "Hola, quiero pedir cita para una limpieza el jueves a las 11"
    )
    assert "nombre" in reply
    reply = await talk(client, services, chat, "Lucía Gómez")
    assert "correo" in reply
    reply = await talk(client, services, chat, "lucia@example.es")
    assert "Limpieza dental" in reply and "¿Hago la reserva?" in reply
    reply = await talk(client, services, chat, "sí, perfecto")
    assert "Listo" in reply
    [made] = await appointments(client, owner)
    start = datetime.fromisoformat(made["start"])
    assert start.strftime("%a %H:%M") == "Thu 11:00"


async def test_a_problem_that_names_a_service_opens_a_ticket_not_a_booking(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await business(client)
    await add_service(client, owner, name="Cleaning")
    for problem in (
        "You charged me twice for the same cleaning last week, I want my money back",
        "the booking page gives an error when I try to pay",
    ):
        chat = await start_chat(client, owner.slug, name="Rosa Diaz")
        reply = await talk(client, services, chat, problem)
        assert "shall I book" not in reply and "day and time" not in reply, reply
        tickets = (await client.get("/api/tickets", headers=owner.headers)).json()["tickets"]
        assert any(t["conversation_id"] == chat.conversation_id for t in tickets), tickets
    assert not await appointments(client, owner)
