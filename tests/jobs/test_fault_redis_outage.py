"""Fault: Redis goes away and comes back empty, taking with it the queued jobs of a burst.
Meanwhile readiness and posts say Redis is down (503, Retry-After); afterwards the worker that
lived through it carries on, and the recovery sweep answers every message whose job was lost."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from tests.conftest import Backend
from tests.factories import register
from tests.jobs.faults import (
    open_chats,
    post,
    redis_server,
    start_server,
    start_worker,
    stop,
    unique_stream,
    wait_for_replies,
    wait_for_worker,
)
from tests.servers import free_port, scaled_out_env

CHATS = 6


@pytest.mark.fault
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_jobs_lost_with_redis_are_answered_once_it_is_back(
    backend: Backend, tmp_path: Path
) -> None:
    port = free_port()
    env = await scaled_out_env(
        backend.url,
        tmp_path,
        FRONTDESK_REDIS_URL=f"redis://127.0.0.1:{port}/0",
        FRONTDESK_JOB_QUEUE="redis",
        FRONTDESK_JOB_STREAM=unique_stream(),
        FRONTDESK_RECOVERY_GRACE_SECONDS="2",
        FRONTDESK_RECOVERY_INTERVAL_SECONDS="1",
        FRONTDESK_LOG_LEVEL="warning",
    )
    log = tmp_path / "processes.log"
    with redis_server(port) as redis_process:
        server, base = start_server(env, log)
        worker = start_worker(env, log)
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                owner = await register(http, business="Outage Opticians")
                chats = await open_chats(http, owner.slug, CHATS + 1)
                await wait_for_worker(log, 1, worker)
                os.kill(worker.pid, signal.SIGSTOP)  # the worker takes nothing for a while
                for chat in chats[:CHATS]:
                    await post(http, chat, "is the shop open on Sunday?")
                redis_process.kill()  # the queued jobs go with it
                redis_process.wait(timeout=10)

                ready = await http.get("/readyz")
                assert ready.status_code == 503
                assert "redis" in ready.json()["error"]["details"]["down"]
                refused = await http.post(
                    "/api/portal/messages", headers=chats[CHATS].headers, json={"text": "hi"}
                )
                assert refused.status_code == 503, refused.text
                assert refused.headers["Retry-After"].isdigit()
                assert "Redis" in refused.json()["error"]["message"]

                with redis_server(port):  # back, and empty
                    os.kill(worker.pid, signal.SIGCONT)
                    await post(http, chats[CHATS], "hi")  # the customer's retry
                    await wait_for_replies(http, chats, seconds=25, log=log)
                    assert worker.poll() is None, "the worker did not live through the outage"
        finally:
            if worker.poll() is None:
                os.kill(worker.pid, signal.SIGCONT)
            stop(worker)
            stop(server)
