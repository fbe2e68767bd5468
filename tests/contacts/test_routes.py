"""Contacts through the API: the assistant fills them, staff list, search and read them."""

from __future__ import annotations

import uuid

import httpx

from frontdesk.services import Services
from tests.factories import add_member, register, say, start_chat


async def test_list_search_and_read(client: httpx.AsyncClient, services: Services) -> None:
    owner = await register(client)
    await client.put("/api/workspace", headers=owner.headers, json={"country": "GB"})
    for name, email in (("Ana Silva", "ana@example.com"), ("Ben Okafor", "ben@example.com")):
        chat = await start_chat(client, owner.slug)
        await say(client, chat, f"my name is {name}, my email is {email}")
        await services.jobs.drain()

    viewer = await add_member(client, owner, "viewer")
    listed = (await client.get("/api/contacts", headers=viewer.headers)).json()
    assert sorted(c["name"] for c in listed["contacts"]) == ["Ana Silva", "Ben Okafor"]
    assert listed["next_offset"] is None

    found = (await client.get("/api/contacts?q=OKAF", headers=owner.headers)).json()
    assert [c["email"] for c in found["contacts"]] == ["ben@example.com"]
    page = (await client.get("/api/contacts?limit=1", headers=owner.headers)).json()
    assert len(page["contacts"]) == 1 and page["next_offset"] == 1

    one = listed["contacts"][0]
    detail = await client.get(f"/api/contacts/{one['id']}", headers=owner.headers)
    assert detail.status_code == 200 and len(detail.json()["conversation_ids"]) == 1
    missing = await client.get(f"/api/contacts/{uuid.uuid4()}", headers=owner.headers)
    assert missing.status_code == 404


async def test_one_person_stays_one_contact(client: httpx.AsyncClient, services: Services) -> None:
    """A second conversation that gives a known email joins the same contact."""
    owner = await register(client)
    for text in ("I'm Cara Diaz, cara@example.com", "hello again, cara@example.com here"):
        chat = await start_chat(client, owner.slug)
        await say(client, chat, text)
        await services.jobs.drain()
    contacts = (await client.get("/api/contacts", headers=owner.headers)).json()["contacts"]
    assert len(contacts) == 1
    detail = (await client.get(f"/api/contacts/{contacts[0]['id']}", headers=owner.headers)).json()
    assert detail["name"] == "Cara Diaz"
    assert len(detail["conversation_ids"]) == 2
