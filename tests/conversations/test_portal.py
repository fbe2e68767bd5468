"""The customer's side of a conversation, through the public API."""

from __future__ import annotations

import httpx

from frontdesk.services import Services
from tests.factories import register, say, start_chat


async def test_session_message_and_assistant_reply(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client, business="Blue Door Cafe")
    created = await client.post(
        "/api/portal/blue-door-cafe/sessions",
        json={"name": "Dana Ortiz", "email": "dana@example.org"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["assistant"]["name"] == "Ava" and body["assistant"]["quick_prompts"]
    headers = {"Authorization": f"Bearer {body['session_token']}"}

    sent = await client.post(
        "/api/portal/messages", headers=headers, json={"text": "What are your opening hours?"}
    )
    assert sent.status_code == 201
    message = sent.json()
    assert message["sender_type"] == "customer" and message["sender_name"] == "Dana Ortiz"
    assert message["status"] == "sent" and message["meta"] is None
    await services.jobs.drain()

    later = await client.get(
        "/api/portal/messages", headers=headers, params={"after": message["id"]}
    )
    replies = later.json()["messages"]
    assert [m["sender_type"] for m in replies] == ["assistant"]
    assert "Monday: 9:00 am-5:00 pm" in replies[0]["text"]  # times as the US writes them
    assert "<li>Monday: 9:00 am-5:00 pm</li>" in replies[0]["html"]

    state = (await client.get("/api/portal/session", headers=headers)).json()
    assert [m["sender_type"] for m in state["messages"]] == ["customer", "assistant"]
    assert state["last_event_id"] > 0
    inbox = (await client.get("/api/conversations", headers=owner.headers)).json()
    assert inbox["conversations"][0]["customer_name"] == "Dana Ortiz"
    assert inbox["conversations"][0]["unread_count"] == 1


async def test_retry_with_the_same_client_id_sends_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    first = await say(client, chat, "Hello there", client_id="c-1")
    again = await say(client, chat, "Hello there", client_id="c-1")
    assert first["id"] == again["id"]
    await services.jobs.drain()
    state = (await client.get("/api/portal/session", headers=chat.headers)).json()
    assert [m["sender_type"] for m in state["messages"]] == ["customer", "assistant"]


async def test_message_markdown_is_sanitised(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    message = await say(
        client,
        chat,
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) `code`\n\n```\n<b>hi</b>\n```",
    )
    html = message["html"]
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<script" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert "&lt;b&gt;hi&lt;/b&gt;" in html  # code blocks show markup, never run it


async def test_bad_input_and_unknown_sessions(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    assert (await client.post("/api/portal/nobody/sessions", json={})).status_code == 404
    chat = await start_chat(client, owner.slug)
    blank = await client.post("/api/portal/messages", headers=chat.headers, json={"text": "  "})
    assert blank.status_code == 422
    huge = await client.post(
        "/api/portal/messages", headers=chat.headers, json={"text": "x" * 9000}
    )
    assert huge.status_code == 422
    unknown = await client.get("/api/portal/session", headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 401
    assert unknown.json()["error"]["code"] == "invalid_session"


async def test_customers_cannot_reach_each_other(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    alice = await start_chat(client, owner.slug, "Alice")
    bob = await start_chat(client, owner.slug, "Bob")
    secret = await say(client, bob, "my secret order 4711")
    peek = await client.get(
        "/api/portal/messages", headers=alice.headers, params={"after": secret["id"]}
    )
    assert peek.status_code == 404
    read = await client.post(
        "/api/portal/read", headers=alice.headers, json={"message_id": secret["id"]}
    )
    assert read.status_code == 404
    mine = (await client.get("/api/portal/session", headers=alice.headers)).json()
    assert "4711" not in str(mine)


async def test_start_over_keeps_the_old_conversation(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    first = await start_chat(client, owner.slug, "Sam")
    await say(client, first, "first visit")
    second = await start_chat(client, owner.slug, "Sam")
    assert second.conversation_id != first.conversation_id
    fresh = (await client.get("/api/portal/session", headers=second.headers)).json()
    assert fresh["messages"] == []
    inbox = (await client.get("/api/conversations", headers=owner.headers)).json()
    assert len(inbox["conversations"]) == 2


async def test_read_receipts_only_record_news(client: httpx.AsyncClient) -> None:
    """A reload re-sends its read receipt; only reading something new makes an event."""
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    note = (
        await client.post(
            f"/api/conversations/{chat.conversation_id}/messages",
            headers=owner.headers,
            json={"text": "hello"},
        )
    ).json()

    async def last_event() -> int:
        state = (await client.get("/api/portal/session", headers=chat.headers)).json()
        return int(state["last_event_id"])

    before = await last_event()
    assert (
        await client.post("/api/portal/read", headers=chat.headers, json={"message_id": note["id"]})
    ).status_code == 204
    after_first = await last_event()
    assert after_first > before  # the receipt is an event
    await client.post("/api/portal/read", headers=chat.headers, json={"message_id": note["id"]})
    assert await last_event() == after_first
