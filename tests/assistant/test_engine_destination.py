"""Where a workspace's saved LLM key may be sent: only where it was entered, and never to an
address inside the server's network unless the instance allows it."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from frontdesk.assistant.models import AssistantProfile
from frontdesk.services import Services
from tests.conftest import Backend, client_for
from tests.factories import add_member, register

# Public literals: no DNS is needed, and nothing here connects to them.
OWNER_URL = "https://93.184.215.14/v1"
OTHER_URL = "https://93.184.215.15/v1"
KEY = "sk-owner-" + "k" * 40


async def _stored(services: Services) -> tuple[str, str, str]:
    async with services.unit_of_work() as uow:
        profile = (await uow.session.execute(select(AssistantProfile))).scalar_one()
    key = services.secrets.open(profile.engine_api_key) if profile.engine_api_key else ""
    return profile.engine_provider, profile.engine_base_url, key


async def test_moving_the_saved_key_elsewhere_needs_the_key(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    admin = await add_member(client, owner, "admin")
    saved = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": "openai", "base_url": OWNER_URL, "model": "m", "api_key": KEY},
    )
    assert saved.status_code == 200, saved.text

    # An admin who does not know the key cannot point it at another address, another
    # provider, or the vendor's default address.
    for body in (
        {"provider": "openai", "base_url": OTHER_URL, "model": "m"},
        {"provider": "openai", "model": "m"},
        {"provider": "anthropic", "base_url": OWNER_URL, "model": "m"},
    ):
        moved = await client.put("/api/workspace/engine", headers=admin.headers, json=body)
        assert moved.status_code == 422, (body, moved.text)
        error = moved.json()["error"]
        assert "Enter the API key again" in error["message"]
        assert error["details"][0]["field"] == "api_key"
    assert await _stored(services) == ("openai", OWNER_URL, KEY)

    # The same destination keeps the key; a key typed with the change is taken.
    same = await client.put(
        "/api/workspace/engine",
        headers=admin.headers,
        json={"provider": "openai", "base_url": OWNER_URL + "/", "model": "m2"},
    )
    assert same.status_code == 200, same.text
    assert same.json()["api_key_set"] is True

    # Switching to the local engine sends the key nowhere, so it is kept; coming back to a
    # provider is a new destination and needs the key again.
    local = await client.put(
        "/api/workspace/engine", headers=admin.headers, json={"provider": "local"}
    )
    assert local.status_code == 200 and local.json()["api_key_set"] is True
    back = await client.put(
        "/api/workspace/engine",
        headers=admin.headers,
        json={"provider": "openai", "base_url": OWNER_URL, "model": "m"},
    )
    assert back.status_code == 422
    with_key = await client.put(
        "/api/workspace/engine",
        headers=admin.headers,
        json={"provider": "openai", "base_url": OTHER_URL, "model": "m", "api_key": "sk-new"},
    )
    assert with_key.status_code == 200, with_key.text
    assert await _stored(services) == ("openai", OTHER_URL, "sk-new")


async def test_private_base_urls_are_refused_unless_allowed(
    client: httpx.AsyncClient, backend: Backend
) -> None:
    owner = await register(client)
    for url in (
        "http://127.0.0.1:11434/v1",
        "http://localhost:11434/v1",
        "http://169.254.169.254/latest",
        "http://10.0.0.5/v1",
        "http://[::1]:8000/v1",
    ):
        refused = await client.put(
            "/api/workspace/engine",
            headers=owner.headers,
            json={"provider": "openai", "base_url": url, "model": "m", "api_key": KEY},
        )
        assert refused.status_code == 422, (url, refused.text)
        error = refused.json()["error"]
        assert error["details"][0]["field"] == "base_url"
        assert "FRONTDESK_ALLOW_PRIVATE_NETWORK=true" in error["message"]
    engine = (await client.get("/api/workspace/engine", headers=owner.headers)).json()
    assert engine["base_url"] == "" and engine["api_key_set"] is False

    async with client_for(backend.settings(allow_private_network=True)) as allowed:
        saved = await allowed.put(
            "/api/workspace/engine",
            headers=owner.headers,
            json={
                "provider": "openai",
                "base_url": "http://127.0.0.1:11434/v1",
                "model": "m",
                "api_key": KEY,
            },
        )
        assert saved.status_code == 200, saved.text
