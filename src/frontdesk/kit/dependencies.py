"""What the service depends on (the database, Redis when configured, the job queue): checking
each one, and telling "a dependency is down" (503, try again shortly) from a bug (500).

Readiness reports every dependency by name, so an operator sees which one is down; start-up
checks them first and says in one line what cannot be reached, instead of a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from frontdesk.kit.errors import error_envelope

log = logging.getLogger("frontdesk.dependencies")
CHECK_SECONDS = 3.0
RETRY_AFTER_SECONDS = 5
LABELS = {"database": "The database", "redis": "Redis", "queue": "The job queue"}
# Exceptions that may mean a dependency is down; the app's error handlers ask
# :func:`down_dependency` to decide, and answer 500 as usual when it is something else.
DEPENDENCY_ERRORS: tuple[type[Exception], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    DBAPIError,
    PoolTimeout,
    OSError,
)


@dataclass(frozen=True)
class Down:
    name: str  # database, redis

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)


def down_dependency(error: BaseException) -> Down | None:
    """Which dependency an exception says is unreachable, if any (following its causes)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, RedisConnectionError | RedisTimeoutError):
            return Down("redis")
        if isinstance(current, PoolTimeout):
            return Down("database")
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return Down("database")
        # asyncpg and aiosqlite raise plain socket errors: they are the only raw sockets a
        # request uses (Redis wraps its own, above).
        if isinstance(current, ConnectionError | socket.gaierror):
            return Down("database")
        if "database is locked" in str(current) or "unable to open database" in str(current):
            return Down("database")
        current = current.__cause__ or current.__context__
    return None


def unavailable_envelope(down: Down) -> dict[str, Any]:
    return error_envelope(
        "service_unavailable",
        f"{down.label} is unreachable right now; please try again in a moment.",
        {"dependency": down.name},
    )


async def ping_redis(url: str) -> str:
    client = Redis.from_url(url, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return "ok"


async def _queue(services: Any) -> str:
    return str(await services.jobs.check())


async def _checked(check: Callable[[], Awaitable[str]]) -> tuple[bool, str]:
    try:
        return True, await asyncio.wait_for(check(), CHECK_SECONDS)
    except Exception as error:  # any failure to reach it means "not ready"
        return False, f"unreachable: {type(error).__name__}: {error}"[:300]


async def readiness(services: Any) -> dict[str, Any] | JSONResponse:
    """``/readyz``: every dependency answers, or 503 naming those that do not."""
    checks: dict[str, Callable[[], Awaitable[str]]] = {
        "database": lambda: _database_of(services.db)
    }
    redis_url = services.settings.redis_url
    if redis_url:
        checks["redis"] = lambda: ping_redis(redis_url)
    checks["queue"] = lambda: _queue(services)
    results = await asyncio.gather(*(_checked(check) for check in checks.values()))
    report = {name: detail for name, (_ok, detail) in zip(checks, results, strict=True)}
    down = [name for name, (ok, _detail) in zip(checks, results, strict=True) if not ok]
    if not down:
        return {"status": "ready", "checks": report}
    log.warning("not ready: %s", "; ".join(f"{name} {report[name]}" for name in down))
    message = " ".join(f"{LABELS[name]} is unreachable." for name in down)
    return JSONResponse(
        error_envelope("not_ready", message, {"down": down, "checks": report}),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def startup_problem(settings: Any) -> str | None:
    """One line saying which dependency cannot be reached at start-up, or None."""
    from frontdesk.kit.db import Database

    db = Database(settings.resolved_database_url)
    where = make_url(settings.resolved_database_url).render_as_string(hide_password=True)
    try:
        ok, detail = await _checked(lambda: _database_of(db))
    finally:
        await db.dispose()
    if not ok:
        detail = detail.removeprefix("unreachable: ")
        return f"cannot reach the database at {where} ({detail}); check FRONTDESK_DATABASE_URL"
    if settings.redis_url:
        ok, detail = await _checked(lambda: ping_redis(settings.redis_url))
        if not ok:
            detail = detail.removeprefix("unreachable: ")
            shown = make_url(settings.redis_url).render_as_string(hide_password=True)
            return f"cannot reach Redis at {shown} ({detail}); check FRONTDESK_REDIS_URL"
    return None


async def _database_of(db: Any) -> str:
    async with db.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return "ok"
