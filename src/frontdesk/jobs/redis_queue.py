"""Jobs through a Redis stream: servers add entries, ``frontdesk worker`` processes run them.

At least once, never lost: workers read through one consumer group (XREADGROUP), so an entry
a worker has taken stays in the group's pending list until that worker acknowledges it
(XACK), which it does only after the job's handler returned (its units of work committed).
A worker that dies (``kill -9``) leaves its entries pending; any worker claims entries idle
longer than the visibility timeout (XAUTOCLAIM) and runs them again. While a job runs, its
worker keeps claiming it for itself so a slow job is not taken over. A job that failed
``max_deliveries`` times moves to a dead-letter stream (``<stream>:dead``) for a person to
look at. Handlers are idempotent, so a job run twice does its work once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import time
import uuid
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from frontdesk.jobs.queue import enqueue_at_start, handler_for, job_log_ids, run_periodic
from frontdesk.observability.logging import bind
from frontdesk.observability.metrics import job_run

log = logging.getLogger("frontdesk.jobs")
GROUP = "workers"
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
Entry = tuple[str, dict[str, str]]
STOP_GRACE_SECONDS = 30  # then unfinished jobs are left to another worker


class RedisQueue:
    def __init__(
        self,
        redis_url: str,
        services: Any,
        *,
        stream: str = "frontdesk:job-stream",
        visibility_seconds: float = 60,
        max_deliveries: int = 5,
        schedule: bool = True,
    ) -> None:
        self.services = services
        self.stream, self.dead_letters = stream, f"{stream}:dead"
        self.visibility_ms = int(visibility_seconds * 1000)
        self.max_deliveries = max_deliveries
        self.schedule = schedule
        self.consumer = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        # Nothing connects here; the client connects on first use.
        self.redis: Redis = Redis.from_url(
            redis_url, decode_responses=True, socket_connect_timeout=5
        )
        self._in_flight: set[str] = set()
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        await self._ensure_group()
        if self.schedule:
            # What a dead process left undone (and jobs lost before this queue acknowledged
            # anything) is found by the recovery sweep, which runs at start.
            await enqueue_at_start(self)

    async def _ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        handler_for(name)  # an unknown job fails here, in the caller
        await self.redis.xadd(self.stream, {"name": name, "kwargs": json.dumps(kwargs)})

    async def check(self) -> str:
        waiting = await self.redis.xlen(self.stream)
        dead = await self.redis.xlen(self.dead_letters)
        return f"redis stream {self.stream}: {waiting} entries, {dead} dead letters"

    async def backlog(self) -> tuple[int, float]:
        """Entries still in the stream (waiting, or taken and not yet acknowledged: finished
        ones are deleted), and the oldest one's age, read from its id (milliseconds since
        the epoch): two cheap commands, whatever the stream's length."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.xlen(self.stream)
            pipe.xrange(self.stream, "-", "+", count=1)
            depth, first = await pipe.execute()
        if not first:
            return int(depth), 0.0
        added_ms = int(str(first[0][0]).split("-", 1)[0])
        return int(depth), max(time.time() - added_ms / 1000, 0.0)

    async def drain(self) -> None:
        """Jobs run in worker processes; there is nothing to wait for here."""

    async def stop(self) -> None:
        await self.redis.aclose()

    def request_stop(self) -> None:
        """Take no more jobs; :meth:`work` returns once the jobs in hand are done (SIGTERM,
        as a deploy sends it: nothing waits for the visibility timeout)."""
        self._stopping.set()

    async def work(self, concurrency: int = 8) -> None:
        """Run jobs (and the periodic schedule) until cancelled or asked to stop:
        ``frontdesk worker``."""
        helpers = [asyncio.create_task(self._keep_claimed())]
        if self.schedule:
            helpers.append(asyncio.create_task(run_periodic(self, self.services.settings)))
        try:
            await self._consume(concurrency)
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)

    async def _consume(self, concurrency: int) -> None:
        running: set[asyncio.Task[None]] = set()
        backoff = 0.5
        try:
            while not self._stopping.is_set():
                if len(running) >= concurrency:
                    await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                free = concurrency - len(running)
                try:
                    entries = await self._claim_stale(free) or await self._read_new(free)
                    backoff = 0.5
                except REDIS_DOWN as error:
                    log.warning("Redis unreachable (%s); retrying in %.1f s", error, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 10)
                    continue
                except ResponseError as error:
                    if "NOGROUP" not in str(error):
                        raise
                    await self._ensure_group()  # Redis lost its data (restarted empty)
                    continue
                for entry_id, fields in entries:
                    self._in_flight.add(entry_id)
                    task = asyncio.create_task(self._run(entry_id, fields), name=f"job:{entry_id}")
                    running.add(task)
                    task.add_done_callback(running.discard)
            if running:  # asked to stop: finish (and acknowledge) what was taken
                await asyncio.wait(running, timeout=STOP_GRACE_SECONDS)
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _read_new(self, count: int) -> list[Entry]:
        answer = await self.redis.xreadgroup(
            GROUP, self.consumer, {self.stream: ">"}, count=count, block=1000
        )
        return [entry for _stream, entries in answer or [] for entry in entries]

    async def _claim_stale(self, count: int) -> list[Entry]:
        """Entries another worker took and never acknowledged (it died, or the job failed),
        idle past the visibility timeout; entries delivered too often go to dead letters."""
        _next, claimed, *_deleted = await self.redis.xautoclaim(
            self.stream, GROUP, self.consumer, self.visibility_ms, "0-0", count=count
        )
        runnable: list[Entry] = []
        for entry_id, fields in claimed:
            if fields is None or entry_id in self._in_flight:
                continue  # trimmed away meanwhile, or still running here (a stalled loop)
            pending = await self.redis.xpending_range(
                self.stream, GROUP, min=entry_id, max=entry_id, count=1
            )
            deliveries = int(pending[0]["times_delivered"]) if pending else 1
            if deliveries > self.max_deliveries:
                reason = f"delivered {deliveries - 1} times, never finished"
                await self._bury(entry_id, fields, reason)
            else:
                log.info("redelivering job %s (delivery %d)", fields.get("name"), deliveries)
                runnable.append((entry_id, fields))
        return runnable

    async def _keep_claimed(self) -> None:
        """Reset the idle time of running entries, so no other worker takes over a slow job
        from a live worker."""
        while True:
            await asyncio.sleep(self.visibility_ms / 3000)
            if not self._in_flight:
                continue
            with contextlib.suppress(*REDIS_DOWN):
                await self.redis.xclaim(
                    self.stream, GROUP, self.consumer, 0, list(self._in_flight), justid=True
                )

    async def _run(self, entry_id: str, fields: dict[str, str]) -> None:
        try:
            try:
                name = fields["name"]
                handler = handler_for(name)
                kwargs = json.loads(fields["kwargs"])
            except (KeyError, LookupError, ValueError) as error:
                with contextlib.suppress(*REDIS_DOWN):  # else buried when claimed again
                    await self._bury(entry_id, fields, f"cannot run: {error}")
                return
            try:
                bind(**job_log_ids(kwargs))  # this task's own context: its log lines only
                with job_run(name):
                    await handler(self.services, **kwargs)
            except Exception:
                # Not acknowledged: claimed again after the visibility timeout.
                log.exception("job %s failed with %s; it will be retried", name, kwargs)
                return
            await self._acknowledge(entry_id)
        finally:
            self._in_flight.discard(entry_id)

    async def _acknowledge(self, entry_id: str) -> None:
        for attempt in range(5):
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.xack(self.stream, GROUP, entry_id)
                    pipe.xdel(self.stream, entry_id)
                    await pipe.execute()
                return
            except REDIS_DOWN as error:
                # The job is done; unacknowledged it would run again (harmlessly) later.
                log.warning("could not acknowledge job %s: %s", entry_id, error)
                await asyncio.sleep(0.5 * (attempt + 1))

    async def _bury(self, entry_id: str, fields: dict[str, str], reason: str) -> None:
        log.error("job %s moved to %s: %s", fields.get("name"), self.dead_letters, reason)
        async with self.redis.pipeline(transaction=True) as pipe:
            buried: dict[Any, Any] = {**fields, "reason": reason, "entry": entry_id}
            pipe.xadd(self.dead_letters, buried)
            pipe.xack(self.stream, GROUP, entry_id)
            pipe.xdel(self.stream, entry_id)
            await pipe.execute()
