"""Users and sign-in sessions are global rows, reached by their owner's id or a token hash."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts.models import AuthSession, RefreshToken, User
from frontdesk.workspaces.models import Membership, Workspace


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def by_email(self, email: str) -> User | None:
        result = await self.session.execute(select(User).where(User.email == email.lower()))
        return result.scalar_one_or_none()

    def add(self, user: User) -> User:
        self.session.add(user)
        return user


class AuthSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_active(self, session_id: uuid.UUID, user_id: uuid.UUID) -> AuthSession | None:
        result = await self.session.execute(
            select(AuthSession).where(
                AuthSession.id == session_id,
                AuthSession.user_id == user_id,
                AuthSession.revoked_at.is_(None),
            )
        )
        return result.scalar_one_or_none()

    async def signed_in_from(self, user_id: uuid.UUID, ip: str, since: datetime) -> bool:
        """Whether the user started a sign-in from this address since ``since``."""
        result = await self.session.execute(
            select(AuthSession.id)
            .where(
                AuthSession.user_id == user_id,
                AuthSession.ip == ip,
                AuthSession.created_at >= since,
            )
            .limit(1)
        )
        return result.first() is not None

    async def refresh_token_by_hash(
        self, token_hash: str
    ) -> tuple[RefreshToken, AuthSession] | None:
        result = await self.session.execute(
            select(RefreshToken, AuthSession)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .where(RefreshToken.token_hash == token_hash)
            .with_for_update(of=RefreshToken)
        )
        row = result.first()
        return (row[0], row[1]) if row else None

    async def spend_unused_tokens(self, session_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.session_id == session_id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
        )

    async def revoke_all_for_user_in(
        self, user_id: uuid.UUID, workspace_id: uuid.UUID, now: datetime, reason: str
    ) -> None:
        await self.session.execute(
            update(AuthSession)
            .where(
                AuthSession.user_id == user_id,
                AuthSession.workspace_id == workspace_id,
                AuthSession.revoked_at.is_(None),
            )
            .values(revoked_at=now, revoked_reason=reason)
        )

    async def resolve_actor(
        self, session_id: uuid.UUID, user_id: uuid.UUID, workspace_id: uuid.UUID
    ) -> tuple[User, Workspace, str] | None:
        """User, workspace and role for a live session of a current member, in one round
        trip: every authenticated request asks this."""
        result = await self.session.execute(
            _ACTOR_STATEMENT, {"sid": session_id, "uid": user_id, "wid": workspace_id}
        )
        row = result.first()
        return (row[0], row[1], row[2]) if row else None

    def add(self, obj: AuthSession | RefreshToken) -> None:
        self.session.add(obj)


# Built once: constructing this statement costs more than running it on SQLite.
_ACTOR_STATEMENT = (
    select(User, Workspace, Membership.role)
    .join(AuthSession, AuthSession.user_id == User.id)
    .join(Membership, Membership.user_id == User.id)
    .join(Workspace, Workspace.id == Membership.workspace_id)
    .where(
        AuthSession.id == bindparam("sid"),
        AuthSession.user_id == bindparam("uid"),
        AuthSession.revoked_at.is_(None),
        Membership.workspace_id == bindparam("wid"),
    )
)
