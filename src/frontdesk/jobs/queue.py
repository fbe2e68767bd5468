"""The job queue. Jobs are named, take JSON-able keyword arguments (ids, never objects) and
must be safe to run twice. Features register handlers in their ``tasks.py``; a unit of work
enqueues them only after it commits.

:class:`InProcessQueue` runs jobs as tasks of the serving process (the default, no
infrastructure). A queue backed by Redis for several workers plugs in behind the same
:class:`JobQueue` interface.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

log = logging.getLogger("frontdesk.jobs")

JobHandler = Callable[..., Awaitable[None]]
_HANDLERS: dict[str, JobHandler] = {}


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
    async def enqueue(self, name: str, **kwargs: Any) -> None: ...

    async def drain(self) -> None: ...

    async def stop(self) -> None: ...


class InProcessQueue:
    def __init__(self, services: Any) -> None:
        self.services = services
        self._running: set[asyncio.Task[None]] = set()

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
        await self.drain()
