"""A connected LLM books, and is refused, through the same booking tools the local dialogue
uses: the loopback OpenAI-compatible server asks for the calls, the product's tools run."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from frontdesk.app import create_app
from frontdesk.services import Services
from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.assistant.llm_script import Call, Say, UseTools, serve
from tests.assistant.llm_servers import OpenAIServer
from tests.conftest import Backend, services_of
from tests.factories import say, start_chat


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


def tool_results(api: OpenAIServer) -> list[str]:
    messages = api.requests[-1].body["messages"]
    return [str(m["content"]) for m in messages if m.get("role") == "tool"]


async def test_a_connected_model_books_through_the_booking_tools(
    client: httpx.AsyncClient, services: Services, openai_api: tuple[OpenAIServer, str]
) -> None:
    api, url = openai_api
    api.reset()
    api.api_key = f"sk-{uuid.uuid4().hex}"
    owner = await business(client)
    cleaning = await add_service(client, owner, name="Cleaning")
    monday = next_weekday(0)
    taken = await book(client, owner, cleaning["id"], local(monday, "10:00"))
    assert taken.status_code == 201, taken.text
    connected = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": "openai", "base_url": url, "model": "m", "api_key": api.api_key},
    )
    assert connected.status_code == 200, connected.text

    ten, eleven = local(monday, "10:00").isoformat(), local(monday, "11:00").isoformat()
    customer = {"customer_name": "Rita Moss", "customer_email": "rita@example.com"}
    api.play(
        UseTools([Call("find_slots", {"service": "Cleaning", "at": ten})]),
        UseTools([Call("book_appointment", {"service": "Cleaning", "start": ten, **customer})]),
        UseTools([Call("book_appointment", {"service": "Cleaning", "start": eleven, **customer})]),
        Say(["Booked: Monday at 11:00."]),
    )
    chat = await start_chat(client, owner.slug)
    await say(client, chat, "Cleaning on Monday at 10 please, or 11 if not. Rita, rita@example.com")
    await services.jobs.drain()

    names = {tool["function"]["name"] for tool in api.requests[0].body["tools"]}
    assert {"find_slots", "book_appointment", "reschedule_appointment"} <= names
    checked, refused, booked = tool_results(api)[-3:]
    assert "Not free (slot_taken)" in checked
    half_past = local(monday, "10:30").isoformat()
    assert "already booked" in refused and half_past in refused  # alternatives, bookable as given
    assert booked.startswith("Booked Cleaning")
    listed = (await client.get("/api/appointments", headers=owner.headers)).json()
    mine = [a for a in listed["appointments"] if a["conversation_id"] == chat.conversation_id]
    assert [(a["start"], a["customer_email"]) for a in mine] == [(eleven, "rita@example.com")]
