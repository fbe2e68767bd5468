"""Tickets through the public API with no API key: a complaint in the portal chat becomes a
ticket with the right category and priority, the customer sees its reference and every status
update in chat (live, through the event log), follow-ups land on the same ticket, and the
customer's "yes it works now" confirms it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from frontdesk.realtime.events import EventRepository
from frontdesk.services import Services
from tests.factories import Account, Chat, register, say, start_chat

COMPLAINT = (
    "You charged my card twice for the same cleaning and nobody has replied to my emails. "
    "This is unacceptable, I want my money back."
)


async def _chat_lines(client: httpx.AsyncClient, chat: Chat) -> list[dict[str, Any]]:
    response = await client.get("/api/portal/messages", headers=chat.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


async def _only_ticket(client: httpx.AsyncClient, owner: Account) -> dict[str, Any]:
    listed = (await client.get("/api/tickets", headers=owner.headers)).json()
    assert len(listed["tickets"]) == 1, listed
    ticket_id = listed["tickets"][0]["id"]
    return dict((await client.get(f"/api/tickets/{ticket_id}", headers=owner.headers)).json())


async def _set(
    client: httpx.AsyncClient, owner: Account, ticket_id: str, **changes: Any
) -> httpx.Response:
    return await client.patch(f"/api/tickets/{ticket_id}", headers=owner.headers, json=changes)


async def test_a_complaint_becomes_a_ticket_the_customer_follows_in_chat(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, name="Dana Ortiz")
    await say(client, chat, COMPLAINT)
    await services.jobs.drain()

    ticket = await _only_ticket(client, owner)
    assert ticket["category"] == "billing_payment"
    assert ticket["priority"] == "urgent"  # money lost, angry, and nobody answered
    assert ticket["status"] == "pending" and ticket["reference"].startswith("T-")
    assert "charged my card twice" in ticket["summary"]["what_happened"]
    assert ticket["summary"]["customer_wants"] == "a refund"
    created = datetime.fromisoformat(ticket["created_at"])
    assert datetime.fromisoformat(ticket["due_at"]) - created < timedelta(minutes=1)
    assert ticket["conversation_id"] == chat.conversation_id
    reference = ticket["reference"]

    lines = await _chat_lines(client, chat)
    replies = [m["text"] for m in lines if m["sender_type"] == "assistant"]
    assert len(replies) == 1 and reference in replies[0]

    # A follow-up lands on the same ticket; no second ticket, no second reference.
    await say(client, chat, "I already tried calling your office twice, the line was busy.")
    await services.jobs.drain()
    ticket = await _only_ticket(client, owner)
    joined = [e["text"] for e in ticket["history"] if e["kind"] == "message"]
    assert joined == ["I already tried calling your office twice, the line was busy."]

    # Each status change is a line in the customer's chat.
    for status, words in (("in_progress", "working on it"), ("fixed", "Is everything working")):
        changed = await _set(client, owner, ticket["id"], status=status)
        assert changed.status_code == 200, changed.text
        latest = (await _chat_lines(client, chat))[-1]
        assert latest["sender_type"] == "system"
        assert reference in latest["text"] and words in latest["text"]

    # The customer confirms in chat: the ticket is confirmed, and they are told it is closed.
    await say(client, chat, "yes it works now, thank you")
    await services.jobs.drain()
    ticket = await _only_ticket(client, owner)
    assert ticket["status"] == "confirmed" and ticket["resolved_at"] is not None
    history = [(e["kind"], e["field"], e["new_value"], e["actor_type"]) for e in ticket["history"]]
    assert ("change", "status", "in_progress", "staff") in history
    assert ("change", "status", "confirmed", "customer") in history
    assert (await _chat_lines(client, chat))[-1]["text"].startswith(f"Ticket {reference} is closed")

    # The status lines reached the customer's live channel (events recorded for everyone).
    async with services.unit_of_work() as uow:
        events = await EventRepository(uow.session, uuid.UUID(owner.workspace_id)).after(
            0, uuid.UUID(chat.conversation_id)
        )
    system_lines = [
        e.data["text"]
        for e in events
        if e.type == "message:new" and e.data.get("sender_type") == "system"
    ]
    assert len(system_lines) == 3 and all(reference in line for line in system_lines)

    audit = (await client.get("/api/audit", headers=owner.headers)).json()["events"]
    assert {"ticket.opened", "ticket.updated", "ticket.confirmed"} <= {e["action"] for e in audit}


async def test_fixed_but_still_broken_reopens(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    await say(client, chat, "the booking page keeps giving me an error when I pay")
    await services.jobs.drain()
    ticket = await _only_ticket(client, owner)
    assert ticket["category"] == "technical"
    assert (await _set(client, owner, ticket["id"], status="fixed")).status_code == 200
    await say(client, chat, "no, it still doesn't work")
    await services.jobs.drain()
    assert (await _only_ticket(client, owner))["status"] == "in_progress"


async def test_staff_work_a_ticket(client: httpx.AsyncClient, services: Services) -> None:
    owner = await register(client)
    other = await register(client)
    created = await client.post(
        "/api/tickets",
        headers=owner.headers,
        json={"subject": "Printer in room 2 jams", "category": "technical", "priority": "low"},
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["due_at"] > ticket["created_at"] and not ticket["overdue"]

    note = await client.post(
        f"/api/tickets/{ticket['id']}/notes", headers=owner.headers, json={"text": "Ordered a part"}
    )
    assert note.status_code == 201 and note.json()["kind"] == "note"
    blank = await client.post(
        f"/api/tickets/{ticket['id']}/notes", headers=owner.headers, json={"text": "   "}
    )
    assert blank.status_code == 422

    refused = await _set(client, owner, ticket["id"], status="rejected")
    assert refused.status_code == 422  # a rejection says why
    me = owner.tokens["user"]["id"]
    assigned = await _set(client, owner, ticket["id"], assignee_id=me, priority="urgent")
    assert assigned.status_code == 200
    body = assigned.json()
    assert body["assignee_id"] == me and body["priority"] == "urgent"
    # Urgent is due at once: the due time follows the new priority.
    assert datetime.fromisoformat(body["due_at"]) == datetime.fromisoformat(body["created_at"])
    assert body["overdue"]
    stranger = await _set(client, owner, ticket["id"], assignee_id=other.tokens["user"]["id"])
    assert stranger.status_code == 422

    rejected = await _set(client, owner, ticket["id"], status="rejected", rejection_reason="Dup")
    assert rejected.status_code == 200 and rejected.json()["rejection_reason"] == "Dup"

    listed = (await client.get("/api/tickets?status=rejected", headers=owner.headers)).json()
    assert [t["id"] for t in listed["tickets"]] == [ticket["id"]]
    assert listed["stats"]["resolved"] == 1 and listed["stats"]["total"] == 1
    found = (
        await client.get(f"/api/tickets?q={ticket['reference']}", headers=owner.headers)
    ).json()
    assert len(found["tickets"]) == 1
    mine = (await client.get("/api/tickets?assignee=me", headers=owner.headers)).json()
    assert len(mine["tickets"]) == 1
    none = (await client.get("/api/tickets?assignee=unassigned", headers=owner.headers)).json()
    assert none["tickets"] == []

    # Another workspace cannot see or touch it.
    for response in (
        await client.get(f"/api/tickets/{ticket['id']}", headers=other.headers),
        await _set(client, other, ticket["id"], status="pending"),
        await client.post(
            f"/api/tickets/{ticket['id']}/notes", headers=other.headers, json={"text": "x"}
        ),
    ):
        assert response.status_code == 404
    assert (await client.get("/api/tickets", headers=other.headers)).json()["tickets"] == []
