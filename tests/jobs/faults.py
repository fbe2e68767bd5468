"""Helpers for fault tests: server and worker processes that a test can ``kill -9``, a burst of
customer messages, and the check that every one of them got exactly one reply."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis

from tests.factories import Chat, start_chat
from tests.servers import free_port

START_SECONDS = 60


def unique_stream() -> str:
    """A job stream of this test's own: other runs sharing the Redis never take its jobs."""
    return f"test:{uuid.uuid4().hex[:12]}:jobs"


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A Redis of this test's own on a loopback port, which the test can stop."""
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.skip("redis-server could not start")
            time.sleep(0.05)
    client.close()
    try:
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``frontdesk serve`` on a port of its own, once it answers ``/readyz``."""
    port = free_port()
    with log.open("a") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "frontdesk", "serve", "--port", str(port)],
            env={"PYTHONUNBUFFERED": "1", **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"server did not become ready: {log.read_text()}")
        time.sleep(0.2)


def start_worker(env: dict[str, str], log: Path, concurrency: int = 8) -> subprocess.Popen[bytes]:
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "frontdesk", "worker", "--concurrency", str(concurrency)],
            env={"PYTHONUNBUFFERED": "1", **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )


async def wait_for_worker(log: Path, workers: int, process: subprocess.Popen[bytes]) -> None:
    """Until ``workers`` workers have said they run (their start-up line in the log), the
    last of them ``process``."""
    deadline = time.monotonic() + START_SECONDS
    while read_log(log).count("Frontdesk worker running") < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"worker did not start ({process.poll()}): {read_log(log)}")
        await asyncio.sleep(0.1)


def read_log(log: Path) -> str:
    return log.read_text()


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """``kill -9``: no shutdown code runs, nothing is acknowledged or drained."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def open_chats(http: httpx.AsyncClient, slug: str, count: int) -> list[Chat]:
    return [await start_chat(http, slug, f"Customer {n}") for n in range(count)]


async def post(http: httpx.AsyncClient, chat: Chat, text: str) -> None:
    response = await http.post(
        "/api/portal/messages", headers=chat.headers, json={"text": text}, timeout=30
    )
    assert response.status_code == 201, response.text


async def reply_counts(http: httpx.AsyncClient, chats: Sequence[Chat]) -> list[int]:
    """For each chat: how many assistant messages follow its (one) customer message."""
    counts = []
    for chat in chats:
        response = await http.get("/api/portal/messages", headers=chat.headers, timeout=30)
        assert response.status_code == 200, response.text
        senders = [m["sender_type"] for m in response.json()["messages"]]
        asked = senders.index("customer") if "customer" in senders else len(senders)
        counts.append(senders[asked + 1 :].count("assistant"))
    return counts


async def wait_for_replies(
    http: httpx.AsyncClient, chats: Sequence[Chat], seconds: float, log: Path
) -> None:
    """Every chat's customer message has exactly one reply within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        counts = await reply_counts(http, chats)
        assert max(counts) <= 1, f"a message was answered twice: {counts}"
        if min(counts) == 1:
            return
        if time.monotonic() > deadline:
            unanswered = counts.count(0)
            raise AssertionError(
                f"{unanswered} of {len(chats)} customer messages never got a reply "
                f"({counts}); log:\n{read_log(log)[-4000:]}"
            )
        await asyncio.sleep(0.3)
