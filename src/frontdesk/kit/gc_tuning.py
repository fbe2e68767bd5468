"""Garbage-collector care for a server holding thousands of long-lived sockets.

Measured with 5,000 sockets (bench/sockets.py): under CPython's defaults, full collections ran
every few seconds while sockets accumulated and paused the server for 0.5-1 s each, and with
merely larger thresholds the middle generation grew fat with connection objects and every
collection of it paused 100-180 ms. Both were the p99.

So, in the serving process: what exists after start-up is frozen (never scanned again); every
``FREEZE_SECONDS`` the survivors are frozen too, which keeps the collected generations small
and their pauses short; and every ``FULL_SECONDS`` everything is unfrozen and collected once,
so cyclic garbage that happened to be frozen is still reclaimed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time

log = logging.getLogger("frontdesk.gc")
FREEZE_SECONDS = 30
FULL_SECONDS = 30 * 60


class CollectorCare:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        gc.collect()
        gc.freeze()
        self._task = asyncio.create_task(self._run(), name="gc-care")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            gc.unfreeze()

    async def _run(self) -> None:
        last_full = time.monotonic()
        while True:
            await asyncio.sleep(FREEZE_SECONDS)
            if time.monotonic() - last_full >= FULL_SECONDS:
                started = time.perf_counter()
                gc.unfreeze()
                gc.collect()
                log.info("full collection took %.0f ms", (time.perf_counter() - started) * 1e3)
                last_full = time.monotonic()
            gc.freeze()
