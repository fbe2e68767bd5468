from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts.models import User
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.workspaces.models import Invitation, Membership, Workspace


class WorkspaceDirectory:
    """Lookups across workspaces that are public by nature: slugs, and a user's own list."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_slug(self, slug: str) -> Workspace | None:
        result = await self.session.execute(select(Workspace).where(Workspace.slug == slug))
        return result.scalar_one_or_none()

    async def slug_taken(self, slug: str) -> bool:
        return await self.by_slug(slug) is not None

    async def memberships_of(self, user_id: uuid.UUID) -> Sequence[tuple[Workspace, str]]:
        result = await self.session.execute(
            select(Workspace, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, Workspace.name)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def role_of(self, user_id: uuid.UUID, workspace_id: uuid.UUID) -> str | None:
        result = await self.session.execute(
            select(Membership.role).where(
                Membership.user_id == user_id, Membership.workspace_id == workspace_id
            )
        )
        return result.scalar_one_or_none()


class MembershipRepository(WorkspaceRepository[Membership]):
    model = Membership

    async def with_users(self) -> Sequence[tuple[Membership, User]]:
        result = await self.session.execute(
            self.scoped()
            .add_columns(User)
            .join(User, User.id == Membership.user_id)
            .order_by(Membership.created_at)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def by_user(self, user_id: uuid.UUID) -> Membership | None:
        result = await self.session.execute(self.scoped().where(Membership.user_id == user_id))
        return result.scalar_one_or_none()

    async def count_role(self, role: str) -> int:
        statement = (
            self.scoped()
            .where(Membership.role == role)
            .with_only_columns(func.count(Membership.id))
        )
        return int((await self.session.execute(statement)).scalar_one())


class InvitationRepository(WorkspaceRepository[Invitation]):
    model = Invitation

    async def pending(self) -> Sequence[Invitation]:
        result = await self.session.execute(
            self.scoped()
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.created_at.desc())
        )
        return result.scalars().all()


class InvitationTokens:
    """Invitation tokens are global secrets: the token alone names its workspace."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_hash(self, token_hash: str) -> tuple[Invitation, Workspace] | None:
        result = await self.session.execute(
            select(Invitation, Workspace)
            .join(Workspace, Workspace.id == Invitation.workspace_id)
            .where(Invitation.token_hash == token_hash)
        )
        row = result.first()
        return (row[0], row[1]) if row else None
