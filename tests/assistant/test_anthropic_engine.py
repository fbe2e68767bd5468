"""AnthropicEngine against a loopback server speaking the Messages API wire format, through
the official SDK: streaming events, tool_use / tool_result, alternation, usage, retries."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator

import anthropic
import httpx
import pytest
import pytest_asyncio
from anthropic.types import Message, RawMessageStreamEvent
from pydantic import TypeAdapter

from frontdesk.assistant.engine import Usage
from frontdesk.assistant.prompt import build_system_prompt
from frontdesk.assistant.providers._shared import EngineError
from frontdesk.assistant.providers.anthropic_engine import AnthropicEngine, alternating
from tests.assistant.llm_fixtures import (
    PERSONA,
    CaptureLead,
    Deltas,
    Handoff,
    LeadArgs,
    context,
    toolbox,
)
from tests.assistant.llm_servers import AnthropicServer, Call, Fail, Say, UseTools, serve

LEAD = {"name": "Ana Ruiz", "phone": "+1 555 0199", "note": "cleaning"}


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[AnthropicServer, str]]:
    api = AnthropicServer()
    with serve(api) as url:
        yield api, url


@pytest.fixture
def api(running: tuple[AnthropicServer, str]) -> AnthropicServer:
    running[0].reset()
    return running[0]


@pytest_asyncio.fixture
async def engine(running: tuple[AnthropicServer, str]) -> AsyncIterator[AnthropicEngine]:
    engine = AnthropicEngine(
        model="claude-test", base_url=running[1], api_key="sk-ant-test", timeout=5, max_retries=1
    )
    yield engine
    await engine.aclose()


async def test_reply_streams_as_deltas(api: AnthropicServer, engine: AnthropicEngine) -> None:
    pieces = ["Hello Ana! ", "We have ", "free slots ", "on Tuesday."]
    api.play(Say(pieces, input_tokens=140, output_tokens=15))
    deltas = Deltas()
    reply = await engine.respond(context(("customer", "Can I book a cleaning?")), deltas)

    assert deltas.pieces == pieces
    assert reply.text == deltas.text == "Hello Ana! We have free slots on Tuesday."
    assert reply.engine == "anthropic" and not reply.wants_human
    # input from message_start, output from message_delta (cumulative)
    assert reply.usage == [Usage("anthropic", "claude-test", 140, 15)]
    [request] = api.requests
    assert request.headers["anthropic-version"]
    assert api.credential(request.headers) == "sk-ant-test"
    body = request.body
    assert body["model"] == "claude-test" and body["max_tokens"] == 1024
    assert body["stream"] is True
    assert body["system"].startswith(build_system_prompt(PERSONA))
    assert "Ana Ruiz" in body["system"]
    assert body["messages"] == [{"role": "user", "content": "Can I book a cleaning?"}]
    assert "tools" not in body and "tool_choice" not in body


async def test_history_is_merged_into_alternating_turns(
    api: AnthropicServer, engine: AnthropicEngine
) -> None:
    api.play(Say(["Sure."]))
    history = [
        ("assistant", "Welcome to Bright Smile!"),
        ("customer", "Hi"),
        ("customer", "Can I book?"),
        ("system", "Conversation assigned to Bob"),
        ("staff", "Bob here."),
        ("assistant", "Ava too."),
        ("customer", ""),  # a photo without a caption
    ]
    await engine.respond(context(*history), Deltas())  # the server rejects bad order

    messages = api.requests[0].body["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant", "user"]
    assert messages[1] == {"role": "assistant", "content": "Welcome to Bright Smile!"}
    assert messages[2] == {"role": "user", "content": "Hi\n\nCan I book?"}
    assert messages[3] == {"role": "assistant", "content": "Bob here.\n\nAva too."}
    assert messages[0]["content"].startswith("(") and messages[4]["content"].startswith("(")
    # no history at all still makes a valid request: one user turn
    assert [m["role"] for m in alternating([])] == ["user"]


async def test_tool_use_runs_the_tool_and_sends_a_tool_result(
    api: AnthropicServer, engine: AnthropicEngine
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
    assert reply.text == deltas.text
    assert reply.text == "Let me note that down.\n\nThanks Ana, the team will call you today."
    assert reply.usage == [
        Usage("anthropic", "claude-test", 30, 12),
        Usage("anthropic", "claude-test", 21, 9),
    ]
    first, second = api.requests
    schema = LeadArgs.model_json_schema()
    schema.pop("title")
    assert first.body["tools"] == [
        {"name": "capture_lead", "description": CaptureLead.description, "input_schema": schema}
    ]
    assert "tool_choice" not in first.body
    assert second.body["messages"][:-2] == first.body["messages"]
    assert second.body["messages"][-2:] == [
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me note that down."},
                {"type": "tool_use", "id": call.id, "name": "capture_lead", "input": LEAD},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": call.id,
                    "content": "Saved lead for Ana Ruiz.",
                    "is_error": False,
                }
            ],
        },
    ]


async def test_several_tool_uses_and_a_handoff(
    api: AnthropicServer, engine: AnthropicEngine
) -> None:
    lead = CaptureLead()
    calls = [Call("capture_lead", LEAD), Call("handoff", {"reason": "asked for a person"})]
    api.play(UseTools(calls), Say(["Someone will reply here shortly."]))
    reply = await engine.respond(context(tools=toolbox(lead, Handoff())), Deltas())

    assert reply.wants_human
    assert lead.leads == {"Ana Ruiz": LEAD}
    assistant, results = api.requests[1].body["messages"][-2:]
    assert [b["type"] for b in assistant["content"]] == ["tool_use", "tool_use"]
    assert [b["tool_use_id"] for b in results["content"]] == [calls[0].id, calls[1].id]


async def test_bad_tool_input_comes_back_as_an_error_result(
    api: AnthropicServer, engine: AnthropicEngine
) -> None:
    lead = CaptureLead()
    api.play(
        UseTools([Call("capture_lead", '{"phone": 5'), Call("cancel_everything", {})]),
        Say(["Could you tell me your name?"]),
    )
    reply = await engine.respond(context(tools=toolbox(lead)), Deltas())

    assert reply.text == "Could you tell me your name?"
    assert lead.leads == {}
    assistant, results = api.requests[1].body["messages"][-2:]
    assert assistant["content"][0]["input"] == {}  # the API needs an object even so
    first, second = results["content"]
    assert first["is_error"] and first["content"].startswith("Invalid arguments for capture_lead")
    assert second["is_error"] and second["content"] == "There is no tool named 'cancel_everything'."


async def test_the_fourth_round_may_not_use_tools(
    api: AnthropicServer, engine: AnthropicEngine
) -> None:
    rounds = [UseTools([Call("capture_lead", {"name": f"N{i}"})]) for i in range(3)]
    api.play(*rounds, Say(["All noted."]))
    reply = await engine.respond(context(tools=toolbox(CaptureLead())), Deltas())

    assert reply.text == "All noted."
    choices = [r.body.get("tool_choice") for r in api.requests]
    assert choices == [None, None, None, {"type": "none"}]


async def test_a_model_that_only_uses_tools_is_an_error(
    api: AnthropicServer, engine: AnthropicEngine
) -> None:
    api.always(UseTools([Call("capture_lead", {"name": "Ana"})]))
    with pytest.raises(EngineError):
        await engine.respond(context(tools=toolbox(CaptureLead())), Deltas())
    assert len(api.requests) == 4


@pytest.mark.parametrize(("status", "retry_after_ms"), [(429, 700), (529, 700), (500, None)])
async def test_retries_then_succeeds(
    api: AnthropicServer, engine: AnthropicEngine, status: int, retry_after_ms: int | None
) -> None:
    api.play(Fail(status, retry_after_ms), Say(["Back again."]))
    started = time.monotonic()
    reply = await engine.respond(context(), Deltas())
    assert reply.text == "Back again."
    assert [r.status for r in api.requests] == [status, 200]
    # retry-after-ms (700 ms, longer than any default backoff) is honoured; without it the SDK
    # backs off 0.375-0.5 s. Lower bounds only: a busy machine makes a wait longer, not shorter.
    assert time.monotonic() - started >= (0.69 if retry_after_ms else 0.37)


async def test_gives_up_after_max_retries(api: AnthropicServer, engine: AnthropicEngine) -> None:
    api.always(Fail(500))
    with pytest.raises(anthropic.InternalServerError):
        await engine.respond(context(), Deltas())
    assert len(api.requests) == 2


async def test_a_wrong_key_is_not_retried(api: AnthropicServer, engine: AnthropicEngine) -> None:
    api.api_key = "sk-ant-right"
    with pytest.raises(anthropic.AuthenticationError):
        await engine.respond(context(), Deltas())
    assert len(api.requests) == 1


async def test_revise_and_summarize_are_single_calls(
    api: AnthropicServer, engine: AnthropicEngine
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
        assert body["system"].startswith(build_system_prompt(PERSONA))
        assert [m["role"] for m in body["messages"]] == ["user"]
    request = revise_body["messages"][0]["content"]
    assert "make it friendlier" in request and "open 9-5" in request
    assert "Customer: When are you open?" in request
    assert "Customer: When are you open?" in summary_body["messages"][0]["content"]


async def test_the_stand_in_rejects_what_the_real_api_rejects(
    running: tuple[AnthropicServer, str],
) -> None:
    """The server's checks are what make the round-trip assertions meaningful."""
    running[0].reset()
    headers = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
    body = {"model": "claude-test", "max_tokens": 10}
    cases = [
        ([{"role": "assistant", "content": "Hi"}], "first message"),
        ([{"role": "user", "content": "a"}, {"role": "user", "content": "b"}], "alternate"),
        (
            [
                {"role": "user", "content": "a"},
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "t1", "name": "x", "input": {}}],
                },
                {"role": "user", "content": "b"},
            ],
            "tool_result",
        ),
    ]
    async with httpx.AsyncClient() as client:
        url = running[1] + "/v1/messages"
        for messages, complaint in cases:
            response = await client.post(url, json={**body, "messages": messages}, headers=headers)
            assert response.status_code == 400
            assert complaint in response.json()["error"]["message"]
        ok = {**body, "messages": [{"role": "user", "content": "a"}]}
        response = await client.post(url, json=ok, headers={"x-api-key": "k"})
        assert response.status_code == 400  # no anthropic-version header


@pytest.mark.parametrize(
    "step",
    [Say(["Hi ", "there."]), UseTools([Call("capture_lead", LEAD), Call("handoff", {})], "One.")],
)
def test_the_stand_in_payloads_validate_against_the_sdk_types(step: Say | UseTools) -> None:
    """The SDK parses responses leniently; strict validation against its own models proves
    the stand-in sends complete, well-typed objects, not just ones that happen to parse."""
    api = AnthropicServer()
    events = api.stream(step, {"model": "claude-test"})
    adapter: TypeAdapter[RawMessageStreamEvent] = TypeAdapter(RawMessageStreamEvent)
    kinds = []
    for event in events:
        name, data = event.removesuffix("\n\n").split("\n")
        assert name.startswith("event: ") and data.startswith("data: ")
        payload = json.loads(data.removeprefix("data: "))
        assert payload["type"] == name.removeprefix("event: ")
        kinds.append(payload["type"])
        if payload["type"] != "ping":  # ping is documented but not part of the union
            adapter.validate_python(payload)
    assert kinds[0] == "message_start" and kinds[-2:] == ["message_delta", "message_stop"]
    if isinstance(step, Say):
        Message.model_validate(api.complete(step, {"model": "claude-test"}))
