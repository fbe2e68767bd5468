"""Fault: the worker is killed (``kill -9``) during a burst of customer messages. The jobs it
had taken are redelivered to the next worker, and every message gets exactly one reply."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.conftest import Backend
from tests.factories import register
from tests.jobs.faults import (
    kill_hard,
    open_chats,
    post,
    reply_counts,
    start_server,
    start_worker,
    stop,
    unique_stream,
    wait_for_replies,
    wait_for_worker,
)
from tests.servers import scaled_out_env

CHATS = 16


@pytest.mark.fault
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_killed_worker_loses_no_reply(backend: Backend, tmp_path: Path) -> None:
    env = await scaled_out_env(
        backend.url,
        tmp_path,
        FRONTDESK_JOB_QUEUE="redis",
        FRONTDESK_JOB_STREAM=unique_stream(),
        FRONTDESK_JOB_VISIBILITY_SECONDS="2",
        # The recovery sweep stays out of it: the queue itself must redeliver.
        FRONTDESK_RECOVERY_GRACE_SECONDS="3600",
        FRONTDESK_LOG_LEVEL="warning",
    )
    log = tmp_path / "processes.log"
    server, base = start_server(env, log)
    # Two jobs at a time: when it dies, the worker holds jobs it started and has not
    # acknowledged, while the rest of the burst waits in the queue.
    first = start_worker(env, log, concurrency=2)
    second = None
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            owner = await register(http, business="Burst Bakery")
            chats = await open_chats(http, owner.slug, CHATS)
            await wait_for_worker(log, 1, first)
            half = CHATS // 2
            await asyncio.gather(
                *(post(http, c, "what are your opening hours?") for c in chats[:half])
            )
            # Kill the worker while it is replying: as soon as its first reply is out.
            while True:
                if sum(await reply_counts(http, chats[:half])):
                    break
                await asyncio.sleep(0.05)
            kill_hard(first)
            assert min(await reply_counts(http, chats[:half])) == 0, "killed too late to test"
            await asyncio.gather(
                *(post(http, c, "do you take card payments?") for c in chats[half:])
            )
            second = start_worker(env, log)
            await wait_for_worker(log, 2, second)
            await wait_for_replies(http, chats, seconds=25, log=log)
    finally:
        for process in (first, second, server):
            if process is not None:
                stop(process)
