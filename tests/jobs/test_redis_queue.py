"""The Redis stream queue on a real Redis: a job a dead worker took is run by another, a job
that keeps failing ends in the dead-letter stream, a finished job leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from frontdesk.jobs.queue import job
from frontdesk.jobs.redis_queue import GROUP, RedisQueue
from tests.jobs.faults import unique_stream
from tests.servers import REDIS_URL, require_redis

RUNS: list[str] = []


@job("test.note")
async def note(services: Any, word: str) -> None:
    RUNS.append(word)


@job("test.always_fails")
async def always_fails(services: Any, word: str) -> None:
    RUNS.append(word)
    raise RuntimeError("this job never works")


@asynccontextmanager
async def working(queue: RedisQueue) -> AsyncIterator[None]:
    worker = asyncio.create_task(queue.work(concurrency=2))
    try:
        yield
    finally:
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker


async def until(condition: Any, seconds: float = 10) -> None:
    async with asyncio.timeout(seconds):
        while True:
            if await condition():
                return
            await asyncio.sleep(0.05)


async def test_a_job_taken_by_a_dead_worker_runs_on_another() -> None:
    await require_redis()
    stream = unique_stream()
    producer = RedisQueue(REDIS_URL, None, stream=stream, schedule=False)
    survivor = RedisQueue(REDIS_URL, None, stream=stream, visibility_seconds=0.5, schedule=False)
    raw = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await producer.start()
        await producer.enqueue("test.note", word="lost-and-found")
        # A worker takes the entry and dies before acknowledging it (a real consumer of the
        # group, through the same protocol; it never runs anything).
        taken = await raw.xreadgroup(GROUP, "dead-worker", {stream: ">"}, count=1)
        assert taken and taken[0][1]
        await survivor.start()
        async with working(survivor):

            async def done() -> bool:
                return "lost-and-found" in RUNS and not await raw.xlen(stream)

            await until(done)
        assert RUNS.count("lost-and-found") == 1
        assert (await raw.xpending(stream, GROUP))["pending"] == 0
    finally:
        await raw.delete(stream, f"{stream}:dead")
        await raw.aclose()
        await producer.stop()
        await survivor.stop()


async def test_a_job_that_keeps_failing_goes_to_dead_letters() -> None:
    await require_redis()
    stream = unique_stream()
    queue = RedisQueue(
        REDIS_URL, None, stream=stream, visibility_seconds=0.2, max_deliveries=3, schedule=False
    )
    raw = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await queue.start()
        await queue.enqueue("test.always_fails", word="poison")
        async with working(queue):

            async def buried() -> bool:
                return bool(await raw.xlen(f"{stream}:dead"))

            await until(buried)
        assert RUNS.count("poison") == 3  # tried max_deliveries times, then set aside
        dead = await raw.xrange(f"{stream}:dead")
        assert dead[0][1]["name"] == "test.always_fails"
        assert await raw.xlen(stream) == 0
    finally:
        await raw.delete(stream, f"{stream}:dead")
        await raw.aclose()
        await queue.stop()
