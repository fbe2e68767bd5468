"""The job queue. Jobs are named, take JSON-able keyword arguments (ids, never objects) and
must be safe to run twice. Features register handlers in their ``tasks.py``; a unit of work
enqueues them only after it commits.

:class:`InProcessQueue` runs jobs as tasks of the serving process (the default, no
infrastructure); :class:`frontdesk.jobs.redis_queue.RedisQueue` sends them through Redis
(taskiq) to ``frontdesk worker`` processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

log = logging.getLogger("frontdesk.jobs")

JobHandler = Callable[..., Awaitable[None]]
_HANDLERS: dict[str, JobHandler] = {}
_PERIODIC: list[tuple[float, str]] = []


def every(seconds: float, name: str) -> None:
    """Run the job ``name`` (no arguments) every ``seconds``, wherever jobs are scheduled."""
    _PERIODIC.append((seconds, name))


def job(name: str) -> Callable[[JobHandler], JobHandler]:
    """Register ``handler(services, **kwargs)`` as the job called ``name``."""

    def register(handler: JobHandler) -> JobHandler:
        _HANDLERS[name] = handler
        return handler

    return register


def handler_for(name: str) -> JobHandler:
    try:
        return _HANDLERS[name]
    except KeyError:
        raise LookupError(f"no job called {name!r}; is its tasks module imported?") from None


class JobQueue(Protocol):
    async def start(self) -> None: ...

    async def enqueue(self, name: str, **kwargs: Any) -> None: ...

    async def drain(self) -> None: ...

    async def stop(self) -> None: ...


async def run_periodic(queue: JobQueue) -> None:
    """Enqueue periodic jobs on their intervals (started by whoever schedules: the server
    with the in-process queue, ``frontdesk worker`` with Redis)."""

    async def loop(seconds: float, name: str) -> None:
        while True:
            await asyncio.sleep(seconds)
            await queue.enqueue(name)

    await asyncio.gather(*(loop(seconds, name) for seconds, name in _PERIODIC))


class InProcessQueue:
    def __init__(self, services: Any, schedule: bool = True) -> None:
        self.services = services
        self.schedule = schedule
        self._running: set[asyncio.Task[None]] = set()
        self._scheduler: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.schedule and _PERIODIC:
            self._scheduler = asyncio.create_task(run_periodic(self), name="job-scheduler")

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        handler = handler_for(name)  # fail at enqueue time, in the caller, for a typo
        task = asyncio.create_task(self._run(name, handler, kwargs), name=f"job:{name}")
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _run(self, name: str, handler: JobHandler, kwargs: dict[str, Any]) -> None:
        try:
            await handler(self.services, **kwargs)
        except Exception:
            log.exception("job %s failed with %s", name, kwargs)

    async def drain(self) -> None:
        """Wait until no job is running, including jobs that running jobs enqueue."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
        await self.drain()


def create_queue(settings: Any, services: Any) -> JobQueue:
    if settings.job_queue == "redis":
        from frontdesk.jobs.redis_queue import RedisQueue

        return RedisQueue(settings.redis_url, services)
    return InProcessQueue(services)
