"""Plain functions that make what tests need, through the public API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx

_numbers = itertools.count(1)
PASSWORD = "correct horse battery"


@dataclass
class Account:
    email: str
    password: str
    tokens: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}

    @property
    def workspace_id(self) -> str:
        return str(self.tokens["workspace"]["id"])

    @property
    def slug(self) -> str:
        return str(self.tokens["workspace"]["slug"])


async def register(
    client: httpx.AsyncClient,
    business: str | None = None,
    email: str | None = None,
    full_name: str = "Sam Owner",
) -> Account:
    number = next(_numbers)
    email = email or f"owner{number}@example.com"
    response = await client.post(
        "/api/auth/register",
        json={
            "email": email,
            "password": PASSWORD,
            "full_name": full_name,
            "business_name": business or f"Business {number}",
        },
    )
    assert response.status_code == 201, response.text
    return Account(email, PASSWORD, response.json())


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> Account:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return Account(email, password, response.json())


async def add_member(
    client: httpx.AsyncClient, owner: Account, role: str, email: str | None = None
) -> Account:
    """Invite someone with ``role`` and accept as a brand-new user."""
    email = email or f"member{next(_numbers)}@example.com"
    invited = await client.post(
        "/api/workspace/members", headers=owner.headers, json={"email": email, "role": role}
    )
    assert invited.status_code == 201, invited.text
    accepted = await client.post(
        f"/api/invitations/{invited.json()['token']}/accept",
        json={"full_name": "Member Person", "password": PASSWORD},
    )
    assert accepted.status_code == 200, accepted.text
    return Account(email, PASSWORD, accepted.json())


@dataclass
class Chat:
    """A customer's chat session, through the portal API."""

    token: str
    conversation_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def start_chat(client: httpx.AsyncClient, slug: str, name: str | None = None) -> Chat:
    response = await client.post(f"/api/portal/{slug}/sessions", json={"name": name})
    assert response.status_code == 201, response.text
    body = response.json()
    return Chat(body["session_token"], body["conversation_id"])


async def say(client: httpx.AsyncClient, chat: Chat, text: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/portal/messages", headers=chat.headers, json={"text": text, **extra}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
