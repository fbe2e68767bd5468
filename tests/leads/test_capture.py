"""What customers tell the assistant becomes leads: one person, one lead, nothing lost.

Driven through the portal chat API with no API key (the local engine's capture_lead)."""

from __future__ import annotations

import httpx

from frontdesk.services import Services
from tests.factories import Account, register, say, start_chat


async def _chat(client: httpx.AsyncClient, services: Services, owner: Account, text: str) -> str:
    chat = await start_chat(client, owner.slug)
    await say(client, chat, text)
    await services.jobs.drain()
    return chat.conversation_id


async def _leads(client: httpx.AsyncClient, owner: Account) -> list[dict]:  # type: ignore[type-arg]
    response = await client.get("/api/leads", headers=owner.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["leads"])


async def test_details_in_two_conversations_are_one_lead(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    first = await _chat(
        client, services, owner, "Hi, I'm Dana Whitfield, dana@example.com, I'd like a quote"
    )
    second = await _chat(client, services, owner, "hello again, dana@example.com here")

    leads = await _leads(client, owner)
    assert len(leads) == 1, leads
    lead = leads[0]
    assert lead["email"] == "dana@example.com" and lead["name"] == "Dana Whitfield"
    assert lead["status"] == "new" and lead["channel"] == "portal"
    assert lead["source_conversation_id"] == first
    detail = (await client.get(f"/api/leads/{lead['id']}", headers=owner.headers)).json()
    assert {c["id"] for c in detail["conversations"]} == {first, second}


async def test_two_contacts_found_to_be_one_person_merge_keeping_every_field(
    client: httpx.AsyncClient, services: Services
) -> None:
    """An email in one conversation, a phone in another: two contacts, two leads. When a
    third conversation gives both, they are one person: one lead, every field kept."""
    owner = await register(client)
    await client.put("/api/workspace", headers=owner.headers, json={"country": "GB"})
    by_email = await _chat(client, services, owner, "I'm Priya Nair, my email is priya@example.com")
    by_phone = await _chat(client, services, owner, "Priya here, call me on 07911 123456")
    leads = await _leads(client, owner)
    assert len(leads) == 2, leads
    phone_lead = next(x for x in leads if x["phone"])
    email_lead = next(x for x in leads if x["email"])
    # Staff worked both before anyone noticed.
    await client.patch(
        f"/api/leads/{email_lead['id']}",
        headers=owner.headers,
        json={"notes": "Asked about whitening", "value": 250},
    )
    await client.patch(
        f"/api/leads/{phone_lead['id']}",
        headers=owner.headers,
        json={"notes": "Prefers mornings", "status": "contacted", "follow_up_on": "2026-12-10"},
    )

    both = await _chat(
        client, services, owner, "It's Priya Nair, priya@example.com, phone 07911 123456"
    )

    leads = await _leads(client, owner)
    assert len(leads) == 1, leads
    lead = leads[0]
    assert lead["email"] == "priya@example.com" and lead["phone"] == "+447911123456"
    assert lead["status"] == "contacted" and lead["value"] == 250
    assert lead["follow_up_on"] == "2026-12-10"
    assert "whitening" in lead["notes"] and "mornings" in lead["notes"]
    assert lead["captured"]["email"] == ["priya@example.com"]
    assert lead["captured"]["phone"] == ["+447911123456"]
    detail = (await client.get(f"/api/leads/{lead['id']}", headers=owner.headers)).json()
    assert {c["id"] for c in detail["conversations"]} == {by_email, by_phone, both}
    contacts = (await client.get("/api/contacts", headers=owner.headers)).json()["contacts"]
    assert [c["id"] for c in contacts] == [lead["contact_id"]]


async def test_a_corrected_email_is_kept_in_the_history(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    await say(client, chat, "I'm Omar Haddad, omar@old.example")
    await services.jobs.drain()
    await say(client, chat, "sorry, my email is actually omar@new.example")
    await services.jobs.drain()
    [lead] = await _leads(client, owner)
    assert lead["email"] == "omar@new.example"
    assert lead["captured"]["email"] == ["omar@old.example", "omar@new.example"]


async def test_a_name_alone_is_no_lead(client: httpx.AsyncClient, services: Services) -> None:
    owner = await register(client)
    await _chat(client, services, owner, "my name is Lee Park")
    assert await _leads(client, owner) == []
