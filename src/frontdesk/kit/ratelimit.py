"""Rate limits backed by the `limits` library: in memory by default, Redis when configured,
so several server processes share one budget."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from frontdesk.kit.errors import RateLimited


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        # Nothing connects here: the Redis client connects on first use.
        # redis-py is already a dependency (the event bus uses it too); limits defaults to
        # coredis for async Redis, so name the implementation.
        self.storage: Storage = (
            RedisStorage(f"async+{redis_url}", implementation="redispy")
            if redis_url
            else MemoryStorage()
        )
        self._strategy = MovingWindowRateLimiter(self.storage)

    async def hit(
        self, limit: str, *key: str, message: str = "Too many requests.", cost: int = 1
    ) -> None:
        """Consume ``cost`` units; raise :class:`RateLimited` if the budget is spent."""
        item = parse(limit)
        if not await self._strategy.hit(item, *key, cost=cost):
            raise RateLimited(message, await self._retry_after(limit, *key))

    async def check(self, limit: str, *key: str, message: str = "Too many requests.") -> None:
        """Raise if the budget is spent, without consuming any of it."""
        item = parse(limit)
        if not await self._strategy.test(item, *key):
            raise RateLimited(message, await self._retry_after(limit, *key))

    async def _retry_after(self, limit: str, *key: str) -> int:
        stats = await self._strategy.get_window_stats(parse(limit), *key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def close(self) -> None:
        # limits keeps its redis-py client on the storage's bridge and offers no close().
        client = getattr(getattr(self.storage, "bridge", None), "storage", None)
        if client is not None:
            await client.aclose()

    async def reset(self) -> None:
        await self.storage.reset()
