"""/metrics scraped over HTTP, as Prometheus does, before and after real traffic."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import connect

from frontdesk.app import create_app
from frontdesk.assistant.providers import FallbackAssistant, ProviderConfig, build_engine
from frontdesk.jobs.queue import InProcessQueue, job
from frontdesk.services import Services
from tests.assistant.llm_fixtures import Deltas, StubLocal, context
from tests.assistant.llm_servers import Fail, OpenAIServer, Say, serve
from tests.conftest import Backend
from tests.factories import register, say, start_chat
from tests.servers import thread_server

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(client: httpx.AsyncClient, **headers: str) -> Samples:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def total(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(value for (n, have), value in samples.items() if n == name and wanted <= have)


async def test_a_customer_message_moves_the_reply_latency_histogram(
    client: httpx.AsyncClient, services: Services
) -> None:
    before = await scrape(client)
    owner = await register(client)
    chat = await start_chat(client, owner.slug, "Ada")
    await say(client, chat, "What are your opening hours?")
    await services.jobs.drain()
    after = await scrape(client)

    replies = "frontdesk_reply_latency_seconds_count"
    assert total(after, replies, engine="local") == total(before, replies, engine="local") + 1
    # The reply took a measurable, sane time: it landed in a bucket below a minute.
    assert total(after, "frontdesk_reply_latency_seconds_sum") > total(
        before, "frontdesk_reply_latency_seconds_sum"
    )
    posted = {"method": "POST", "route": "/api/portal/messages", "status": "201"}
    requests = "frontdesk_http_request_duration_seconds_count"
    assert total(after, requests, **posted) == total(before, requests, **posted) + 1
    # Route templates, never raw paths: one series for every conversation.
    assert not any(chat.conversation_id in dict(labels).get("route", "") for _, labels in after)
    assert total(after, "frontdesk_job_duration_seconds_count", job="assistant.reply") >= 1
    assert ("frontdesk_job_queue_depth", frozenset({("queue", "inprocess")})) in after


async def test_unknown_paths_share_one_series(client: httpx.AsyncClient) -> None:
    await client.get("/no/such/page/12345")
    samples = await scrape(client)
    routes = {dict(labels).get("route") for _, labels in samples}
    assert "unmatched" in routes and "/no/such/page/12345" not in routes


async def test_metrics_refuse_remote_clients_without_a_token(app: FastAPI) -> None:
    remote = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=remote, base_url="http://testserver") as client:
        refused = await client.get("/metrics")
    assert refused.status_code == 403
    assert "FRONTDESK_METRICS_TOKEN" in refused.json()["error"]["message"]
    assert "frontdesk_" not in refused.text


async def test_with_a_token_every_client_must_present_it(backend: Backend) -> None:
    token = "scrape-" + "s" * 30
    application = create_app(backend.settings(metrics_token=token, warm_assistant=False))
    for address in ("127.0.0.1", "203.0.113.9"):
        transport = httpx.ASGITransport(app=application, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.get("/metrics")).status_code == 401
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401
            assert wrong.headers["www-authenticate"] == "Bearer"
            good = await scrape(client, Authorization=f"Bearer {token}")
            assert total(good, "frontdesk_http_request_duration_seconds_count") > 0
    await application.state.services.db.dispose()


async def test_failed_jobs_are_counted_by_name() -> None:
    @job("test.metrics.always_fails")
    async def always_fails(services: Any) -> None:
        raise RuntimeError("broken on purpose")

    queue = InProcessQueue(services=None, schedule=False)
    failures = ("frontdesk_job_failures_total", {"job": "test.metrics.always_fails"})
    before = REGISTRY.get_sample_value(*failures) or 0.0
    await queue.enqueue("test.metrics.always_fails")
    await queue.enqueue("test.metrics.always_fails")
    await queue.drain()
    assert REGISTRY.get_sample_value(*failures) == before + 2


async def test_llm_latency_and_tokens_by_provider() -> None:
    api = OpenAIServer()
    with serve(api) as url:
        config = ProviderConfig(
            provider="openai",
            model="test-model",
            base_url=url + "/v1",
            api_key="sk-test",
            timeout_seconds=5,
            max_retries=0,
            allow_private_network=True,
        )
        engine = build_engine(config, StubLocal())
        assert isinstance(engine, FallbackAssistant)
        ok = {"provider": "openai", "operation": "reply", "outcome": "ok"}
        failed = {**ok, "outcome": "error"}
        latency = "frontdesk_llm_request_duration_seconds_count"
        tokens = "frontdesk_llm_tokens_total"
        before = {
            "ok": REGISTRY.get_sample_value(latency, ok) or 0.0,
            "error": REGISTRY.get_sample_value(latency, failed) or 0.0,
            "in": REGISTRY.get_sample_value(tokens, {"provider": "openai", "direction": "input"})
            or 0.0,
        }
        api.play(Say(["Hello ", "there."], input_tokens=42, output_tokens=7))
        await engine.respond(context(), Deltas())
        api.always(Fail(500))
        await engine.respond(context(), Deltas())
        await engine.aclose()
    assert REGISTRY.get_sample_value(latency, ok) == before["ok"] + 1
    assert REGISTRY.get_sample_value(latency, failed) == before["error"] + 1
    spent = REGISTRY.get_sample_value(tokens, {"provider": "openai", "direction": "input"})
    assert spent == before["in"] + 42


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_open_sockets_are_counted(backend: Backend) -> None:
    gauge = ("frontdesk_open_sockets", {"audience": "customer", "transport": "websocket"})
    with thread_server(backend.settings(warm_assistant=False)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            owner = await register(http)
            chat = await start_chat(http, owner.slug, "Ada")
            before = REGISTRY.get_sample_value(*gauge) or 0.0
            url = base.replace("http", "ws") + f"/ws/portal?token={chat.token}"
            async with connect(url) as socket:
                await socket.send(json.dumps({"type": "ping", "data": {}}))
                await asyncio.wait_for(socket.recv(), 5)  # the server has it counted now
                scraped = await scrape(http)
                assert total(scraped, gauge[0], **gauge[1]) == before + 1
            for _ in range(100):  # the server notices the close a moment later
                if REGISTRY.get_sample_value(*gauge) == before:
                    break
                await asyncio.sleep(0.05)
            assert REGISTRY.get_sample_value(*gauge) == before
