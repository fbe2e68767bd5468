"""The event bus: how an event published by one server process reaches every socket.

Sockets only ever talk to the local :class:`Hub`. A bus moves published events to the hub of
every process: :class:`InProcessBus` directly (one process, the default), :class:`RedisBus`
through Redis pub/sub (several processes). One Redis subscription per process, with local
fan-out, keeps Redis work independent of the number of sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("frontdesk.realtime")
QUEUE_LIMIT = 1000  # a socket this far behind is dropped; it reconnects and catches up


@dataclass(frozen=True)
class Envelope:
    """One event on its way to sockets: the wire frame, already serialised once, and what
    the sockets need to decide who receives it."""

    channel: str
    frame: str
    audience: str = "all"  # "all" or "staff"
    origin: str = ""  # "customer" or "staff": the side that caused it, for ephemeral echoes
    event_id: int | None = None


class Subscription:
    def __init__(self, hub: Hub, channels: tuple[str, ...]) -> None:
        self.hub, self.channels = hub, channels
        self.queue: asyncio.Queue[Envelope | None] = asyncio.Queue(QUEUE_LIMIT)

    def offer(self, envelope: Envelope) -> None:
        try:
            self.queue.put_nowait(envelope)
        except asyncio.QueueFull:
            log.warning("dropping a socket that fell %d events behind", QUEUE_LIMIT)
            self.hub.unsubscribe(self)
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)  # tells the reader to close

    async def __aiter__(self) -> AsyncIterator[Envelope]:
        while (envelope := await self.queue.get()) is not None:
            yield envelope


class Hub:
    """Local fan-out from channels to the subscriptions of this process."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = {}

    def subscribe(self, *channels: str) -> Subscription:
        subscription = Subscription(self, channels)
        for channel in channels:
            self._subscribers.setdefault(channel, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        for channel in subscription.channels:
            subscribers = self._subscribers.get(channel)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[channel]

    def dispatch(self, envelope: Envelope) -> None:
        for subscription in list(self._subscribers.get(envelope.channel, ())):
            subscription.offer(envelope)

    @property
    def subscription_count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())


class EventBus(Protocol):
    hub: Hub

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, envelope: Envelope) -> None: ...


class InProcessBus:
    def __init__(self) -> None:
        self.hub = Hub()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, envelope: Envelope) -> None:
        self.hub.dispatch(envelope)


class RedisBus:
    """Publishes to Redis; one listener per process feeds the local hub."""

    def __init__(self, url: str, prefix: str = "frontdesk:events:") -> None:
        self.hub = Hub()
        self.url, self.prefix = url, prefix
        self._redis: Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._redis = Redis.from_url(self.url)
        self._listener = asyncio.create_task(self._listen(), name="redis-bus-listener")
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()

    async def publish(self, envelope: Envelope) -> None:
        assert self._redis is not None, "RedisBus.start() was not called"
        await self._redis.publish(self.prefix + envelope.channel, json.dumps(asdict(envelope)))

    async def _listen(self) -> None:
        assert self._redis is not None
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(self.prefix + "*")
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message["type"] == "pmessage":
                            self.hub.dispatch(Envelope(**json.loads(message["data"])))
            except asyncio.CancelledError:
                raise
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                # Redis down: one line a second, not a traceback; clients catch up on reconnect
                log.warning("Redis event listener cannot reach Redis (%s); retrying", error)
                await asyncio.sleep(1)
            except Exception:  # anything else: retry too, with the traceback to find why
                log.exception("Redis event listener failed; reconnecting")
                await asyncio.sleep(1)


def create_bus(redis_url: str | None) -> EventBus:
    return RedisBus(redis_url) if redis_url else InProcessBus()
