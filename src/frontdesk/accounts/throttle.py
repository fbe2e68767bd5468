"""Password guessing is slowed down without locking the owner out.

Every endpoint that checks a password (sign-in, accepting an invitation as an existing
user) goes through :func:`check_password`, so they share one budget. Three limits apply:

- per address, every attempt (``login_limit_per_ip``): one address cannot spray accounts;
- per account *and* address, failures only (``login_limit_per_account_ip``): once spent,
  that address may not try that account again for a while, even with the right password,
  so its guessing stops there; every other address is unaffected;
- per account, failures from all addresses together (``login_limit_per_account``, a much
  higher ceiling): a guesser spreading over many addresses is stopped too, but addresses
  the account has signed in from before keep working, so the owner is not locked out.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts.models import User
from frontdesk.accounts.repository import AuthSessionRepository, UserRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import RateLimited
from frontdesk.kit.http import RequestMeta
from frontdesk.kit.ratelimit import RateLimiter
from frontdesk.kit.security import verify_password
from frontdesk.settings import Settings

TOO_MANY = "Too many sign-in attempts. Try again later."


async def check_password(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    email: str,
    password: str,
    meta: RequestMeta,
) -> User | None:
    """The user whose password this is, or None (unknown email or wrong password).

    Raises :class:`RateLimited` before any password is checked when a budget is spent."""
    email, address = email.lower(), meta.ip or "-"
    await count_attempt(settings, limiter, meta)
    await limiter.check(
        settings.login_limit_per_account_ip, "login-failures", email, address, message=TOO_MANY
    )
    user = await UserRepository(session).by_email(email)
    await _check_account_ceiling(session, settings, limiter, user, email, meta)
    # An unknown email is checked against a dummy hash: both answers take as long.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        await _count_failure(settings, limiter, email, address)
        return None
    return user


async def count_attempt(settings: Settings, limiter: RateLimiter, meta: RequestMeta) -> None:
    """Spend one unit of the address's budget (every attempt, right or wrong)."""
    await limiter.hit(settings.login_limit_per_ip, "login-ip", meta.ip or "-", message=TOO_MANY)


async def _check_account_ceiling(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    user: User | None,
    email: str,
    meta: RequestMeta,
) -> None:
    try:
        await limiter.check(
            settings.login_limit_per_account, "login-account", email, message=TOO_MANY
        )
    except RateLimited:
        if user is not None and meta.ip:
            since = utcnow() - timedelta(days=settings.refresh_token_days)
            if await AuthSessionRepository(session).signed_in_from(user.id, meta.ip, since):
                return
        raise


async def _count_failure(
    settings: Settings, limiter: RateLimiter, email: str, address: str
) -> None:
    # The request already failed with 401; a budget spent by a concurrent request meanwhile
    # must not turn that answer into a 429.
    for limit, key in (
        (settings.login_limit_per_account_ip, ("login-failures", email, address)),
        (settings.login_limit_per_account, ("login-account", email)),
    ):
        with contextlib.suppress(RateLimited):
            await limiter.hit(limit, *key)
