"""Login throttling per IP and per account and address, in memory and shared through real
Redis."""

from __future__ import annotations

import uuid

import httpx
import pytest

from frontdesk.kit.errors import RateLimited
from frontdesk.kit.ratelimit import RateLimiter
from tests.conftest import Backend, client_for
from tests.factories import PASSWORD, register
from tests.servers import REDIS_URL, require_redis


async def test_login_is_throttled_per_account_and_address(
    client: httpx.AsyncClient, backend: Backend
) -> None:
    """Failures on one account from one address (other addresses: tests/accounts/
    test_throttle.py)."""
    account = await register(client)
    async with client_for(backend.settings(login_limit_per_account_ip="3/minute")) as http:
        for _ in range(3):
            wrong = await http.post(
                "/api/auth/login", json={"email": account.email, "password": "bad-guess"}
            )
            assert wrong.status_code == 401
        # This address's budget for this account is spent: even the right password waits.
        limited = await http.post(
            "/api/auth/login", json={"email": account.email, "password": PASSWORD}
        )
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"]["code"] == "rate_limited"
        # Another account from the same address is not affected.
        other = await register(client)
        ok = await http.post("/api/auth/login", json={"email": other.email, "password": PASSWORD})
        assert ok.status_code == 200


async def test_login_is_throttled_per_ip(client: httpx.AsyncClient, backend: Backend) -> None:
    account = await register(client)
    async with client_for(backend.settings(login_limit_per_ip="2/minute")) as http:
        body = {"email": account.email, "password": PASSWORD}
        assert (await http.post("/api/auth/login", json=body)).status_code == 200
        assert (await http.post("/api/auth/login", json=body)).status_code == 200
        assert (await http.post("/api/auth/login", json=body)).status_code == 429


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_redis_limits_are_shared_between_processes(backend: Backend) -> None:
    """Two limiters (as in two server processes) spend one budget held in Redis."""
    await require_redis()
    key = f"test-{uuid.uuid4()}"
    first, second = RateLimiter(REDIS_URL), RateLimiter(REDIS_URL)
    await first.hit("3/minute", key)
    await second.hit("3/minute", key)
    await first.hit("3/minute", key)
    try:
        with pytest.raises(RateLimited) as refused:
            await second.hit("3/minute", key)
        assert refused.value.headers["Retry-After"]
    finally:
        await first.close()
        await second.close()


async def test_memory_limiter_counts_only_what_is_hit() -> None:
    limiter = RateLimiter()
    await limiter.check("1/minute", "k")
    await limiter.check("1/minute", "k")  # checking spends nothing
    await limiter.hit("1/minute", "k")
    with pytest.raises(RateLimited):
        await limiter.check("1/minute", "k")
