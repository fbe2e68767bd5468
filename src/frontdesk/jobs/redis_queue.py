"""Jobs through Redis with taskiq: the server enqueues, ``frontdesk worker`` runs them.

One taskiq task, ``frontdesk.run``, carries the job's name and arguments, so features keep
registering plain handlers with :func:`frontdesk.jobs.queue.job` whichever queue is in use.
"""

from __future__ import annotations

import asyncio
from typing import Any

from taskiq.api import run_receiver_task
from taskiq_redis import ListQueueBroker

from frontdesk.jobs.queue import handler_for, run_periodic

QUEUE_NAME = "frontdesk:jobs"


class RedisQueue:
    def __init__(self, redis_url: str, services: Any) -> None:
        self.services = services
        self.broker = ListQueueBroker(redis_url, queue_name=QUEUE_NAME)

        @self.broker.task(task_name="frontdesk.run")
        async def run(name: str, kwargs: dict[str, Any]) -> None:
            await handler_for(name)(services, **kwargs)

        self._run = run

    async def start(self) -> None:
        await self.broker.startup()

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        handler_for(name)  # an unknown job fails here, in the caller
        await self._run.kiq(name, kwargs)

    async def drain(self) -> None:
        """Jobs run in worker processes; there is nothing to wait for here."""

    async def stop(self) -> None:
        await self.broker.shutdown()

    async def work(self, concurrency: int = 8) -> None:
        """Run jobs (and the periodic schedule) until cancelled: ``frontdesk worker``."""
        self.broker.is_worker_process = True
        await asyncio.gather(
            run_receiver_task(self.broker, max_async_tasks=concurrency, run_startup=False),
            run_periodic(self),
        )
