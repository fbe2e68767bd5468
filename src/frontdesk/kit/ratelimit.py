"""Rate limits backed by the `limits` library: in memory by default, Redis when configured,
so several server processes share one budget."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from frontdesk.kit.errors import RateLimited


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        # Nothing connects here: the Redis client connects on first use.
        storage = storage_from_string(f"async+{redis_url}") if redis_url else MemoryStorage()
        if not isinstance(storage, Storage):
            raise TypeError(f"not an async rate-limit storage: {storage!r}")
        self.storage = storage
        self._strategy = MovingWindowRateLimiter(self.storage)

    async def hit(self, limit: str, *key: str, message: str = "Too many requests.") -> None:
        """Consume one unit; raise :class:`RateLimited` if the budget is spent."""
        item = parse(limit)
        if not await self._strategy.hit(item, *key):
            raise RateLimited(message, await self._retry_after(limit, *key))

    async def check(self, limit: str, *key: str, message: str = "Too many requests.") -> None:
        """Raise if the budget is spent, without consuming any of it."""
        item = parse(limit)
        if not await self._strategy.test(item, *key):
            raise RateLimited(message, await self._retry_after(limit, *key))

    async def _retry_after(self, limit: str, *key: str) -> int:
        stats = await self._strategy.get_window_stats(parse(limit), *key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def reset(self) -> None:
        await self.storage.reset()
