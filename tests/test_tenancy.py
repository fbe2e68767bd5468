"""No endpoint reads or writes across tenants.

Walks every API route the application serves. With workspace A's token, each route is called
with workspace B's identifiers; it must answer 403/404 and leak nothing of B. Control calls
with B's own token prove the identifiers were real. A new route with a new path parameter
fails this test until it is given a value here, so no route escapes it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute

from frontdesk.services import Services
from tests import media
from tests.factories import Account, add_member, register, say, start_chat

# Routes that are not scoped by a workspace token at all: they take credentials or a
# global secret (an invitation token) and are tested on their own.
PUBLIC_ROUTES = {
    ("POST", "/api/auth/register"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("GET", "/api/invitations/{token}"),
    ("POST", "/api/invitations/{token}/accept"),
    # The customer's chat: a session token names one conversation
    # (tests/conversations/test_portal.py proves customers cannot reach each other).
    ("POST", "/api/portal/{slug}/sessions"),
    ("GET", "/api/portal/session"),
    ("POST", "/api/portal/messages"),
    ("GET", "/api/portal/messages"),
    ("POST", "/api/portal/typing"),
    ("POST", "/api/portal/read"),
    ("GET", "/api/portal/events"),
    # Server-Sent Events take the token in the query (tests/realtime).
    ("GET", "/api/events"),
    # The customer's manage link: its token names one booking, under its business's slug
    # (tests/appointments/test_manage_link.py: a wrong token, or another business's
    # address, finds nothing).
    ("GET", "/api/portal/{slug}/bookings/{token}"),
    ("GET", "/api/portal/{slug}/bookings/{token}/slots"),
    ("POST", "/api/portal/{slug}/bookings/{token}/cancel"),
    ("POST", "/api/portal/{slug}/bookings/{token}/reschedule"),
    # A calendar app fetches a private feed with its token alone; the token names one
    # workspace's (or one member's) feed (tests/appointments/test_feeds.py).
    ("GET", "/api/calendar/feed/{token}.ics"),
    # Google sends the browser back here; the single-use state names the workspace
    # (tests/calendars/test_sync_jobs.py: a forged or spent state connects nothing).
    ("GET", "/api/calendar/google/callback"),
}
SAMPLE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/workspace"): {"occupation": "intruder"},
    ("PUT", "/api/workspace/assistant"): {"name": "Intruder"},
    ("POST", "/api/workspace/members"): {"email": "spy@example.com", "role": "agent"},
    ("PATCH", "/api/workspace/members/{member_id}"): {"role": "viewer"},
    ("POST", "/api/conversations/{conversation_id}/messages"): {"text": "intrude"},
    ("PATCH", "/api/conversations/{conversation_id}"): {"status": "closed"},
    ("POST", "/api/conversations/{conversation_id}/typing"): {"typing": True},
    ("POST", "/api/messages/{message_id}/revise"): {"instructions": "shorter and warmer"},
    ("PATCH", "/api/messages/{message_id}"): {"text": "intrude"},
    ("POST", "/api/conversations/import"): {"conversation": {}, "messages": []},
    ("POST", "/api/workspace/intents"): {
        "name": "intruder",
        "examples": ["let me in", "open up"],
        "answer": "no",
    },
    ("PUT", "/api/workspace/intents/{intent_id}"): {
        "name": "parking",
        "examples": ["where do I park", "is there parking"],
        "answer": "Behind the building.",
    },
    ("PUT", "/api/workspace/engine"): {"provider": "local"},
    ("POST", "/api/knowledge/sources"): {"kind": "text", "title": "Spy", "text": "intrude"},
    ("PATCH", "/api/knowledge/sources/{source_id}"): {"title": "Renamed"},
    ("POST", "/api/knowledge/search"): {"query": "where do I park"},
    ("PATCH", "/api/leads/{lead_id}"): {"notes": "intrude"},
    ("PATCH", "/api/services/{service_id}"): {"name": "Renamed"},
    ("PATCH", "/api/appointments/{appointment_id}"): {"notes": "intrude"},
    ("POST", "/api/documents/{document_id}/review"): {"decision": "approved"},
    ("POST", "/api/tickets"): {"subject": "intrude"},
    ("PATCH", "/api/tickets/{ticket_id}"): {"status": "in_progress"},
    ("POST", "/api/tickets/{ticket_id}/notes"): {"text": "intrude"},
    ("POST", "/api/calendar/feeds"): {"scope": "workspace"},
    ("PUT", "/api/tickets/settings"): {
        "due_hours": {"urgent": 1, "high": 2, "medium": 3, "low": 4}
    },
}
# Routes that need a message in a particular state, so the control calls can succeed.
MESSAGE_FOR = {
    "/api/messages/{message_id}/approve": "draft_to_approve",
    "/api/messages/{message_id}/revise": "draft_to_revise",
}
# What B can read about itself, compared before and after A's attempts.
B_STATE = (
    "/api/workspace",
    "/api/workspace/assistant",
    "/api/workspace/intents",
    "/api/workspace/engine",
    "/api/contacts",
    "/api/knowledge/sources",
    "/api/leads",
    "/api/tickets",
    "/api/services",
    "/api/appointments",
    "/api/calendar/feeds",
    "/api/calendar/connection",
    "/api/calendar/syncs",
)
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def walk(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, including those of included routers (newer FastAPI nests them)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif (router := getattr(route, "original_router", None)) is not None:
            found.extend(walk(router.routes))
    return found


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    found = {
        (method, route.path_format)  # without convertors: {conversation_id:uuid} is filled too
        for route in walk(app.routes)
        if route.path.startswith("/api/")
        for method in route.methods
    }
    return sorted(found, key=lambda r: (METHOD_ORDER[r[0]], r[1]))


def fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"give tests/test_tenancy.py a value for the parameter in {path}"
    return path


async def request(
    client: httpx.AsyncClient, method: str, path: str, account: Account, values: dict[str, str]
) -> httpx.Response:
    body = SAMPLE_BODIES.get((method, path))
    values = {**values, "message_id": values[MESSAGE_FOR.get(path, "message_id")]}
    if (method, path) == ("POST", "/api/auth/switch"):
        body = {"workspace_id": values["workspace_id"]}
    return await client.request(
        method,
        fill(path, values),
        headers=account.headers,
        json=body if method in ("POST", "PUT", "PATCH") else None,
    )


async def test_no_route_crosses_tenants(
    app: FastAPI, client: httpx.AsyncClient, services: Services
) -> None:
    a = await register(client, business="Alpha Dental", email="alice@alpha.example")
    b = await register(client, business="Beta Bistro", email="bob@beta.example")
    chat = await start_chat(client, b.slug, "Erin Beta-Customer")
    await client.patch(
        f"/api/conversations/{chat.conversation_id}", headers=b.headers, json={"ai_mode": "draft"}
    )
    drafts = []
    for text in ("first question", "second question"):
        await say(client, chat, text)
        await services.jobs.drain()
        messages = (
            await client.get(
                f"/api/conversations/{chat.conversation_id}/messages", headers=b.headers
            )
        ).json()["messages"]
        drafts.append(next(m["id"] for m in messages if m["status"] == "draft"))
        if len(drafts) == 1:
            await client.post(f"/api/messages/{drafts[0]}/approve", headers=b.headers)
            drafts[0] = None
    staff_note = (
        await client.post(
            f"/api/conversations/{chat.conversation_id}/messages",
            headers=b.headers,
            json={"text": "noted"},
        )
    ).json()
    await client.patch(
        f"/api/conversations/{chat.conversation_id}",
        headers=b.headers,
        json={"ai_paused": False, "ai_mode": "draft"},
    )
    await say(client, chat, "third question")
    await services.jobs.drain()
    messages = (
        await client.get(f"/api/conversations/{chat.conversation_id}/messages", headers=b.headers)
    ).json()["messages"]
    pending = [m["id"] for m in messages if m["status"] == "draft"]
    assert len(pending) == 2, messages
    await say(client, chat, "my email is erin@beta.example")
    await services.jobs.drain()
    contact = (
        await client.get(f"/api/conversations/{chat.conversation_id}", headers=b.headers)
    ).json()["contact"]
    assert contact is not None and contact["email"] == "erin@beta.example", contact
    intent = (
        await client.post(
            "/api/workspace/intents",
            headers=b.headers,
            json={
                "name": "parking",
                "examples": ["where can I park", "is there parking nearby"],
                "answer": "Free parking behind the bistro.",
            },
        )
    ).json()
    source = (
        await client.post(
            "/api/knowledge/sources",
            headers=b.headers,
            json={"kind": "text", "title": "Beta secrets", "text": "The safe code is 4242."},
        )
    ).json()
    await services.jobs.drain()
    receipt_chat = await start_chat(client, b.slug, "Erin Beta-Customer")
    await client.post(
        "/api/portal/messages",
        headers=receipt_chat.headers,
        data={"text": "my payment receipt"},
        files={"file": ("receipt.png", media.png())},
    )
    await services.jobs.drain()
    [document] = (await client.get("/api/documents", headers=b.headers)).json()["documents"]
    # Erin left her email: she is B's lead.
    [lead] = (await client.get("/api/leads", headers=b.headers)).json()["leads"]
    ticket = (
        await client.post(
            "/api/tickets",
            headers=b.headers,
            json={"subject": "Beta fridge is humming", "conversation_id": chat.conversation_id},
        )
    ).json()
    beta_service = (
        await client.post(
            "/api/services",
            headers=b.headers,
            json={"name": "Beta tasting menu", "duration_minutes": 60},
        )
    ).json()
    first_free = (
        await client.get(
            "/api/availability",
            headers=b.headers,
            params={"service_id": beta_service["id"], "date": date.today().isoformat()},
        )
    ).json()["slots"][0]
    appointment = (
        await client.post(
            "/api/appointments",
            headers=b.headers,
            json={
                "service_id": beta_service["id"],
                "start": first_free["start"],
                "customer_name": "Erin Beta-Customer",
            },
        )
    ).json()
    b_agent = await add_member(client, b, "agent", email="carol@beta.example")
    b_invite = (
        await client.post(
            "/api/workspace/members", headers=b.headers, json={"email": "dave@beta.example"}
        )
    ).json()
    b_members = (await client.get("/api/workspace/members", headers=b.headers)).json()
    b_agent_member = next(m["id"] for m in b_members["members"] if m["email"] == b_agent.email)
    b_values = {
        "member_id": b_agent_member,
        "invitation_id": b_invite["id"],
        "workspace_id": b.workspace_id,
        "conversation_id": chat.conversation_id,
        "message_id": staff_note["id"],
        "draft_to_approve": pending[0],
        "draft_to_revise": pending[1],
        "contact_id": contact["id"],
        "intent_id": intent["id"],
        "source_id": source["id"],
        "lead_id": lead["id"],
        "document_id": document["id"],
        "ticket_id": ticket["id"],
        "service_id": beta_service["id"],
        "appointment_id": appointment["id"],
    }
    b_before = [(await client.get(p, headers=b.headers)).json() for p in B_STATE]
    b_secrets = [
        b.workspace_id,
        *(feed["url"] for feed in b_before[B_STATE.index("/api/calendar/feeds")]["feeds"]),
        b.slug,
        "Beta Bistro",
        "bob@beta.example",
        "carol@beta.example",
        "dave@beta.example",
        b_agent_member,
        b_invite["id"],
        chat.conversation_id,
        "Erin Beta-Customer",
        "first question",
        staff_note["id"],
        *pending,
        contact["id"],
        "erin@beta.example",
        intent["id"],
        "Free parking behind the bistro.",
        source["id"],
        "The safe code is 4242.",
        lead["id"],
        document["id"],
        ticket["id"],
        "Beta fridge is humming",
        beta_service["id"],
        "Beta tasting menu",
        appointment["id"],
    ]

    routes = api_routes(app)
    scoped = [r for r in routes if r not in PUBLIC_ROUTES and r != ("POST", "/api/auth/logout")]
    assert len(scoped) >= 12, scoped
    for method, path in scoped:
        response = await request(client, method, path, a, b_values)
        takes_ids = "{" in path or (method, path) == ("POST", "/api/auth/switch")
        if takes_ids:
            assert response.status_code in (403, 404), (method, path, response.text)
        else:
            assert response.status_code < 500, (method, path, response.text)
        leaked = [s for s in b_secrets if s in response.text]
        assert not leaked, (method, path, leaked)

    # B's data is exactly as it was.
    b_after = [(await client.get(p, headers=b.headers)).json() for p in B_STATE]
    assert json.dumps(b_after, sort_keys=True) == json.dumps(b_before, sort_keys=True)

    # Control: the same identifiers work for B, so the refusals above were about tenancy.
    for method, path in [r for r in scoped if "{" in r[1]]:
        response = await request(client, method, path, b, b_values)
        assert response.status_code < 300, (method, path, response.text)


async def test_every_api_route_is_either_public_or_requires_a_token(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    zero = "00000000-0000-0000-0000-00000000000"
    values = {
        "member_id": zero + "1",
        "invitation_id": zero + "2",
        "token": "x" * 20,
        "conversation_id": zero + "3",
        "message_id": zero + "4",
        "draft_to_approve": zero + "4",
        "draft_to_revise": zero + "4",
        "contact_id": zero + "5",
        "intent_id": zero + "6",
        "source_id": zero + "7",
        "lead_id": zero + "8",
        "document_id": zero + "8",
        "ticket_id": zero + "9",
        "service_id": zero + "a",
        "appointment_id": zero + "b",
    }
    for method, path in api_routes(app):
        if (method, path) in PUBLIC_ROUTES:
            continue
        response = await client.request(method, fill(path, values))
        assert response.status_code == 401, (method, path, response.status_code)
