"""An LLM engine opens a ticket through the same ``open_ticket`` tool the local policy uses:
the loopback OpenAI-compatible server asks for the call, the product's tool runs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from frontdesk.app import create_app
from frontdesk.services import Services
from tests.assistant.llm_script import Call, Say, UseTools, serve
from tests.assistant.llm_servers import OpenAIServer
from tests.conftest import Backend, services_of
from tests.factories import register, say, start_chat


@pytest_asyncio.fixture(scope="module")
async def app(backend: Backend) -> AsyncIterator[FastAPI]:
    application = create_app(backend.settings(allow_private_network=True))
    await services_of(application).start()
    yield application
    await services_of(application).close()


@pytest.fixture(scope="module")
def openai_api() -> Iterator[tuple[OpenAIServer, str]]:
    api = OpenAIServer()
    with serve(api) as url:
        yield api, url + "/v1"


async def test_a_connected_model_opens_a_ticket(
    client: httpx.AsyncClient, services: Services, openai_api: tuple[OpenAIServer, str]
) -> None:
    api, url = openai_api
    api.reset()
    api.api_key = f"sk-{uuid.uuid4().hex}"
    owner = await register(client)
    connected = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": "openai", "base_url": url, "model": "m", "api_key": api.api_key},
    )
    assert connected.status_code == 200, connected.text
    api.play(
        UseTools([Call("open_ticket", {"category": "technical", "tried": "restarted the app"})]),
        Say(["Sorry about that, I've opened a ticket for the team."]),
    )
    chat = await start_chat(client, owner.slug)
    await say(client, chat, "the app crashes every time I open it, I restarted it already")
    await services.jobs.drain()

    assert "open_ticket" in str(api.requests[0].body["tools"])
    [ticket] = (await client.get("/api/tickets", headers=owner.headers)).json()["tickets"]
    assert ticket["category"] == "technical"
    assert ticket["summary"]["tried"] == "restarted the app"
    assert ticket["conversation_id"] == chat.conversation_id
    # The model was told the reference to pass on.
    tool_turn = str(api.requests[1].body["messages"])
    assert ticket["reference"] in tool_turn
