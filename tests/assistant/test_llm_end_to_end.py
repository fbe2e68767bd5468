"""A workspace connected to an LLM, end to end through the public API: the provider (a
loopback server speaking the vendor's wire format) streams its reply to the customer's
socket, calls the product's real ``capture_lead`` tool, and its usage is recorded; when it
fails, the local engine answers."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from frontdesk.app import create_app
from frontdesk.realtime.events import conversation_channel
from frontdesk.services import Services
from tests.assistant.llm_script import Call, Fail, Say, UseTools, serve
from tests.assistant.llm_servers import AnthropicServer, OpenAIServer
from tests.conftest import Backend, services_of
from tests.factories import Account, register, say, start_chat

DETAILS = {
    "name": "Dana Ortiz",
    "email": "dana@example.org",
    "phone": "082 555 0199",
    "interest": "prices",
}


@pytest_asyncio.fixture(scope="module")
async def app(backend: Backend) -> AsyncIterator[FastAPI]:
    """The app with FRONTDESK_ALLOW_PRIVATE_NETWORK=true: the providers here are on loopback."""
    application = create_app(backend.settings(allow_private_network=True))
    await services_of(application).start()
    yield application
    await services_of(application).close()


@pytest.fixture(scope="module")
def openai_api() -> Iterator[tuple[OpenAIServer, str]]:
    api = OpenAIServer()
    with serve(api) as url:
        yield api, url + "/v1"


@pytest.fixture(scope="module")
def anthropic_api() -> Iterator[tuple[AnthropicServer, str]]:
    api = AnthropicServer()
    with serve(api) as url:
        yield api, url


async def _connect(client: httpx.AsyncClient, provider: str, base_url: str, key: str) -> Account:
    owner = await register(client, business="Bright Smile Dental")
    await client.put("/api/workspace", headers=owner.headers, json={"country": "ZA"})
    response = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": provider, "base_url": base_url, "model": "test-model", "api_key": key},
    )
    assert response.status_code == 200, response.text
    return owner


async def _vendor(
    client: httpx.AsyncClient,
    vendor: str,
    openai_api: tuple[OpenAIServer, str],
    anthropic_api: tuple[AnthropicServer, str],
) -> Account:
    """A workspace connected to ``vendor``'s loopback server, reset, with a fresh key."""
    api, url = openai_api if vendor == "openai" else anthropic_api
    api.reset()
    key = f"sk-{vendor}-{uuid.uuid4().hex}"
    api.api_key = key
    return await _connect(client, vendor, url, key)


def _frames(services: Services, subscription: Any) -> list[dict[str, Any]]:
    frames = []
    while not subscription.queue.empty():
        envelope = subscription.queue.get_nowait()
        if envelope is not None:
            frames.append(json.loads(envelope.frame))
    services.bus.hub.unsubscribe(subscription)  # type: ignore[attr-defined]
    return frames


@pytest.mark.parametrize("vendor", ["openai", "anthropic"])
async def test_a_connected_model_streams_and_captures_the_lead(
    client: httpx.AsyncClient,
    services: Services,
    vendor: str,
    openai_api: tuple[OpenAIServer, str],
    anthropic_api: tuple[AnthropicServer, str],
) -> None:
    api = openai_api[0] if vendor == "openai" else anthropic_api[0]
    owner = await _vendor(client, vendor, openai_api, anthropic_api)
    chat = await start_chat(client, owner.slug)
    api.play(
        UseTools([Call("capture_lead", DETAILS)]),
        Say(["Thanks Dana! ", "Someone from Bright Smile Dental ", "will call you back."]),
    )
    hub = services.bus.hub  # type: ignore[attr-defined]
    subscription = hub.subscribe(conversation_channel(uuid.UUID(chat.conversation_id)))
    await say(client, chat, "hi, I'm Dana Ortiz, dana@example.org, 082 555 0199, prices please")
    await services.jobs.drain()

    frames = _frames(services, subscription)
    deltas = [f["data"]["delta"] for f in frames if f["type"] == "reply:delta"]
    assert len(deltas) >= 3
    messages = (await client.get("/api/portal/messages", headers=chat.headers)).json()["messages"]
    reply = messages[-1]
    assert reply["sender_type"] == "assistant"
    assert (
        reply["text"]
        == "".join(deltas).strip()
        == ("Thanks Dana! Someone from Bright Smile Dental will call you back.")
    )
    # The product's own tool ran, with its own validation (the phone became E.164).
    conversation = (
        await client.get(f"/api/conversations/{chat.conversation_id}", headers=owner.headers)
    ).json()
    assert conversation["contact"]["phone"] == "+27825550199"
    assert conversation["contact"]["name"] == "Dana Ortiz"
    # The system prompt is the persona builder's, the tools are the product's.
    first = api.requests[0].body
    system = first["system"] if vendor == "anthropic" else first["messages"][0]["content"]
    assert "Bright Smile Dental" in json.dumps(system)
    tools = json.dumps(first["tools"])
    assert "capture_lead" in tools and "handoff" in tools
    # Usage is recorded per workspace and visible.
    usage = (await client.get("/api/workspace/engine/usage", headers=owner.headers)).json()
    assert usage["rows"][0]["provider"] == vendor
    assert usage["rows"][0]["calls"] == 2
    assert usage["rows"][0]["input_tokens"] > 0


