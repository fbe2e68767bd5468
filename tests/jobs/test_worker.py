"""Jobs through Redis: the server enqueues, a separate ``frontdesk worker`` process runs them."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect

from frontdesk.jobs.queue import InProcessQueue
from frontdesk.jobs.redis_queue import GROUP
from frontdesk.recovery import RECOVERY_JOB
from frontdesk.settings import Settings
from tests.conftest import Backend
from tests.factories import register, say, start_chat
from tests.jobs.faults import read_log, start_worker, stop, unique_stream, wait_for_worker
from tests.realtime.test_sockets import next_event, ws_url
from tests.servers import REDIS_URL, process_server, scaled_out_env


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_worker_process_runs_the_assistant_reply(backend: Backend, tmp_path: Path) -> None:
    env = await scaled_out_env(
        backend.url,
        tmp_path,
        FRONTDESK_JOB_QUEUE="redis",
        FRONTDESK_JOB_STREAM=unique_stream(),
        FRONTDESK_LOG_LEVEL="warning",
    )
    log = tmp_path / "processes.log"
    with process_server(env, log) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            owner = await register(http, business="Queue Cafe")
            chat = await start_chat(http, owner.slug, "Kim")
            async with connect(ws_url(base, "/ws/portal", chat.token)) as customer:
                await next_event(customer, "ready")
                await say(http, chat, "what are your opening hours?")
                await next_event(customer, "message:new")
                # No worker yet: the job waits in Redis, nothing answers.
                with pytest.raises(TimeoutError):
                    await next_event_within(customer, 1.5)
                with log.open("a") as output:
                    worker = subprocess.Popen(  # noqa: ASYNC220 - starting does not block
                        [sys.executable, "-m", "frontdesk", "worker"],
                        env=env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                try:
                    # A worker starting from cold (imports, models) on a busy 2-core machine
                    # takes longer than the socket tests' 10 s.
                    reply = await next_message_within(customer, 45)
                finally:
                    worker.terminate()
                    worker.wait(timeout=20)
                assert reply["data"]["sender_type"] == "assistant", log.read_text()


async def next_event_within(socket: ClientConnection, seconds: float) -> None:
    await asyncio.wait_for(socket.recv(), seconds)


async def next_message_within(socket: ClientConnection, seconds: float) -> dict[str, Any]:
    async with asyncio.timeout(seconds):
        while True:
            event = json.loads(await socket.recv())
            if event["type"] == "message:new":
                return dict(event)


def test_worker_refuses_without_a_redis_queue(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    done = subprocess.run(
        [sys.executable, "-m", "frontdesk", "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "FRONTDESK_JOB_QUEUE=redis" in done.stdout


def test_in_process_queue_is_the_default() -> None:
    from frontdesk.services import Services

    services = Services.build(Settings(secret_key="x" * 40))
    assert isinstance(services.jobs, InProcessQueue)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_worker_told_to_stop_finishes_its_jobs_and_exits(
    backend: Backend, tmp_path: Path
) -> None:
    """SIGTERM (a deploy): the worker takes no more jobs, acknowledges those in hand and
    exits 0, leaving nothing for the visibility timeout."""
    stream = unique_stream()
    env = await scaled_out_env(
        backend.url,
        tmp_path,
        FRONTDESK_JOB_QUEUE="redis",
        FRONTDESK_JOB_STREAM=stream,
        FRONTDESK_LOG_LEVEL="warning",
        FRONTDESK_WARM_ASSISTANT="false",
    )
    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    raw = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await wait_for_worker(log, 1, worker)
        for _ in range(20):
            await raw.xadd(stream, {"name": RECOVERY_JOB, "kwargs": "{}"})
        worker.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(worker.wait, 30)
        assert code == 0, read_log(log)
        assert "Frontdesk worker stopped." in read_log(log)
        assert (await raw.xpending(stream, GROUP))["pending"] == 0
    finally:
        stop(worker)
        await raw.delete(stream)
        await raw.aclose()
