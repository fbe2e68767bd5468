"""FallbackAssistant and build_engine: whatever the provider does (errors, hangs, stalls
mid-answer, answers with nothing), the customer gets the local engine's reply in time."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator

import pytest

from frontdesk.assistant.engine import Assistant, Usage
from frontdesk.assistant.providers import (
    DEFAULT_MODELS,
    FallbackAssistant,
    Provider,
    ProviderConfig,
    build_engine,
)
from tests.assistant.llm_fixtures import CaptureLead, Deltas, StubLocal, context, toolbox
from tests.assistant.llm_servers import (
    AnthropicServer,
    Call,
    Fail,
    Hang,
    OpenAIServer,
    Say,
    ScriptedAPI,
    UseTools,
    serve,
)

TIMEOUT = 0.5
HANG = 30.0  # how long the scripted provider hangs: what the customer would wait without the budget
# The fallback answers about 2 ms after the budget runs out (0.502 s measured on the 2-core
# machine). The ceiling is 10x that: it still proves the budget fired (a sixth of the hang, far
# below the SDKs' own defaults), and a busy CI machine cannot reach it.
CEILING = 5.0


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, tuple[ScriptedAPI, str]]]:
    openai_api, anthropic_api = OpenAIServer(), AnthropicServer()
    with serve(openai_api) as openai_url, serve(anthropic_api) as anthropic_url:
        yield {
            "openai": (openai_api, openai_url + "/v1"),
            "anthropic": (anthropic_api, anthropic_url),
        }


@pytest.fixture(params=["openai", "anthropic"])
def vendor(
    request: pytest.FixtureRequest, servers: dict[str, tuple[ScriptedAPI, str]]
) -> tuple[Provider, ScriptedAPI, ProviderConfig]:
    provider: Provider = request.param
    api, url = servers[provider]
    api.reset()
    config = ProviderConfig(
        provider=provider,
        model="test-model",
        base_url=url,
        api_key="sk-test",
        timeout_seconds=TIMEOUT,
        max_retries=1,
        allow_private_network=True,  # the scripted providers are on loopback
    )
    return provider, api, config


@pytest.fixture
def local() -> StubLocal:
    return StubLocal()


async def _engine(config: ProviderConfig, local: Assistant) -> FallbackAssistant:
    engine = build_engine(config, local)
    assert isinstance(engine, FallbackAssistant)
    return engine


async def test_a_working_provider_answers(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    provider, api, config = vendor
    api.play(Say(["Hello ", "there."]))
    engine = await _engine(config, local)
    reply = await engine.respond(context(), Deltas())
    await engine.aclose()
    assert (reply.text, reply.engine) == ("Hello there.", provider)
    assert local.calls == []


async def test_server_errors_fall_back_to_local(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig],
    local: StubLocal,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, api, config = vendor
    api.always(Fail(500))
    engine = await _engine(config, local)
    with caplog.at_level(logging.WARNING):
        reply = await engine.respond(context(), Deltas())
    await engine.aclose()
    assert (reply.text, reply.engine, reply.wants_human) == (local.answer, "local", True)
    assert len(api.requests) == 2  # tried, retried once, gave up
    assert "falling back to StubLocal" in caplog.text


async def test_a_hanging_provider_falls_back_within_the_timeout(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    _, api, config = vendor
    api.always(Hang(HANG))
    engine = await _engine(dataclasses.replace(config, max_retries=0), local)
    started = time.monotonic()
    reply = await engine.respond(context(), Deltas())
    elapsed = time.monotonic() - started
    await engine.aclose()
    assert reply.engine == "local"
    assert TIMEOUT * 0.95 <= elapsed < CEILING


async def test_the_budget_holds_even_when_the_sdk_would_wait_longer(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    """The SDK's own timeout is per request and generous; the fallback's is for the reply."""
    _, api, config = vendor
    api.always(Hang(HANG))
    patient = dataclasses.replace(config, timeout_seconds=30, max_retries=0)
    primary = build_engine(patient, local)
    assert isinstance(primary, FallbackAssistant)
    engine = FallbackAssistant(primary=primary.primary, fallback=local, timeout=TIMEOUT)
    started = time.monotonic()
    reply = await engine.respond(context(), Deltas())
    elapsed = time.monotonic() - started
    await engine.aclose()
    assert reply.engine == "local"
    assert TIMEOUT * 0.95 <= elapsed < CEILING


async def test_a_stream_that_stalls_mid_answer_falls_back(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    """The streamed start stays streamed (documented); the reply is the local one."""
    _, api, config = vendor
    api.play(Say(["Hello Ana, ", "we open at"], stall_after=1))
    engine = await _engine(dataclasses.replace(config, max_retries=0), local)
    deltas = Deltas()
    started = time.monotonic()
    reply = await engine.respond(context(), deltas)
    elapsed = time.monotonic() - started
    await engine.aclose()
    assert deltas.pieces == ["Hello Ana, "]
    assert (reply.text, reply.engine) == (local.answer, "local")
    assert TIMEOUT * 0.95 <= elapsed < CEILING


async def test_an_empty_answer_falls_back(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    _, api, config = vendor
    api.play(Say(["  "]))
    engine = await _engine(config, local)
    reply = await engine.respond(context(), Deltas())
    await engine.aclose()
    assert reply.engine == "local"


async def test_usage_of_calls_made_before_the_failure_is_kept(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    provider, api, config = vendor
    api.play(UseTools([Call("capture_lead", {"name": "Ana"})], input_tokens=40, output_tokens=5))
    api.always(Fail(500))
    lead = CaptureLead()
    engine = await _engine(config, local)
    reply = await engine.respond(context(tools=toolbox(lead)), Deltas())
    await engine.aclose()
    assert reply.engine == "local"
    assert reply.usage == [Usage(provider, "test-model", 40, 5)]
    assert lead.leads == {"Ana": {"name": "Ana", "phone": "", "note": ""}}


async def test_revise_and_summarize_fall_back_too(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    _, api, config = vendor
    api.play(Say(["Revised by the model."]), Say(["Summary by the model."]))
    engine = await _engine(config, local)
    assert await engine.revise("hi", "warmer", context()) == "Revised by the model."
    assert await engine.summarize(context()) == "Summary by the model."
    assert local.calls == []

    api.always(Fail(500))
    assert await engine.revise("hi", "warmer", context()) == "hi (revised locally)"
    assert await engine.summarize(context()) == "Summarised locally."
    assert local.calls == ["revise", "summarize"]
    await engine.aclose()


async def test_a_provider_on_a_private_address_is_never_connected_to(
    vendor: tuple[Provider, ScriptedAPI, ProviderConfig], local: StubLocal
) -> None:
    """The check at connect time, below the one made when the URL is saved: with private
    addresses not allowed, the key never leaves for a loopback base URL (whatever its name
    resolved to when it was saved); the local engine answers."""
    _, api, config = vendor
    api.always(Say(["Captured."]))
    engine = await _engine(dataclasses.replace(config, allow_private_network=False), local)
    reply = await engine.respond(context(), Deltas())
    await engine.aclose()
    assert (reply.text, reply.engine) == (local.answer, "local")
    assert api.requests == []


async def test_build_engine_local_and_defaults() -> None:
    local = StubLocal()
    assert build_engine(ProviderConfig(provider="local"), local) is local
    providers: list[Provider] = ["openai", "anthropic"]
    for provider in providers:
        engine = build_engine(ProviderConfig(provider=provider), local)
        assert isinstance(engine, FallbackAssistant)
        assert engine.fallback is local and engine.timeout == 20.0
        assert getattr(engine.primary, "model", None) == DEFAULT_MODELS[provider]
        await engine.aclose()
    with pytest.raises(dataclasses.FrozenInstanceError):
        ProviderConfig(provider="local").model = "x"  # type: ignore[misc]
