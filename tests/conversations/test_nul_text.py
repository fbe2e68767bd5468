"""A NUL character (U+0000) in anything typed is dropped at the door: PostgreSQL cannot
store it in text, and nobody means to type it. The rest of what was typed is kept."""

from __future__ import annotations

import httpx

from tests.factories import register, start_chat


async def test_nul_characters_are_dropped_from_messages_and_names(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, "Da\x00na")
    said = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        json={"text": "Hel\x00lo\x00", "client_id": "a\x00"},
    )
    assert said.status_code == 201, said.text
    assert (said.json()["text"], said.json()["client_id"]) == ("Hello", "a")
    assert said.json()["sender_name"] == "Dana"
    url = f"/api/conversations/{chat.conversation_id}/messages"
    answered = await client.post(url, headers=owner.headers, json={"text": "Hi \x00Dana"})
    assert answered.status_code == 201, answered.text
    assert answered.json()["text"] == "Hi Dana"
    # Nothing but NULs is nothing at all: the same answer as an empty message.
    empty = await client.post(
        "/api/portal/messages", headers=chat.headers, json={"text": "\x00\x00"}
    )
    assert empty.status_code == 422, empty.text
    renamed = await client.patch(
        f"/api/conversations/{chat.conversation_id}",
        headers=owner.headers,
        json={"client_description": "Reg\x00ular", "instructions": "Be\x00 kind"},
    )
    assert renamed.status_code == 200, renamed.text
    history = (await client.get(url, headers=owner.headers)).json()["messages"]
    assert all("\x00" not in m["text"] and "\x00" not in m["sender_name"] for m in history)


async def test_nul_in_any_other_text_is_dropped_before_the_database(
    client: httpx.AsyncClient,
) -> None:
    """Schemas not built on CleanInput (here: sign-up) are covered by the net in kit/db.py:
    no server error on PostgreSQL, and both databases store the same text."""
    owner = await register(client, business="Bake\x00ry", full_name="Sam\x00 Owner")
    workspace = await client.get("/api/workspace", headers=owner.headers)
    assert workspace.status_code == 200, workspace.text
    assert workspace.json()["name"] == "Bakery"
    me = await client.get("/api/me", headers=owner.headers)
    assert me.json()["user"]["full_name"] == "Sam Owner", me.text
