"""A message sent again with the same ``client_id`` (a retry after a lost answer) is stored
once, and every attempt gets the first message back: one after another, at the same time
against a real server (PostgreSQL runs them in parallel), from customers and from staff."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.conftest import Backend
from tests.factories import register, start_chat
from tests.servers import thread_server

ATTEMPTS = 8


async def _all_at_once(
    http: httpx.AsyncClient, url: str, headers: dict[str, str], body: dict[str, object]
) -> list[httpx.Response]:
    return list(
        await asyncio.gather(*(http.post(url, headers=headers, json=body) for _ in range(ATTEMPTS)))
    )


def _one_message(responses: list[httpx.Response]) -> str:
    assert [r.status_code for r in responses] == [201] * ATTEMPTS, [r.text for r in responses]
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 1, ids
    return ids.pop()


async def test_concurrent_retries_all_get_the_first_message(backend: Backend) -> None:
    with thread_server(backend.settings()) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            owner = await register(http)
            chat = await start_chat(http, owner.slug, "Dana")
            client_id = f"c-{uuid.uuid4()}"
            sent = _one_message(
                await _all_at_once(
                    http,
                    "/api/portal/messages",
                    chat.headers,
                    {"text": "Are you open on Saturday?", "client_id": client_id},
                )
            )
            staff_id = f"s-{uuid.uuid4()}"
            answered = _one_message(
                await _all_at_once(
                    http,
                    f"/api/conversations/{chat.conversation_id}/messages",
                    owner.headers,
                    {"text": "Yes, from nine.", "client_id": staff_id},
                )
            )
            history = await http.get(
                f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
            )
    stored = [m for m in history.json()["messages"] if m["client_id"] in (client_id, staff_id)]
    assert [m["id"] for m in stored] == [sent, answered]


async def test_a_staff_message_sent_again_returns_the_first(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, "Dana")
    url = f"/api/conversations/{chat.conversation_id}/messages"
    first = await client.post(
        url, headers=owner.headers, json={"text": "On my way", "client_id": "s-1"}
    )
    again = await client.post(
        url, headers=owner.headers, json={"text": "On my way", "client_id": "s-1"}
    )
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json()["id"] == first.json()["id"]
    as_customer = [
        await client.post(
            url,
            headers=owner.headers,
            json={"text": "Testing", "client_id": "c-9", "as_customer": True},
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in as_customer] == [201, 201]
    assert as_customer[0].json()["id"] == as_customer[1].json()["id"]
    messages = (await client.get(url, headers=owner.headers)).json()["messages"]
    assert [m["client_id"] for m in messages].count("s-1") == 1
    assert [m["client_id"] for m in messages].count("c-9") == 1
