"""The job queue. Jobs are named, take JSON-able keyword arguments (ids, never objects) and
must be safe to run twice: every queue delivers at least once. Features register handlers in
their ``tasks.py``; a unit of work enqueues them only after it commits.

:class:`InProcessQueue` runs jobs as tasks of the serving process (the default, no
infrastructure); :class:`frontdesk.jobs.redis_queue.RedisQueue` sends them through a Redis
stream to ``frontdesk worker`` processes, which acknowledge a job only once it has finished.
Work a dead process never finished is found again by the recovery sweep
(:mod:`frontdesk.recovery`), run at start and periodically.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from frontdesk.observability.logging import bound
from frontdesk.observability.metrics import job_run

log = logging.getLogger("frontdesk.jobs")

JobHandler = Callable[..., Awaitable[None]]
Interval = float | Callable[[Any], float]  # seconds, or read from the settings


@dataclass(frozen=True)
class Periodic:
    name: str
    interval: Interval
    at_start: bool

    def seconds(self, settings: Any) -> float:
        return float(self.interval(settings) if callable(self.interval) else self.interval)


_HANDLERS: dict[str, JobHandler] = {}
_PERIODIC: list[Periodic] = []


def every(seconds: Interval, name: str, *, at_start: bool = False) -> None:
    """Run the job ``name`` (no arguments) every ``seconds`` (a number, or a function of the
    settings), wherever jobs are scheduled; with ``at_start`` also once when scheduling
    starts."""
    _PERIODIC.append(Periodic(name, seconds, at_start))


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

    async def check(self) -> str:
        """What readiness reports for the queue; raises if the queue is unreachable."""
        ...

    async def backlog(self) -> tuple[int, float]:
        """Jobs queued or running, and the oldest one's age in seconds (for /metrics)."""
        ...


async def enqueue_at_start(queue: JobQueue) -> None:
    for periodic in _PERIODIC:
        if periodic.at_start:
            await queue.enqueue(periodic.name)


async def run_periodic(queue: JobQueue, settings: Any) -> None:
    """Enqueue periodic jobs on their intervals (started by whoever schedules: the server
    with the in-process queue, ``frontdesk worker`` with Redis)."""

    async def loop(periodic: Periodic) -> None:
        while True:
            await asyncio.sleep(periodic.seconds(settings))
            try:
                await queue.enqueue(periodic.name)
            except Exception as error:  # Redis down: the next tick tries again
                log.warning("could not enqueue periodic job %s: %s", periodic.name, error)

    await asyncio.gather(*(loop(periodic) for periodic in _PERIODIC))


def job_log_ids(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The ids a job's log lines carry, from its arguments."""
    return {
        "workspace_id": kwargs.get("workspace_id"),
        "conversation_id": kwargs.get("conversation_id"),
    }


class InProcessQueue:
    def __init__(self, services: Any, schedule: bool = True, stop_grace: float = 20) -> None:
        self.services = services
        self.schedule = schedule
        # On shutdown, running jobs (a reply being written) get this long to finish; what
        # is cut short is found again by the recovery sweep of the next process.
        self.stop_grace = stop_grace
        self._running: dict[asyncio.Task[None], float] = {}  # task -> when it was queued
        self._scheduler: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.schedule and _PERIODIC:
            # Jobs of this queue die with the process: what a previous process left undone
            # is found by the jobs that run at start (the recovery sweep).
            await enqueue_at_start(self)
            self._scheduler = asyncio.create_task(
                run_periodic(self, self.services.settings), name="job-scheduler"
            )

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        handler = handler_for(name)  # fail at enqueue time, in the caller, for a typo
        task = asyncio.create_task(self._run(name, handler, kwargs), name=f"job:{name}")
        self._running[task] = time.monotonic()
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._running.pop(task, None)

    async def _run(self, name: str, handler: JobHandler, kwargs: dict[str, Any]) -> None:
        with bound(**job_log_ids(kwargs)):
            try:
                with job_run(name):
                    await handler(self.services, **kwargs)
            except Exception:
                log.exception("job %s failed with %s", name, kwargs)

    async def check(self) -> str:
        return f"in-process, {len(self._running)} running"

    async def backlog(self) -> tuple[int, float]:
        if not self._running:
            return 0, 0.0
        return len(self._running), time.monotonic() - min(self._running.values())

    async def drain(self) -> None:
        """Wait until no job is running, including jobs that running jobs enqueue."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
        # asyncio.wait, not a timeout around drain(): cancelling a gather would cancel the
        # very jobs it waits for, the moment the grace ran out.
        deadline = asyncio.get_running_loop().time() + self.stop_grace
        while self._running:  # including jobs that finishing jobs enqueue
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            await asyncio.wait(list(self._running), timeout=remaining)
        if self._running:
            unfinished = list(self._running)
            log.warning(
                "stopping with %d jobs unfinished after %.0f s (%s); the recovery sweep "
                "queues their work again",
                len(unfinished),
                self.stop_grace,
                ", ".join(sorted({task.get_name() for task in unfinished})),
            )
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)


def create_queue(settings: Any, services: Any) -> JobQueue:
    if settings.job_queue == "redis":
        from frontdesk.jobs.redis_queue import RedisQueue

        return RedisQueue(
            settings.redis_url,
            services,
            stream=settings.job_stream,
            visibility_seconds=settings.job_visibility_seconds,
            max_deliveries=settings.job_max_deliveries,
        )
    return InProcessQueue(services, stop_grace=settings.shutdown_grace_seconds)
