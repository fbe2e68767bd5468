"""The assistant with no API key, through the public API: understanding, contacts, handoff,
out of scope, custom intents, languages."""

from __future__ import annotations

from typing import Any

import httpx

from frontdesk.services import Services
from tests.factories import Account, Chat, register, say, start_chat

DANA = (
    "hi, my name is Dana Ortiz, dana@example.org, can someone call me back about prices? "
    "082 555 0199"
)


async def _business(client: httpx.AsyncClient, **profile: Any) -> Account:
    owner = await register(client, business="Bright Smile Dental")
    response = await client.put(
        "/api/workspace",
        headers=owner.headers,
        json={"country": "ZA", "timezone": "Africa/Johannesburg", **profile},
    )
    assert response.status_code == 200, response.text
    return owner


async def _turn(
    client: httpx.AsyncClient, services: Services, owner: Account, chat: Chat, text: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send ``text`` as the customer; return (the customer's message as staff see it, the
    assistant's reply)."""
    sent = await say(client, chat, text)
    await services.jobs.drain()
    messages = (
        await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
    ).json()["messages"]
    mine = next(m for m in messages if m["id"] == sent["id"])
    replies = [m for m in messages if m["sender_type"] == "assistant"]
    assert replies, messages
    return mine, replies[-1]


async def _conversation(client: httpx.AsyncClient, owner: Account, chat: Chat) -> dict[str, Any]:
    response = await client.get(f"/api/conversations/{chat.conversation_id}", headers=owner.headers)
    assert response.status_code == 200
    return dict(response.json())


async def test_dana_leaves_her_details_and_gets_an_answer_in_the_persona(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _business(client)
    await client.put("/api/workspace/assistant", headers=owner.headers, json={"name": "Sunny"})
    chat = await start_chat(client, owner.slug)
    message, answer = await _turn(client, services, owner, chat, DANA)

    contact = (await _conversation(client, owner, chat))["contact"]
    assert contact is not None
    assert (contact["name"], contact["email"], contact["phone"]) == (
        "Dana Ortiz",
        "dana@example.org",
        "+27825550199",
    )
    meta = message["meta"]
    assert meta["intent"] in ("contact_request", "pricing"), meta
    assert 0 <= meta["confidence"] <= 1
    assert meta["entities"]["email"] == "dana@example.org"
    assert meta["entities"]["phone"] == "+27825550199"
    assert meta["language"] == "en"
    assert meta["sentiment"]["label"] in ("positive", "neutral", "negative")
    # The reply speaks to Dana, for the business, and promises only what will happen.
    assert "Dana" in answer["text"]
    assert "Bright Smile Dental" in answer["text"]
    assert "+27825550199" in answer["text"]
    assert "price" in answer["text"].lower()

    # The contact is listed and readable on its own.
    listed = (await client.get("/api/contacts", headers=owner.headers)).json()["contacts"]
    assert [c["email"] for c in listed] == ["dana@example.org"]
    detail = (await client.get(f"/api/contacts/{contact['id']}", headers=owner.headers)).json()
    assert detail["conversation_ids"] == [chat.conversation_id]
    assert "price" in detail["interest"]


async def test_meta_is_for_staff_only(client: httpx.AsyncClient, services: Services) -> None:
    owner = await _business(client)
    chat = await start_chat(client, owner.slug)
    await _turn(client, services, owner, chat, "what are your opening hours?")
    customer_view = (await client.get("/api/portal/messages", headers=chat.headers)).json()
    assert all(m["meta"] is None for m in customer_view["messages"])
    assert "hours_location" not in str(customer_view)


async def test_asking_for_a_person_hands_over(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _business(client)
    chat = await start_chat(client, owner.slug, "Lee")
    message, answer = await _turn(client, services, owner, chat, "I want to speak to a person")
    assert message["meta"]["intent"] == "human_handoff"
    assert (await _conversation(client, owner, chat))["needs_human"] is True
    assert "person" in answer["text"].lower() or "team" in answer["text"].lower()
    # Staff clear the flag once they have it in hand.
    cleared = await client.patch(
        f"/api/conversations/{chat.conversation_id}",
        headers=owner.headers,
        json={"needs_human": False},
    )
    assert cleared.json()["needs_human"] is False


async def test_something_the_business_does_not_do_is_out_of_scope(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _business(client)
    chat = await start_chat(client, owner.slug)
    message, answer = await _turn(
        client, services, owner, chat, "can you write me a poem about the ocean?"
    )
    assert message["meta"]["intent"] == "out_of_scope"
    text = answer["text"].lower()
    assert "can't help" in text or "not something i can help" in text, answer["text"]
    assert (await _conversation(client, owner, chat))["needs_human"] is False


async def test_a_booking_request_gathers_what_is_missing_then_passes_it_on(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _business(client)
    chat = await start_chat(client, owner.slug)
    _, first = await _turn(
        client, services, owner, chat, "I'd like to book a cleaning next Tuesday at 3pm"
    )
    assert "name" in first["text"].lower()
    _, second = await _turn(client, services, owner, chat, "Sipho Ndlovu, 082 555 0123")
    assert "next Tuesday at 3pm" in second["text"], second["text"]
    conversation = await _conversation(client, owner, chat)
    assert conversation["contact"]["phone"] == "+27825550123"
    assert conversation["needs_human"] is True  # a person confirms the booking


async def test_two_unclear_messages_in_a_row_hand_over(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _business(client)
    chat = await start_chat(client, owner.slug)
    await _turn(client, services, owner, chat, "qwv zzkx plo")
    assert (await _conversation(client, owner, chat))["needs_human"] is False
    await _turn(client, services, owner, chat, "blorp fnar wibble")
    assert (await _conversation(client, owner, chat))["needs_human"] is True


async def test_a_custom_intent_is_used_at_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _business(client)
    created = await client.post(
        "/api/workspace/intents",
        headers=owner.headers,
        json={
            "name": "parking",
            "examples": [
                "where can I park",
                "is there parking",
                "do you have a car park",
                "parking near you?",
                "can I leave my car outside",
            ],
            "answer": "There is free parking behind the building on Oak Street.",
        },
    )
    assert created.status_code == 201, created.text
    chat = await start_chat(client, owner.slug)
    message, answer = await _turn(
        client, services, owner, chat, "is there anywhere to park my car?"
    )
    assert message["meta"]["intent"] == "custom:parking"
    assert "free parking behind the building" in answer["text"]


async def test_a_spanish_speaker_is_answered_in_spanish(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _business(client)
    chat = await start_chat(client, owner.slug)
    message, answer = await _turn(
        client, services, owner, chat, "Hola, quiero hablar con una persona por favor"
    )
    assert message["meta"]["language"] == "es"
    assert "persona" in answer["text"] or "equipo" in answer["text"], answer["text"]


async def test_staff_get_a_local_summary(client: httpx.AsyncClient, services: Services) -> None:
    owner = await _business(client)
    chat = await start_chat(client, owner.slug)
    await _turn(client, services, owner, chat, "Hi, my crown came loose last night.")
    await _turn(client, services, owner, chat, "Can I come in tomorrow morning to have it fixed?")
    response = await client.get(
        f"/api/conversations/{chat.conversation_id}/summary", headers=owner.headers
    )
    assert response.status_code == 200
    body = response.json()
    assert body["engine"] == "local"
    assert "crown" in body["summary"].lower() or "tomorrow" in body["summary"].lower()


async def test_the_owners_answer_comes_first_even_for_an_upset_customer(
    client: httpx.AsyncClient, services: Services
) -> None:
    """A custom intent with few phrases still wins over the built-in ones (its phrases weigh
    as much as a built-in intent's), and an upset customer gets the owner's answer."""
    owner = await _business(client)
    created = await client.post(
        "/api/workspace/intents",
        headers=owner.headers,
        json={
            "name": "dental emergency",
            "examples": ["I have a toothache", "my tooth is killing me", "broke a tooth"],
            "answer": "Call our emergency line on 021 555 0100, day or night.",
        },
    )
    assert created.status_code == 201
    chat = await start_chat(client, owner.slug)
    message, answer = await _turn(
        client, services, owner, chat, "my tooth is killing me, the pain is horrible"
    )
    assert message["meta"]["sentiment"]["label"] == "negative"
    assert message["meta"]["intent"] == "custom:dental emergency"
    assert "emergency line on 021 555 0100" in answer["text"]
