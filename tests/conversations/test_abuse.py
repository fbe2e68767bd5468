"""The public chat endpoints refuse floods with 429 and Retry-After, and store nothing."""

from __future__ import annotations

import httpx

from tests import media
from tests.conftest import Backend, client_for
from tests.factories import register, start_chat


async def test_session_creation_is_limited_per_ip(
    client: httpx.AsyncClient, backend: Backend
) -> None:
    owner = await register(client)
    async with client_for(backend.settings(portal_sessions_per_ip="2/hour")) as http:
        for _ in range(2):
            ok = await http.post(f"/api/portal/{owner.slug}/sessions", json={})
            assert ok.status_code == 201
        refused = await http.post(f"/api/portal/{owner.slug}/sessions", json={})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
    inbox = (await client.get("/api/conversations", headers=owner.headers)).json()
    assert len(inbox["conversations"]) == 2


async def test_messages_are_limited_per_chat(client: httpx.AsyncClient, backend: Backend) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    async with client_for(backend.settings(portal_messages_per_session="3/minute")) as http:
        first = None
        for index in range(3):
            sent = await http.post(
                "/api/portal/messages",
                headers=chat.headers,
                json={"text": f"message {index}", "client_id": f"c{index}"},
            )
            assert sent.status_code == 201
            first = first or sent.json()
        refused = await http.post(
            "/api/portal/messages", headers=chat.headers, json={"text": "one too many"}
        )
        assert refused.status_code == 429 and refused.headers["retry-after"]
        # A retry of a message that did arrive is answered, not counted.
        again = await http.post(
            "/api/portal/messages",
            headers=chat.headers,
            json={"text": "message 0", "client_id": "c0"},
        )
        assert again.status_code == 201 and again.json()["id"] == first["id"]
    texts = [
        m["text"]
        for m in (await client.get("/api/portal/session", headers=chat.headers)).json()["messages"]
        if m["sender_type"] == "customer"
    ]
    assert "one too many" not in texts and len(texts) == 3


async def test_upload_volume_is_limited_per_chat(
    client: httpx.AsyncClient, backend: Backend
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    async with client_for(backend.settings(portal_upload_mb_per_session="2/hour")) as http:
        for _ in range(2):
            ok = await http.post(
                "/api/portal/uploads", headers=chat.headers, files={"file": ("a.png", media.png())}
            )
            assert ok.status_code == 201
        refused = await http.post(
            "/api/portal/uploads", headers=chat.headers, files={"file": ("b.png", media.png())}
        )
        assert refused.status_code == 429
