"""A sealed LLM key through a key rotation, end to end: the provider (a loopback server that
accepts exactly one key) keeps receiving the key while a new encryption key is put first,
after ``rotate_secrets`` with the new key alone, and a server that lost the key the value is
sealed with answers with the local engine instead of sending anything wrong."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from sqlalchemy import text

from frontdesk.app import create_app
from frontdesk.kit.secret_rotation import rotate_secrets
from frontdesk.models import Base
from tests.assistant.llm_script import Say, serve
from tests.assistant.llm_servers import OpenAIServer
from tests.conftest import Backend, client_for, empty_database, services_of
from tests.factories import Account, register, say, start_chat

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
API_KEY = "sk-openai-rotation-0123456789"


@pytest.fixture(scope="module")
def openai_api() -> Iterator[tuple[OpenAIServer, str]]:
    api = OpenAIServer()
    with serve(api) as url:
        yield api, url + "/v1"


def _app(backend: Backend, keys: str) -> FastAPI:
    return create_app(backend.settings(allow_private_network=True, secrets_keys=keys))


async def _reply_engine(application: FastAPI, client: httpx.AsyncClient, owner: Account) -> str:
    chat = await start_chat(client, owner.slug)
    await say(client, chat, "can I book a cleaning next week?")
    await services_of(application).jobs.drain()
    messages = (
        await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
    ).json()["messages"]
    reply = messages[-1]
    assert reply["sender_type"] == "assistant"
    return str(reply["meta"]["engine"])


async def test_the_provider_gets_the_key_before_during_and_after_a_rotation(
    backend: Backend, openai_api: tuple[OpenAIServer, str]
) -> None:
    api, url = openai_api
    api.reset()
    api.api_key = API_KEY  # any other key is answered 401, and the local engine replies
    api.always(Say(["Yes, we have Tuesday at 10."]))

    first = _app(backend, OLD)
    await empty_database(services_of(first).db)
    async with client_for(first.state.services.settings, first) as client:
        owner = await register(client, business="Rotation Dental")
        saved = await client.put(
            "/api/workspace/engine",
            headers=owner.headers,
            json={"provider": "openai", "base_url": url, "model": "m", "api_key": API_KEY},
        )
        assert saved.status_code == 200, saved.text
        async with services_of(first).db.engine.connect() as connection:
            (stored,) = (
                await connection.execute(
                    text("SELECT engine_api_key FROM assistant_profiles WHERE engine_api_key != ''")
                )
            ).one()
        assert API_KEY not in stored
        assert await _reply_engine(first, client, owner) == "openai"

    during = _app(backend, f"{NEW},{OLD}")  # the new key first, the old one still listed
    async with client_for(during.state.services.settings, during) as client:
        assert await _reply_engine(during, client, owner) == "openai"
        report = await rotate_secrets(
            services_of(during).db, services_of(during).secrets, Base.metadata
        )
        assert (report.resealed, report.unreadable) == (1, [])

    after = _app(backend, NEW)  # the old key removed
    async with client_for(after.state.services.settings, after) as client:
        assert await _reply_engine(after, client, owner) == "openai"

    requests_so_far = len(api.requests)
    stale = _app(backend, OLD)  # a server still configured with the old key only
    async with client_for(stale.state.services.settings, stale) as client:
        assert await _reply_engine(stale, client, owner) == "local"
    assert len(api.requests) == requests_so_far  # nothing was sent to the provider
    assert all(r.headers.get("authorization") == f"Bearer {API_KEY}" for r in api.requests)
