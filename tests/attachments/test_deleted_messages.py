"""Deleting a message takes its files with it: their links stop working at once and the
stored bytes are removed (by a job that may safely run twice)."""

from __future__ import annotations

import httpx

from frontdesk.attachments.tasks import remove_files
from frontdesk.services import Services
from tests import media
from tests.attachments.test_uploads import stored_files
from tests.factories import register, start_chat


async def test_a_deleted_messages_files_are_gone(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    before = set(stored_files(services))
    sent = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        data={"text": "my card, sorry, wrong chat"},
        files={"file": ("card.png", media.png(), "image/png")},
    )
    assert sent.status_code == 201, sent.text
    [attachment] = sent.json()["attachments"]
    [stored] = set(stored_files(services)) - before
    assert (await client.get(attachment["url"])).status_code == 200

    deleted = await client.delete(f"/api/messages/{sent.json()['id']}", headers=owner.headers)
    assert deleted.status_code == 204, deleted.text
    assert (await client.get(attachment["url"])).status_code == 404  # at once, not after a job
    await services.jobs.drain()
    assert not stored.exists()
    await remove_files(services, [stored.name])  # run again (a redelivered job): no harm
    history = await client.get("/api/portal/session", headers=chat.headers)
    [marker] = [m for m in history.json()["messages"] if m["id"] == sent.json()["id"]]
    assert marker["status"] == "deleted" and marker["attachments"] == []