async def test_a_failing_provider_falls_back_to_the_local_engine(
    client: httpx.AsyncClient, services: Services, openai_api: tuple[OpenAIServer, str]
) -> None:
    api, url = openai_api
    api.reset()
    api.always(Fail(500))
    owner = await _connect(client, "openai", url, "sk-broken")
    chat = await start_chat(client, owner.slug)
    await say(client, chat, "what are your opening hours?")
    await services.jobs.drain()
    messages = (
        await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
    ).json()["messages"]
    reply = messages[-1]
    assert reply["sender_type"] == "assistant"
    assert reply["meta"]["engine"] == "local"
    assert "Monday" in reply["text"]
    assert len(api.requests) >= 2  # it was tried, and retried, before falling back


async def test_revise_with_ai_uses_the_connected_model(
    client: httpx.AsyncClient, services: Services, openai_api: tuple[OpenAIServer, str]
) -> None:
    api, url = openai_api
    api.reset()
    owner = await _connect(client, "openai", url, "sk-revise")
    chat = await start_chat(client, owner.slug)
    await client.patch(
        f"/api/conversations/{chat.conversation_id}",
        headers=owner.headers,
        json={"ai_mode": "draft"},
    )
    api.play(Say(["We can see you ", "at 9 tomorrow."]), Say(["Certainly: 09:00 tomorrow."]))
    await say(client, chat, "can I come in tomorrow?")
    await services.jobs.drain()
    messages = (
        await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
    ).json()["messages"]
    draft = next(m for m in messages if m["status"] == "draft")
    revised = await client.post(
        f"/api/messages/{draft['id']}/revise",
        headers=owner.headers,
        json={"instructions": "more formal"},
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["text"] == "Certainly: 09:00 tomorrow."
    assert "more formal" in json.dumps(api.requests[-1].body)


async def test_two_unclear_messages_hand_over_even_with_a_model_connected(
    client: httpx.AsyncClient, services: Services, openai_api: tuple[OpenAIServer, str]
) -> None:
    api, url = openai_api
    api.reset()
    api.always(Say(["Could you tell me more?"]))
    owner = await _connect(client, "openai", url, "sk-unclear")
    chat = await start_chat(client, owner.slug)
    for text in ("qwv zzkx plo", "blorp fnar wibble"):
        await say(client, chat, text)
        await services.jobs.drain()
    conversation = (
        await client.get(f"/api/conversations/{chat.conversation_id}", headers=owner.headers)
    ).json()
    assert conversation["needs_human"] is True
    assert len(api.requests) == 1  # the second, unsure again, went to the local rules


@pytest.mark.parametrize("vendor", ["openai", "anthropic"])
async def test_a_connected_model_gets_the_passages_and_its_citations_reach_staff(
    client: httpx.AsyncClient,
    services: Services,
    vendor: str,
    openai_api: tuple[OpenAIServer, str],
    anthropic_api: tuple[AnthropicServer, str],
) -> None:
    api = openai_api[0] if vendor == "openai" else anthropic_api[0]
    owner = await _vendor(client, vendor, openai_api, anthropic_api)
    source = await client.post(
        "/api/knowledge/sources",
        headers=owner.headers,
        json={
            "kind": "text",
            "title": "Cancellation policy",
            "text": "Appointments cancelled with less than 24 hours notice cost $50.",
        },
    )
    assert source.status_code == 201
    await services.jobs.drain()
    chat = await start_chat(client, owner.slug)
    api.play(Say(["Cancelling with less than a day's notice costs $50 [1]."]))
    await say(client, chat, "what does it cost to cancel late?")
    await services.jobs.drain()

    first = api.requests[0].body
    system = first["system"] if vendor == "anthropic" else first["messages"][0]["content"]
    assert "less than 24 hours notice cost $50" in json.dumps(system)
    assert "[1] Cancellation policy" in json.dumps(system)
    messages = (
        await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
    ).json()["messages"]
    reply = messages[-1]
    assert reply["meta"]["engine"] == vendor
    assert [c["title"] for c in reply["meta"]["citations"]] == ["Cancellation policy"]
