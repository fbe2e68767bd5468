"""Password guessing is slowed down per address and per account, without locking the owner
out, and every endpoint that checks a password shares sign-in's budget.

Addresses are set on the ASGI transport, as a reverse proxy's client address would be. Each
test runs with the in-memory limiter and with the limiter shared through real Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from frontdesk.app import create_app
from frontdesk.settings import Settings
from tests.conftest import Backend, services_of
from tests.factories import PASSWORD, Account, register
from tests.servers import REDIS_URL, require_redis

DEFAULTS = Settings.model_fields
OWNER_ADDRESS = "127.0.0.1"  # where ``client`` registered the account: a known address


@pytest.fixture(params=["memory", "redis"])
def limiter_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@asynccontextmanager
async def server(backend: Backend, limiter: str, **limits: str) -> AsyncIterator[FastAPI]:
    """An app with sign-in's production limits (unless overridden) on the test database."""
    if limiter == "redis":
        await require_redis()
    production = {
        "login_limit_per_ip": "1000/minute",
        "login_limit_per_account_ip": DEFAULTS["login_limit_per_account_ip"].default,
        "login_limit_per_account": DEFAULTS["login_limit_per_account"].default,
    }
    settings = backend.settings(
        **{**production, **limits}, redis_url=REDIS_URL if limiter == "redis" else None
    )
    application = create_app(settings)
    await services_of(application).start()
    try:
        yield application
    finally:
        await services_of(application).close()


def from_address(application: FastAPI, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=application, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def addresses(count: int) -> list[str]:
    """Fresh addresses for this run: Redis keeps budgets between runs."""
    run = uuid.uuid4().bytes
    return [f"10.{run[0]}.{run[1]}.{i + 1}" for i in range(count)]


async def sign_in(application: FastAPI, ip: str, email: str, password: str) -> int:
    async with from_address(application, ip) as http:
        response = await http.post("/api/auth/login", json={"email": email, "password": password})
        return response.status_code


async def fresh_account(client: httpx.AsyncClient) -> str:
    return (await register(client, email=f"{uuid.uuid4().hex[:12]}@example.com")).email


async def test_wrong_guesses_from_one_address_leave_the_owner_signing_in(
    client: httpx.AsyncClient, backend: Backend, limiter_backend: str
) -> None:
    """Issue 13 finding 6: ten wrong passwords from one address locked the account for
    every address for 15 minutes."""
    email = await fresh_account(client)
    attacker, owner_elsewhere = addresses(2)
    async with server(backend, limiter_backend) as application:
        for _ in range(10):
            assert await sign_in(application, attacker, email, "a-wrong-guess") == 401
        # The attacker's address is stopped, even if its next guess is right...
        assert await sign_in(application, attacker, email, PASSWORD) == 429
        # ...while the owner signs in from a new address and from a known one.
        assert await sign_in(application, owner_elsewhere, email, PASSWORD) == 200
        assert await sign_in(application, OWNER_ADDRESS, email, PASSWORD) == 200


async def test_guesses_spread_over_addresses_stop_at_the_account_ceiling(
    client: httpx.AsyncClient, backend: Backend, limiter_backend: str
) -> None:
    """Past the account-wide ceiling new addresses wait; an address the account signed in
    from before still signs in."""
    email = await fresh_account(client)
    *spread, newcomer = addresses(6)
    async with server(backend, limiter_backend, login_limit_per_account="5/minute") as app_:
        for ip in spread:
            assert await sign_in(app_, ip, email, "a-wrong-guess") == 401
        assert await sign_in(app_, newcomer, email, PASSWORD) == 429
        assert await sign_in(app_, OWNER_ADDRESS, email, PASSWORD) == 200
        # An unknown email behaves like a known one past its ceiling: nothing to learn.
        unknown = f"{uuid.uuid4().hex[:12]}@example.com"
        for ip in spread:
            assert await sign_in(app_, ip, unknown, "a-wrong-guess") == 401
        assert await sign_in(app_, newcomer, unknown, PASSWORD) == 429


async def invite(client: httpx.AsyncClient, email: str, owner: Account | None = None) -> str:
    owner = owner or await register(client)
    invited = await client.post(
        "/api/workspace/members", headers=owner.headers, json={"email": email, "role": "agent"}
    )
    assert invited.status_code == 201, invited.text
    return str(invited.json()["token"])


async def test_accepting_an_invitation_is_limited_like_sign_in(
    client: httpx.AsyncClient, backend: Backend, limiter_backend: str
) -> None:
    """Issue 13 finding 2: the accept endpoint checked an existing user's password with no
    limit (40 wrong guesses, no 429)."""
    email = await fresh_account(client)
    token = await invite(client, email)
    guesser, owner_elsewhere = addresses(2)
    async with server(backend, limiter_backend) as application:
        async with from_address(application, guesser) as http:
            url = f"/api/invitations/{token}/accept"
            for _ in range(10):
                wrong = await http.post(url, json={"password": "a-wrong-guess"})
                assert wrong.status_code == 401
            refused = await http.post(url, json={"password": "another-guess"})
            assert refused.status_code == 429 and refused.headers["retry-after"]
            # One budget: sign-in from that address is stopped too.
            assert await sign_in(application, guesser, email, PASSWORD) == 429
        async with from_address(application, owner_elsewhere) as http:
            joined = await http.post(
                f"/api/invitations/{token}/accept", json={"password": PASSWORD}
            )
            assert joined.status_code == 200, joined.text


async def test_an_invitation_preview_says_nothing_about_accounts(
    client: httpx.AsyncClient,
) -> None:
    """Issue 13 finding 2: the preview told anyone holding the link whether the email had an
    account. Both the API and the page now look the same either way."""
    existing = await fresh_account(client)
    newcomer = f"{uuid.uuid4().hex[:12]}@example.com"
    owner = await register(client)
    previews, pages = [], []
    for email in (existing, newcomer):
        token = await invite(client, email, owner)
        preview = await client.get(f"/api/invitations/{token}")
        assert preview.status_code == 200
        previews.append({k: v for k, v in preview.json().items() if k != "workspace_name"})
        page = await client.get(f"/invite/{token}")
        form = page.text[page.text.index("<form") : page.text.index("</form>")]
        pages.append(form.replace(email, "EMAIL"))
    assert previews[0] == {**previews[1], "email": existing}
    assert set(previews[0]) == {"email", "role"}
    assert pages[0] == pages[1]  # one client, one CSRF token: the forms are identical
