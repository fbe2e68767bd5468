"""OpenAIEngine against a loopback server speaking the chat completions wire format, through
the official SDK: streaming, tool calls, usage, retries, revise and summarize."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import openai
import pytest
import pytest_asyncio
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from frontdesk.assistant.engine import Usage
from frontdesk.assistant.prompt import build_system_prompt
from frontdesk.assistant.providers._shared import EngineError
from frontdesk.assistant.providers.openai_engine import OpenAIEngine
from tests.assistant.llm_fixtures import (
    PERSONA,
    CaptureLead,
    Deltas,
    Handoff,
    LeadArgs,
    context,
    toolbox,
)
from tests.assistant.llm_servers import Call, Fail, OpenAIServer, Say, UseTools, serve

LEAD = {"name": "Ana Ruiz", "phone": "+1 555 0199", "note": "cleaning"}


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[OpenAIServer, str]]:
    api = OpenAIServer()
    with serve(api) as url:
        yield api, url + "/v1"


@pytest.fixture
def api(running: tuple[OpenAIServer, str]) -> OpenAIServer:
    running[0].reset()
    return running[0]


@pytest_asyncio.fixture
async def engine(running: tuple[OpenAIServer, str]) -> AsyncIterator[OpenAIEngine]:
    engine = OpenAIEngine(
        model="gpt-test", base_url=running[1], api_key="sk-test", timeout=5, max_retries=1
    )
    yield engine
    await engine.aclose()


async def test_reply_streams_as_deltas_and_maps_the_history(
    api: OpenAIServer, engine: OpenAIEngine
) -> None:
    pieces = ["Hello Ana! ", "We have ", "free slots ", "on Tuesday."]
    api.play(Say(pieces, input_tokens=120, output_tokens=14))
    deltas = Deltas()
    history = [
        ("customer", "Hi"),
        ("assistant", "Hello! How can I help?"),
        ("system", "Conversation assigned to Bob"),
        ("staff", "Bob here, happy to help."),
        ("customer", "  "),  # a photo without a caption
        ("customer", "Can I book a cleaning?"),
    ]
    reply = await engine.respond(context(*history), deltas)

    assert deltas.pieces == pieces
    assert reply.text == deltas.text == "Hello Ana! We have free slots on Tuesday."
    assert reply.engine == "openai" and not reply.wants_human
    assert reply.usage == [Usage("openai", "gpt-test", 120, 14)]
    [request] = api.requests
    assert request.headers["authorization"] == "Bearer sk-test"
    body = request.body
    assert body["model"] == "gpt-test"
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert "tools" not in body and "tool_choice" not in body
    system = body["messages"][0]
    assert system["role"] == "system"
    assert system["content"].startswith(build_system_prompt(PERSONA))
    assert "Ana Ruiz" in system["content"]
    assert body["messages"][1:] == [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello! How can I help?"},
        {"role": "assistant", "content": "Bob here, happy to help."},
        {"role": "user", "content": "Can I book a cleaning?"},
    ]


async def test_tool_call_runs_the_tool_and_sends_the_result_back(
    api: OpenAIServer, engine: OpenAIEngine
) -> None:
    lead = CaptureLead()
    box = toolbox(lead)
    call = Call("capture_lead", LEAD)
    api.play(
        UseTools([call], preface="Let me note that down."),
        Say(["Thanks Ana, ", "the team will ", "call you today."]),
    )
    deltas = Deltas()
    reply = await engine.respond(context(tools=box), deltas)

    assert lead.leads == {"Ana Ruiz": LEAD}
    assert [(c.name, c.result.ok) for c in box.calls] == [("capture_lead", True)]
    assert reply.text == deltas.text
    assert reply.text == "Let me note that down.\n\nThanks Ana, the team will call you today."
    assert reply.usage == [Usage("openai", "gpt-test", 30, 12), Usage("openai", "gpt-test", 21, 9)]
    assert not reply.wants_human

    first, second = api.requests
    schema = LeadArgs.model_json_schema()
    schema.pop("title")
    assert first.body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "capture_lead",
                "description": CaptureLead.description,
                "parameters": schema,
            },
        }
    ]
    assert "tool_choice" not in first.body
    assert second.body["messages"][:-2] == first.body["messages"]
    assert second.body["messages"][-2:] == [
        {
            "role": "assistant",
            "content": "Let me note that down.",
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": "capture_lead", "arguments": json.dumps(LEAD)},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call.id, "content": "Saved lead for Ana Ruiz."},
    ]


async def test_parallel_calls_are_split_by_index_and_handoff_wants_a_human(
    api: OpenAIServer, engine: OpenAIEngine
) -> None:
    lead = CaptureLead()
    calls = [Call("capture_lead", LEAD), Call("handoff", {"reason": "asked for a person"})]
    api.play(UseTools(calls), Say(["Someone will reply here shortly."]))
    reply = await engine.respond(context(tools=toolbox(lead, Handoff())), Deltas())

    assert reply.wants_human
    assert lead.leads == {"Ana Ruiz": LEAD}
    messages = api.requests[1].body["messages"]
    assert [c["function"]["name"] for c in messages[-3]["tool_calls"]] == [
        "capture_lead",
        "handoff",
    ]
    assert messages[-3]["content"] is None
    assert [(m["role"], m["tool_call_id"]) for m in messages[-2:]] == [
        ("tool", calls[0].id),
        ("tool", calls[1].id),
    ]


async def test_bad_tool_calls_come_back_to_the_model_as_errors(
    api: OpenAIServer, engine: OpenAIEngine
) -> None:
    lead = CaptureLead()
    bad = [Call("capture_lead", '{"phone": 5'), Call("cancel_everything", {})]
    api.play(UseTools(bad), Say(["Could you tell me your name?"]))
    reply = await engine.respond(context(tools=toolbox(lead)), Deltas())

    assert reply.text == "Could you tell me your name?"
    assert lead.leads == {}
    results = [m["content"] for m in api.requests[1].body["messages"][-2:]]
    assert results[0].startswith("Invalid arguments for capture_lead")
    assert results[1] == "There is no tool named 'cancel_everything'."
    # The malformed arguments go back exactly as the model wrote them.
    sent = api.requests[1].body["messages"][-3]["tool_calls"][0]["function"]["arguments"]
    assert sent == '{"phone": 5'


async def test_the_fourth_round_may_not_call_tools(api: OpenAIServer, engine: OpenAIEngine) -> None:
    lead = CaptureLead()
    rounds = [UseTools([Call("capture_lead", {"name": f"N{i}"})]) for i in range(3)]
    api.play(*rounds, Say(["All noted."]))
    reply = await engine.respond(context(tools=toolbox(lead)), Deltas())

    assert reply.text == "All noted."
    assert len(lead.leads) == 3
    assert [r.body.get("tool_choice") for r in api.requests] == [None, None, None, "none"]


async def test_a_model_that_only_calls_tools_is_an_error(
    api: OpenAIServer, engine: OpenAIEngine
) -> None:
    api.always(UseTools([Call("capture_lead", {"name": "Ana"})]))
    with pytest.raises(EngineError):
        await engine.respond(context(tools=toolbox(CaptureLead())), Deltas())
    assert len(api.requests) == 4


@pytest.mark.parametrize(("status", "retry_after_ms"), [(429, 700), (500, 700), (503, None)])
async def test_retries_then_succeeds(
    api: OpenAIServer, engine: OpenAIEngine, status: int, retry_after_ms: int | None
) -> None:
    api.play(Fail(status, retry_after_ms), Say(["Back again."]))
    started = time.monotonic()
    reply = await engine.respond(context(), Deltas())
    assert reply.text == "Back again."
    assert [r.status for r in api.requests] == [status, 200]
    # retry-after-ms (700 ms, longer than any default backoff) is honoured; without it the SDK
    # backs off 0.375-0.5 s. Lower bounds only: a busy machine makes a wait longer, not shorter.
    assert time.monotonic() - started >= (0.69 if retry_after_ms else 0.37)


async def test_gives_up_after_max_retries(api: OpenAIServer, engine: OpenAIEngine) -> None:
    api.always(Fail(500))
    with pytest.raises(openai.InternalServerError):
        await engine.respond(context(), Deltas())
    assert len(api.requests) == 2


async def test_empty_key_sends_a_placeholder_and_a_wrong_key_is_not_retried(
    api: OpenAIServer, running: tuple[OpenAIServer, str]
) -> None:
    ollama = OpenAIEngine(model="llama3.2", base_url=running[1], api_key="", max_retries=1)
    api.play(Say(["Hi from a local model."]))
    assert (await ollama.respond(context(), Deltas())).text == "Hi from a local model."
    assert api.requests[0].headers["authorization"] == "Bearer not-needed"

    api.reset()
    api.api_key = "sk-right"
    with pytest.raises(openai.AuthenticationError):
        await ollama.respond(context(), Deltas())
    assert len(api.requests) == 1
    await ollama.aclose()


async def test_revise_and_summarize_are_single_calls(
    api: OpenAIServer, engine: OpenAIEngine
) -> None:
    api.play(Say(["Hello Ana, we are open 9 to 5!"]), Say(["Ana wants a cleaning next week."]))
    ctx = context(("customer", "When are you open?"))
    revised = await engine.revise("open 9-5", "make it friendlier", ctx)
    summary = await engine.summarize(ctx)

    assert revised == "Hello Ana, we are open 9 to 5!"
    assert summary == "Ana wants a cleaning next week."
    revise_body, summary_body = (r.body for r in api.requests)
    for body in (revise_body, summary_body):
        assert not body.get("stream") and "tools" not in body
        assert body["messages"][0]["content"].startswith(build_system_prompt(PERSONA))
    request = revise_body["messages"][1]["content"]
    assert "make it friendlier" in request and "open 9-5" in request
    assert "Customer: When are you open?" in request
    assert "Customer: When are you open?" in summary_body["messages"][1]["content"]


async def test_the_stand_in_rejects_what_the_real_api_rejects(
    running: tuple[OpenAIServer, str],
) -> None:
    """The server's checks are what make the round-trip assertions meaningful."""
    running[0].reset()
    orphan = {
        "model": "gpt-test",
        "messages": [{"role": "tool", "tool_call_id": "call_1", "content": "done"}],
    }
    async with httpx.AsyncClient() as client:
        url = running[1] + "/chat/completions"
        response = await client.post(url, json=orphan, headers={"authorization": "Bearer k"})
        assert response.status_code == 400
        assert "must be a response to a preceding message" in response.json()["error"]["message"]
        response = await client.post(url, json=orphan)
        assert response.status_code == 401


@pytest.mark.parametrize(
    "step",
    [Say(["Hi ", "there."]), UseTools([Call("capture_lead", LEAD), Call("handoff", {})], "One.")],
)
def test_the_stand_in_payloads_validate_against_the_sdk_types(step: Say | UseTools) -> None:
    """The SDK parses responses leniently; strict validation against its own models proves
    the stand-in sends complete, well-typed objects, not just ones that happen to parse."""
    api = OpenAIServer()
    body = {"model": "gpt-test", "stream": True, "stream_options": {"include_usage": True}}
    events = api.stream(step, body)
    assert all(e.startswith("data: ") and e.endswith("\n\n") for e in events)
    assert events[-1] == "data: [DONE]\n\n"
    chunks = [ChatCompletionChunk.model_validate_json(e[6:]) for e in events[:-1]]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert all(c.usage is None for c in chunks[:-1])
    if isinstance(step, Say):
        ChatCompletion.model_validate(api.complete(step, {"model": "gpt-test"}))
