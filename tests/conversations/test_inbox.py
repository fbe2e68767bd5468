"""The staff's side: takeover, AI modes, drafts, edits, filters, export and import."""

from __future__ import annotations

import csv
import io

import httpx

from frontdesk.services import Services
from tests.factories import Account, Chat, add_member, register, say, start_chat


async def history(client: httpx.AsyncClient, chat: Chat) -> list[dict]:
    return list((await client.get("/api/portal/session", headers=chat.headers)).json()["messages"])


async def staff_view(client: httpx.AsyncClient, owner: Account, chat: Chat) -> list[dict]:
    response = await client.get(
        f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
    )
    return list(response.json()["messages"])


async def test_staff_reply_takes_over_until_handed_back(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client, full_name="Maya Patel")
    chat = await start_chat(client, owner.slug, "Dana")
    await say(client, chat, "hello")
    await services.jobs.drain()
    reply = await client.post(
        f"/api/conversations/{chat.conversation_id}/messages",
        headers=owner.headers,
        json={"text": "Hi Dana, Maya here."},
    )
    assert reply.status_code == 201 and reply.json()["sender_name"] == "Maya Patel"
    conversation = (
        await client.get(f"/api/conversations/{chat.conversation_id}", headers=owner.headers)
    ).json()
    assert conversation["ai_paused"] is True
    assert conversation["assignee_id"] == owner.tokens["user"]["id"]

    await say(client, chat, "thanks!")
    await services.jobs.drain()
    senders = [m["sender_type"] for m in await history(client, chat)]
    assert senders == ["customer", "assistant", "staff", "customer"]  # the assistant is quiet

    handed = await client.patch(
        f"/api/conversations/{chat.conversation_id}",
        headers=owner.headers,
        json={"ai_paused": False},
    )
    assert handed.status_code == 200
    await services.jobs.drain()
    senders = [m["sender_type"] for m in await history(client, chat)]
    assert senders[-1] == "assistant"  # handing back answers the waiting customer


async def test_draft_mode_review_revise_approve_and_discard(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, "Lee")
    await client.patch(
        f"/api/conversations/{chat.conversation_id}",
        headers=owner.headers,
        json={"ai_mode": "draft"},
    )
    await say(client, chat, "Can you tell me more about what you offer for families?")
    await services.jobs.drain()
    assert [m["sender_type"] for m in await history(client, chat)] == ["customer"]
    drafts = [m for m in await staff_view(client, owner, chat) if m["status"] == "draft"]
    assert len(drafts) == 1
    draft = drafts[0]

    revised = await client.post(
        f"/api/messages/{draft['id']}/revise",
        headers=owner.headers,
        json={"instructions": "shorter and warmer"},
    )
    assert revised.status_code == 200
    new_text = revised.json()["text"]
    assert new_text != draft["text"] and len(new_text) < len(draft["text"]) + 60
    assert new_text.startswith(("Thanks so much", "Happy to help"))
    unknown = await client.post(
        f"/api/messages/{draft['id']}/revise",
        headers=owner.headers,
        json={"instructions": "in the style of a pirate"},
    )
    assert unknown.status_code == 422

    approved = await client.post(f"/api/messages/{draft['id']}/approve", headers=owner.headers)
    assert approved.status_code == 200 and approved.json()["status"] == "sent"
    customer_sees = await history(client, chat)
    assert customer_sees[-1]["text"] == new_text
    again = await client.post(f"/api/messages/{draft['id']}/approve", headers=owner.headers)
    assert again.status_code == 409

    await say(client, chat, "ok and is parking free?")
    await services.jobs.drain()
    second = next(m for m in await staff_view(client, owner, chat) if m["status"] == "draft")
    edited = await client.post(
        f"/api/messages/{second['id']}/approve",
        headers=owner.headers,
        json={"text": "Yes, parking is free behind the building."},
    )
    assert edited.json()["text"] == "Yes, parking is free behind the building."
    await say(client, chat, "great, and on sundays?")
    await services.jobs.drain()
    third = next(m for m in await staff_view(client, owner, chat) if m["status"] == "draft")
    assert (
        await client.delete(f"/api/messages/{third['id']}", headers=owner.headers)
    ).status_code == 204
    assert all(m["id"] != third["id"] for m in await staff_view(client, owner, chat))
    assert all(m["id"] != third["id"] for m in await history(client, chat))


async def test_edit_and_delete_sent_messages(client: httpx.AsyncClient, services: Services) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    sent = (
        await client.post(
            f"/api/conversations/{chat.conversation_id}/messages",
            headers=owner.headers,
            json={"text": "Price is $50"},
        )
    ).json()
    edited = await client.patch(
        f"/api/messages/{sent['id']}", headers=owner.headers, json={"text": "Price is $45"}
    )
    assert edited.json()["edited_at"] is not None
    assert (await history(client, chat))[-1]["text"] == "Price is $45"
    assert (
        await client.delete(f"/api/messages/{sent['id']}", headers=owner.headers)
    ).status_code == 204
    marker = (await history(client, chat))[-1]
    assert marker["id"] == sent["id"] and marker["status"] == "deleted" and marker["text"] == ""
    cannot = await client.patch(
        f"/api/messages/{sent['id']}", headers=owner.headers, json={"text": "back"}
    )
    assert cannot.status_code == 409


