"""Uploads: checked by content, limited in size, stored under random names, served only by
capability URL, and voice notes transcribed offline."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from frontdesk.attachments.models import Attachment
from frontdesk.kit.db import utcnow
from frontdesk.services import Services
from tests import media
from tests.conftest import Backend, client_for
from tests.factories import register, start_chat


def stored_files(services: Services) -> list[Path]:
    root = services.settings.resolved_storage_dir
    return sorted(p for p in root.glob("*") if p.is_file()) if root.exists() else []


async def test_photo_with_a_message_is_stored_and_served(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    before = stored_files(services)
    response = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        data={"text": "here is the receipt", "client_id": "m-1"},
        files={"file": ("../../etc/passwd.png", media.png(), "text/plain")},
    )
    assert response.status_code == 201, response.text
    message = response.json()
    [attachment] = message["attachments"]
    assert attachment["kind"] == "image" and attachment["content_type"] == "image/png"
    assert attachment["filename"] == "passwd.png"  # no path survives, even for display
    new_files = sorted(set(stored_files(services)) - set(before))
    assert len(new_files) == 1 and "passwd" not in new_files[0].name
    assert new_files[0].parent == services.settings.resolved_storage_dir

    served = await client.get(attachment["url"])
    assert served.status_code == 200 and served.content == media.png()
    assert served.headers["content-type"] == "image/png"
    assert "sandbox" in served.headers["content-security-policy"]
    assert served.headers["x-content-type-options"] == "nosniff"
    wrong_key = attachment["url"].rsplit("/", 1)[0] + "/guess"
    assert (await client.get(wrong_key)).status_code == 404
    staff = (
        await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
    ).json()["messages"]
    assert staff[0]["attachments"][0]["id"] == attachment["id"]


async def test_two_step_upload_then_message(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    uploaded = await client.post(
        "/api/portal/uploads", headers=chat.headers, files={"file": ("quote.docx", media.docx())}
    )
    assert uploaded.status_code == 201
    assert uploaded.json()["kind"] == "document"
    sent = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        json={"attachment_ids": [uploaded.json()["id"]]},
    )
    assert sent.status_code == 201 and sent.json()["attachments"][0]["filename"] == "quote.docx"
    reused = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        json={"attachment_ids": [uploaded.json()["id"]]},
    )
    assert reused.status_code == 422
    other = await start_chat(client, owner.slug)
    foreign = await client.post(
        "/api/portal/uploads", headers=other.headers, files={"file": ("a.pdf", media.pdf())}
    )
    stolen = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        json={"attachment_ids": [foreign.json()["id"]]},
    )
    assert stolen.status_code == 422


async def test_lying_and_oversized_files_are_refused_and_nothing_stored(
    client: httpx.AsyncClient, services: Services, backend: Backend
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    before = stored_files(services)
    cases = [
        ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),  # a Windows program
        ("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("empty.png", b"", "image/png"),
    ]
    for name, data, declared in cases:
        refused = await client.post(
            "/api/portal/messages", headers=chat.headers, files={"file": (name, data, declared)}
        )
        assert refused.status_code in (415, 422), (name, refused.text)
        assert refused.json()["error"]["message"]
    async with client_for(backend.settings(upload_limit_mb=1)) as small:
        big = media.png() + b"\x00" * 1_100_000
        too_big = await small.post(
            "/api/portal/uploads", headers=chat.headers, files={"file": ("big.png", big)}
        )
        assert too_big.status_code == 413
        assert too_big.json()["error"]["code"] == "file_too_large"
    assert stored_files(services) == before
    state = (await client.get("/api/portal/session", headers=chat.headers)).json()
    assert state["messages"] == []


async def test_unattached_uploads_expire_after_a_day(
    client: httpx.AsyncClient, services: Services
) -> None:
    from frontdesk.attachments.tasks import remove_unattached

    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    before = set(stored_files(services))
    kept = (
        await client.post(
            "/api/portal/messages", headers=chat.headers, files={"file": ("kept.pdf", media.pdf())}
        )
    ).json()
    stale = (
        await client.post(
            "/api/portal/uploads", headers=chat.headers, files={"file": ("stale.pdf", media.pdf())}
        )
    ).json()
    fresh = (
        await client.post(
            "/api/portal/uploads", headers=chat.headers, files={"file": ("fresh.pdf", media.pdf())}
        )
    ).json()
    async with services.unit_of_work() as uow:
        await uow.session.execute(
            update(Attachment)
            .where(
                Attachment.id.in_([uuid.UUID(stale["id"]), uuid.UUID(kept["attachments"][0]["id"])])
            )
            .values(created_at=utcnow() - timedelta(hours=25))
        )
    await remove_unattached(services)
    assert (await client.get(stale["url"])).status_code == 404
    assert (await client.get(fresh["url"])).status_code == 200
    assert (await client.get(kept["attachments"][0]["url"])).status_code == 200
    assert len(set(stored_files(services)) - before) == 2  # the stale file is gone


async def test_voice_note_is_transcribed_offline_and_answered(
    client: httpx.AsyncClient, services: Services, tmp_path: Path
) -> None:
    owner = await register(client, business="Bright Smile Dental")
    chat = await start_chat(client, owner.slug, "Noor")
    audio = media.spoken_wav("Hello. What time do you open on Saturday?", tmp_path)
    sent = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        files={"file": ("voice-note.webm", audio, "audio/webm")},
    )
    assert sent.status_code == 201, sent.text
    note = sent.json()
    assert note["attachments"][0]["kind"] == "audio"
    assert note["attachments"][0]["transcript_status"] == "pending"
    await services.jobs.drain()
    history = (await client.get("/api/portal/session", headers=chat.headers)).json()["messages"]
    transcribed = history[0]
    words = transcribed["text"].lower()
    assert "what time" in words and "open" in words and "saturday" in words, words
    assert transcribed["attachments"][0]["transcript_status"] == "done"
    assert transcribed["attachments"][0]["transcript"] == transcribed["text"]
    # The assistant answered the transcript, not an empty message.
    assert history[-1]["sender_type"] == "assistant" and "Saturday" in history[-1]["text"]
