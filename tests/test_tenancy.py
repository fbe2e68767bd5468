"""No endpoint reads or writes across tenants.

Walks every API route the application serves. With workspace A's token, each route is called
with workspace B's identifiers; it must answer 403/404 and leak nothing of B. Control calls
with B's own token prove the identifiers were real. A new route with a new path parameter
fails this test until it is given a value here, so no route escapes it.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute

from tests.factories import Account, add_member, register

# Routes that are not scoped by a workspace token at all: they take credentials or a
# global secret (an invitation token) and are tested on their own.
PUBLIC_ROUTES = {
    ("POST", "/api/auth/register"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("GET", "/api/invitations/{token}"),
    ("POST", "/api/invitations/{token}/accept"),
}
SAMPLE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/workspace"): {"occupation": "intruder"},
    ("PUT", "/api/workspace/assistant"): {"name": "Intruder"},
    ("POST", "/api/workspace/members"): {"email": "spy@example.com", "role": "agent"},
    ("PATCH", "/api/workspace/members/{member_id}"): {"role": "viewer"},
}
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
        (method, route.path)
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
    if (method, path) == ("POST", "/api/auth/switch"):
        body = {"workspace_id": values["workspace_id"]}
    return await client.request(
        method,
        fill(path, values),
        headers=account.headers,
        json=body if method in ("POST", "PUT", "PATCH") else None,
    )


async def test_no_route_crosses_tenants(app: FastAPI, client: httpx.AsyncClient) -> None:
    a = await register(client, business="Alpha Dental", email="alice@alpha.example")
    b = await register(client, business="Beta Bistro", email="bob@beta.example")
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
    }
    b_before = [
        (await client.get(p, headers=b.headers)).json()
        for p in ("/api/workspace", "/api/workspace/assistant")
    ]
    b_secrets = [
        b.workspace_id,
        b.slug,
        "Beta Bistro",
        "bob@beta.example",
        "carol@beta.example",
        "dave@beta.example",
        b_agent_member,
        b_invite["id"],
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
    b_after = [
        (await client.get(p, headers=b.headers)).json()
        for p in ("/api/workspace", "/api/workspace/assistant")
    ]
    assert json.dumps(b_after, sort_keys=True) == json.dumps(b_before, sort_keys=True)

    # Control: the same identifiers work for B, so the refusals above were about tenancy.
    for method, path in [r for r in scoped if "{" in r[1]]:
        response = await request(client, method, path, b, b_values)
        assert response.status_code < 300, (method, path, response.text)


async def test_every_api_route_is_either_public_or_requires_a_token(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    values = {
        "member_id": "00000000-0000-0000-0000-000000000001",
        "invitation_id": "00000000-0000-0000-0000-000000000002",
        "token": "x" * 20,
    }
    for method, path in api_routes(app):
        if (method, path) in PUBLIC_ROUTES:
            continue
        response = await client.request(method, fill(path, values))
        assert response.status_code == 401, (method, path, response.status_code)
