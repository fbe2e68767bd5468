"""Registration, sign-in, token rotation and sign-out.

Refresh tokens rotate: each use spends the token and issues a new pair in the same family
(:class:`AuthSession`). A spent token presented again means it was copied, so the whole
family is revoked and every device holding one of its tokens must sign in again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts import throttle
from frontdesk.accounts.models import AuthSession, RefreshToken, User
from frontdesk.accounts.repository import AuthSessionRepository, UserRepository
from frontdesk.accounts.schemas import LoginIn, RegisterIn
from frontdesk.audit import service as audit
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import AuthenticationFailed, Conflict, NotAuthenticated, NotFound
from frontdesk.kit.http import RequestMeta
from frontdesk.kit.ratelimit import RateLimiter
from frontdesk.kit.security import (
    hash_opaque_token,
    hash_password,
    issue_access_token,
    new_opaque_token,
    read_access_token,
)
from frontdesk.settings import Settings
from frontdesk.workspaces import service as workspaces
from frontdesk.workspaces.models import Workspace
from frontdesk.workspaces.permissions import Role, WorkspaceContext


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User
    workspace: Workspace


async def register(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    data: RegisterIn,
    meta: RequestMeta,
) -> IssuedTokens:
    """Create the user, their workspace and the owner membership in one transaction."""
    await limiter.hit(
        settings.register_limit_per_ip,
        "register",
        meta.ip or "-",
        message="Too many sign-ups from this address. Try again later.",
    )
    users = UserRepository(session)
    if await users.by_email(data.email):
        raise Conflict(
            "An account with this email already exists.",
            code="email_taken",
            details=[{"field": "email", "message": "already registered"}],
        )
    user = users.add(
        User(
            email=data.email,
            password_hash=hash_password(data.password),
            full_name=data.full_name,
            last_login_at=utcnow(),
        )
    )
    await session.flush()
    workspace = await workspaces.create_workspace(session, data.business_name, user)
    await audit.record(
        session, workspace.id, user.id, "auth.register", meta, target=("user", user.id)
    )
    return await _start_session(session, settings, user, workspace, meta)


async def login(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    data: LoginIn,
    meta: RequestMeta,
) -> IssuedTokens:
    user = await throttle.check_password(
        session, settings, limiter, data.email, data.password, meta
    )
    if user is None:
        known = await UserRepository(session).by_email(data.email)
        if known is not None:
            home = await workspaces.home_workspace(session, known.id)
            if home is not None:
                await audit.record(session, home.id, known.id, "auth.login_failed", meta)
        raise AuthenticationFailed("Email or password is incorrect.")
    workspace = await workspaces.home_workspace(session, user.id)
    if workspace is None:
        raise AuthenticationFailed("This account is not a member of any workspace.")
    user.last_login_at = utcnow()
    await audit.record(session, workspace.id, user.id, "auth.login", meta)
    return await _start_session(session, settings, user, workspace, meta)


async def refresh(
    session: AsyncSession, settings: Settings, refresh_token: str, meta: RequestMeta
) -> IssuedTokens:
    repo = AuthSessionRepository(session)
    found = await repo.refresh_token_by_hash(hash_opaque_token(refresh_token))
    if found is None:
        raise NotAuthenticated("Unknown refresh token.", code="invalid_refresh_token")
    token, auth_session = found
    now = utcnow()
    if auth_session.revoked_at is not None:
        raise NotAuthenticated("This session has ended. Sign in again.", code="session_revoked")
    if token.used_at is not None:
        auth_session.revoked_at, auth_session.revoked_reason = now, "refresh_token_reuse"
        await audit.record(
            session,
            auth_session.workspace_id,
            auth_session.user_id,
            "auth.refresh_reuse",
            meta,
            target=("session", auth_session.id),
        )
        raise AuthenticationFailed(
            "This refresh token was already used; every session it belongs to is now signed out.",
            code="refresh_token_reused",
        )
    if token.expires_at <= now:
        raise NotAuthenticated("This refresh token has expired.", code="refresh_token_expired")
    token.used_at = now
    user = await UserRepository(session).get(auth_session.user_id)
    workspace = await session.get(Workspace, auth_session.workspace_id)
    if (
        user is None
        or workspace is None
        or not await workspaces.role_of(session, user.id, workspace.id)
    ):
        auth_session.revoked_at, auth_session.revoked_reason = now, "membership_gone"
        raise AuthenticationFailed("You are no longer a member of this workspace.")
    return await _issue(session, settings, auth_session, user, workspace)


async def logout(session: AsyncSession, ctx: WorkspaceContext) -> None:
    auth_session = await AuthSessionRepository(session).get_active(ctx.session_id, ctx.user_id)
    if auth_session is not None:
        auth_session.revoked_at, auth_session.revoked_reason = utcnow(), "logout"
    await audit.record(session, ctx.workspace_id, ctx.user_id, "auth.logout", ctx.meta)


async def switch_workspace(
    session: AsyncSession, settings: Settings, ctx: WorkspaceContext, workspace_id: uuid.UUID
) -> IssuedTokens:
    if await workspaces.role_of(session, ctx.user_id, workspace_id) is None:
        raise NotFound("No such workspace.")
    repo = AuthSessionRepository(session)
    auth_session = await repo.get_active(ctx.session_id, ctx.user_id)
    workspace = await session.get(Workspace, workspace_id)
    if auth_session is None or workspace is None:
        raise NotAuthenticated("This session has ended. Sign in again.")
    auth_session.workspace_id = workspace_id
    # The pair issued for the previous workspace is spent, exactly as a refresh would spend it.
    await repo.spend_unused_tokens(auth_session.id, utcnow())
    await audit.record(session, workspace_id, ctx.user_id, "auth.switch_workspace", ctx.meta)
    return await _issue(session, settings, auth_session, ctx.user, workspace)


async def start_session_for(
    session: AsyncSession, settings: Settings, user: User, workspace: Workspace, meta: RequestMeta
) -> IssuedTokens:
    """Sign a user in to a workspace they just joined (invitation accepted)."""
    return await _start_session(session, settings, user, workspace, meta)


async def authenticate(
    session: AsyncSession, settings: Settings, access_token: str, meta: RequestMeta
) -> WorkspaceContext:
    """Turn a bearer token into the acting context, or refuse."""
    claims = read_access_token(settings.signing_secret, access_token)
    if claims is None:
        raise NotAuthenticated("Missing, invalid or expired access token.", code="invalid_token")
    actor = await AuthSessionRepository(session).resolve_actor(
        claims.session_id, claims.user_id, claims.workspace_id
    )
    if actor is None:
        raise NotAuthenticated(
            "This session has ended, or you are no longer a member of this workspace. "
            "Sign in again.",
            code="session_ended",
        )
    user, workspace, role = actor
    return WorkspaceContext(
        user=user, workspace=workspace, role=Role(role), session_id=claims.session_id, meta=meta
    )


async def _start_session(
    session: AsyncSession, settings: Settings, user: User, workspace: Workspace, meta: RequestMeta
) -> IssuedTokens:
    auth_session = AuthSession(
        user_id=user.id, workspace_id=workspace.id, ip=meta.ip, user_agent=meta.user_agent
    )
    AuthSessionRepository(session).add(auth_session)
    await session.flush()
    return await _issue(session, settings, auth_session, user, workspace)


async def _issue(
    session: AsyncSession,
    settings: Settings,
    auth_session: AuthSession,
    user: User,
    workspace: Workspace,
) -> IssuedTokens:
    raw = new_opaque_token()
    AuthSessionRepository(session).add(
        RefreshToken(
            session_id=auth_session.id,
            token_hash=hash_opaque_token(raw),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    await session.flush()
    access = issue_access_token(
        settings.signing_secret,
        user.id,
        workspace.id,
        auth_session.id,
        settings.access_token_minutes,
    )
    return IssuedTokens(
        access_token=access,
        refresh_token=raw,
        expires_in=settings.access_token_minutes * 60,
        user=user,
        workspace=workspace,
    )
