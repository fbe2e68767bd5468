"""Users and sign-in sessions are global rows, reached by their owner's id or a token hash."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts.models import AuthSession, RefreshToken, User


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

    def add(self, obj: AuthSession | RefreshToken) -> None:
        self.session.add(obj)
