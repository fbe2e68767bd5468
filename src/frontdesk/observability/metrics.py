"""Prometheus metrics of one process, recorded by small hooks where things happen.

Every process (each ``serve``, each ``worker``) keeps its own numbers in prometheus-client's
default registry and exposes them itself: a scraper scrapes each process (see the README's
Production section). Gauges that describe shared state (the job queue) are read when
scraped, so any server process answers them for the whole instance.

Label values come from code, never from a request (route templates, not paths; provider
names, not models), so the number of series stays bounded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontdesk.kit.db import utcnow

# Seconds. The reply buckets reach a minute: an LLM with tool rounds takes that long.
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_REPLY = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60)

HTTP_LATENCY = Histogram(
    "frontdesk_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by route template.",
    ["method", "route", "status"],
    buckets=_FAST,
)
REPLY_LATENCY = Histogram(
    "frontdesk_reply_latency_seconds",
    "Time from a customer's message being stored to the assistant's reply being stored.",
    ["engine"],
    buckets=_REPLY,
)
JOB_DURATION = Histogram(
    "frontdesk_job_duration_seconds", "How long one run of a job took.", ["job"], buckets=_REPLY
)
JOB_FAILURES = Counter(
    "frontdesk_job_failures_total",
    "Runs of a job that raised (they are retried or logged).",
    ["job"],
)
QUEUE_DEPTH = Gauge(
    "frontdesk_job_queue_depth",
    "Jobs queued or running (in-process: running tasks of this process; Redis: entries in "
    "the stream, waiting or taken and not yet acknowledged).",
    ["queue"],
)
QUEUE_OLDEST_AGE = Gauge(
    "frontdesk_job_queue_oldest_age_seconds",
    "Age of the oldest job still queued or running (0 when there is none).",
    ["queue"],
)
OPEN_STREAMS = Gauge(
    "frontdesk_open_sockets",
    "Live connections of this process: WebSockets and Server-Sent Event streams.",
    ["audience", "transport"],
)
LLM_LATENCY = Histogram(
    "frontdesk_llm_request_duration_seconds",
    "Time a connected language model took for one operation (tool rounds and retries "
    "included), by outcome.",
    ["provider", "operation", "outcome"],
    buckets=_REPLY,
)
LLM_TOKENS = Counter(
    "frontdesk_llm_tokens_total", "Tokens spent on language models.", ["provider", "direction"]
)


class HttpMetricsMiddleware:
    """Pure ASGI: times each HTTP request and labels it with the route that matched (the
    router leaves it in the scope), so /api/conversations/{id} is one series, not one per
    conversation. Unmatched paths (scanners, typos) share the label ``unmatched``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            HTTP_LATENCY.labels(scope["method"], route_template(scope), str(status)).observe(
                time.perf_counter() - started
            )


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    if route is None:
        return "unmatched"
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(template) if template else "/"


def observe_reply(customer_message_at: datetime, engine: str) -> None:
    """Called once the reply's unit of work has committed."""
    seconds = (utcnow() - customer_message_at).total_seconds()
    REPLY_LATENCY.labels(engine).observe(max(seconds, 0.0))


@contextmanager
def job_run(name: str) -> Iterator[None]:
    """Around one run of a job's handler: its duration, and a failure if it raises."""
    started = time.perf_counter()
    try:
        yield
    except Exception:
        JOB_FAILURES.labels(name).inc()
        raise
    finally:
        JOB_DURATION.labels(name).observe(time.perf_counter() - started)


@contextmanager
def open_stream(audience: str, transport: str) -> Iterator[None]:
    gauge = OPEN_STREAMS.labels(audience, transport)
    gauge.inc()
    try:
        yield
    finally:
        gauge.dec()


def observe_llm(provider: str, operation: str, outcome: str, seconds: float) -> None:
    LLM_LATENCY.labels(provider, operation, outcome).observe(seconds)


def count_tokens(usages: list[Any]) -> None:
    for usage in usages:
        if usage.provider == "local":
            continue
        LLM_TOKENS.labels(usage.provider, "input").inc(usage.input_tokens)
        LLM_TOKENS.labels(usage.provider, "output").inc(usage.output_tokens)


async def read_queue(jobs: Any, kind: str) -> None:
    """Set the queue gauges from the queue itself (called when /metrics is scraped)."""
    backlog = getattr(jobs, "backlog", None)
    if backlog is None:
        return
    depth, oldest_age = await backlog()
    QUEUE_DEPTH.labels(kind).set(depth)
    QUEUE_OLDEST_AGE.labels(kind).set(oldest_age)