async def test_simulate_the_client(client: httpx.AsyncClient, services: Services) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, "Test client")
    response = await client.post(
        f"/api/conversations/{chat.conversation_id}/messages",
        headers=owner.headers,
        json={"text": "where are you located?", "as_customer": True},
    )
    assert response.json()["sender_type"] == "customer"
    await services.jobs.drain()
    messages = await staff_view(client, owner, chat)
    assert [m["sender_type"] for m in messages] == ["customer", "assistant"]
    conversation = (
        await client.get(f"/api/conversations/{chat.conversation_id}", headers=owner.headers)
    ).json()
    assert conversation["ai_paused"] is False


async def test_filters_search_unread_and_assignment(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    agent = await add_member(client, owner, "agent")
    first = await start_chat(client, owner.slug, "Priya")
    second = await start_chat(client, owner.slug, "Omar")
    # Each reply stored before the next customer speaks: with both replies in flight at once,
    # which finishes last (and so which chat has the newest activity) is up to the jobs.
    await say(client, first, "my invoice number is INV-778")
    await services.jobs.drain()
    await say(client, second, "hello")
    await services.jobs.drain()

    def names(body: dict) -> list[str]:
        return [c["customer_name"] for c in body["conversations"]]

    listing = (await client.get("/api/conversations", headers=owner.headers)).json()
    assert names(listing) == ["Omar", "Priya"]  # newest activity first
    found = (
        await client.get("/api/conversations", headers=owner.headers, params={"q": "inv-778"})
    ).json()
    assert names(found) == ["Priya"]
    members = (await client.get("/api/workspace/members", headers=owner.headers)).json()
    agent_user = next(m["user_id"] for m in members["members"] if m["email"] == agent.email)
    await client.patch(
        f"/api/conversations/{first.conversation_id}",
        headers=owner.headers,
        json={"assignee_id": agent_user},
    )
    mine = (
        await client.get("/api/conversations", headers=agent.headers, params={"assigned": "me"})
    ).json()
    assert names(mine) == ["Priya"]
    unassigned = (
        await client.get(
            "/api/conversations", headers=owner.headers, params={"assigned": "unassigned"}
        )
    ).json()
    assert names(unassigned) == ["Omar"]
    stranger = await register(client)
    refused = await client.patch(
        f"/api/conversations/{first.conversation_id}",
        headers=owner.headers,
        json={"assignee_id": stranger.tokens["user"]["id"]},
    )
    assert refused.status_code == 422

    await client.post(f"/api/conversations/{first.conversation_id}/read", headers=owner.headers)
    listing = (await client.get("/api/conversations", headers=owner.headers)).json()
    unread = {c["customer_name"]: c["unread_count"] for c in listing["conversations"]}
    assert unread == {"Priya": 0, "Omar": 1}
    await client.patch(
        f"/api/conversations/{second.conversation_id}",
        headers=owner.headers,
        json={"status": "closed"},
    )
    closed = (
        await client.get("/api/conversations", headers=owner.headers, params={"status": "closed"})
    ).json()
    assert names(closed) == ["Omar"]


async def test_viewers_read_but_do_not_respond(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    viewer = await add_member(client, owner, "viewer")
    chat = await start_chat(client, owner.slug)
    assert (
        await client.get(f"/api/conversations/{chat.conversation_id}", headers=viewer.headers)
    ).status_code == 200
    refused = await client.post(
        f"/api/conversations/{chat.conversation_id}/messages",
        headers=viewer.headers,
        json={"text": "hi"},
    )
    assert refused.status_code == 403


async def test_export_and_import(client: httpx.AsyncClient, services: Services) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, "Ana")
    await say(client, chat, '=HYPERLINK("http://evil") what are your hours?')
    await services.jobs.drain()
    exported = await client.get(
        f"/api/conversations/{chat.conversation_id}/export", headers=owner.headers
    )
    body = exported.json()
    assert [m["sender_type"] for m in body["messages"]] == ["customer", "assistant"]
    as_csv = await client.get(
        f"/api/conversations/{chat.conversation_id}/export",
        headers=owner.headers,
        params={"format": "csv"},
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows[0]["text"].startswith("'=HYPERLINK")  # no formula runs in a spreadsheet
    imported = await client.post("/api/conversations/import", headers=owner.headers, json=body)
    assert imported.status_code == 201
    copy = imported.json()
    assert copy["id"] != chat.conversation_id and copy["customer_name"] == "Ana"
    copied = (
        await client.get(f"/api/conversations/{copy['id']}/messages", headers=owner.headers)
    ).json()["messages"]
    assert [m["text"] for m in copied] == [m["text"] for m in body["messages"]]
    bad = await client.post(
        "/api/conversations/import",
        headers=owner.headers,
        json={"conversation": {}, "messages": [{"sender_type": "robot"}]},
    )
    assert bad.status_code == 422
