"""Custom intents and the engine setting, through the API."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from frontdesk.assistant.models import AssistantProfile
from frontdesk.services import Services
from tests.factories import add_member, register

PARKING = {
    "name": "Parking",
    "examples": ["where can I park", "is there parking", "  ", "is there parking"],
    "answer": "Free parking behind the building.",
}


async def test_custom_intents_crud(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    created = await client.post("/api/workspace/intents", headers=owner.headers, json=PARKING)
    assert created.status_code == 201, created.text
    intent = created.json()
    assert intent["name"] == "parking"  # normalised
    assert intent["examples"] == ["where can I park", "is there parking"]  # de-duplicated

    listed = (await client.get("/api/workspace/intents", headers=owner.headers)).json()
    assert [i["id"] for i in listed["intents"]] == [intent["id"]]
    assert "book_appointment" in listed["builtin"] and len(listed["builtin"]) == 19

    again = await client.post("/api/workspace/intents", headers=owner.headers, json=PARKING)
    assert again.status_code == 409
    builtin = await client.post(
        "/api/workspace/intents", headers=owner.headers, json={**PARKING, "name": "pricing"}
    )
    assert builtin.status_code == 409

    changed = await client.put(
        f"/api/workspace/intents/{intent['id']}",
        headers=owner.headers,
        json={"name": "parking", "examples": ["car park?", "where to park"], "action": "handoff"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["action"] == "handoff"

    deleted = await client.delete(f"/api/workspace/intents/{intent['id']}", headers=owner.headers)
    assert deleted.status_code == 204
    assert (await client.get("/api/workspace/intents", headers=owner.headers)).json()[
        "intents"
    ] == []
    missing = await client.delete(f"/api/workspace/intents/{uuid.uuid4()}", headers=owner.headers)
    assert missing.status_code == 404


async def test_bad_intents_are_refused_clearly(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    for body in (
        {**PARKING, "examples": ["only one"]},
        {**PARKING, "answer": ""},
        {**PARKING, "name": "!!"},
    ):
        response = await client.post("/api/workspace/intents", headers=owner.headers, json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["message"]


async def test_agents_cannot_change_intents_or_the_engine(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    agent = await add_member(client, owner, "agent")
    response = await client.post("/api/workspace/intents", headers=agent.headers, json=PARKING)
    assert response.status_code == 403
    response = await client.put(
        "/api/workspace/engine", headers=agent.headers, json={"provider": "local"}
    )
    assert response.status_code == 403
    assert (await client.get("/api/workspace/engine", headers=agent.headers)).status_code == 200


async def test_the_api_key_is_write_only_and_sealed(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    secret = "sk-test-" + "k" * 40
    engine = await client.get("/api/workspace/engine", headers=owner.headers)
    assert engine.json() == {"provider": "local", "base_url": "", "model": "", "api_key_set": False}

    saved = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={
            "provider": "openai",
            "base_url": "http://93.184.215.14:11434/v1/",  # a public literal: no DNS
            "model": "llama3.2",
            "api_key": secret,
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "provider": "openai",
        "base_url": "http://93.184.215.14:11434/v1",
        "model": "llama3.2",
        "api_key_set": True,
    }
    assert secret not in saved.text
    assert secret not in (await client.get("/api/workspace/engine", headers=owner.headers)).text
    audit = await client.get("/api/audit", headers=owner.headers)
    assert secret not in audit.text
    async with services.unit_of_work() as uow:
        stored = (
            (await uow.session.execute(select(AssistantProfile.engine_api_key))).scalars().all()
        )
    assert stored and all(secret not in value for value in stored)
    assert services.secrets.open(stored[0]) == secret

    # Omitting the key keeps it (same provider and base URL); an empty key removes it.
    kept = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": "openai", "base_url": "http://93.184.215.14:11434/v1", "model": "m2"},
    )
    assert kept.json()["api_key_set"] is True
    removed = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": "local", "api_key": ""},
    )
    assert removed.json()["api_key_set"] is False

    no_model = await client.put(
        "/api/workspace/engine", headers=owner.headers, json={"provider": "anthropic"}
    )
    assert no_model.status_code == 422
    bad_url = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": "openai", "model": "x", "base_url": "ftp://nope"},
    )
    assert bad_url.status_code == 422


def test_a_key_sealed_under_another_secret_means_the_local_engine() -> None:
    """After the server secret changes, the stored key cannot be read: replies come from the
    local engine instead of failing against the provider on every message."""
    from frontdesk.assistant.engine_settings import provider_config
    from frontdesk.kit.secrets import SecretBox, derived_key
    from frontdesk.settings import Settings

    old = SecretBox([derived_key("old-secret-" + "x" * 40)])
    new = SecretBox([derived_key("new-secret-" + "y" * 40)])
    profile = AssistantProfile(
        engine_provider="openai", engine_model="m", engine_base_url="", engine_api_key=""
    )
    settings = Settings(secret_key="s" * 40)
    profile.engine_api_key = new.seal("sk-live")
    readable = provider_config(profile, new, settings)
    assert (readable.provider, readable.api_key) == ("openai", "sk-live")
    assert readable.base_url == "https://api.openai.com/v1"
    profile.engine_api_key = old.seal("sk-live")
    assert provider_config(profile, new, settings).provider == "local"
