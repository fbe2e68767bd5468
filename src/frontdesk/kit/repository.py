"""Repositories: every query on workspace-owned rows starts from a workspace-scoped statement.

A feature's repository subclasses :class:`WorkspaceRepository` and builds on
:meth:`WorkspaceRepository.scoped`, so forgetting the tenant filter takes effort rather than
a slip. ``tests/test_tenancy.py`` proves it for every route.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ForeignKey, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from frontdesk.kit.db import Base


class WorkspaceOwned:
    """Mixin for rows that belong to one workspace."""

    @declared_attr
    def workspace_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


M = TypeVar("M", bound=Base)


class WorkspaceRepository(Generic[M]):
    model: ClassVar[type[Any]]

    def __init__(self, session: AsyncSession, workspace_id: uuid.UUID) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def scoped(self) -> Select[M]:
        return select(self.model).where(self.model.workspace_id == self.workspace_id)

    async def get(self, object_id: uuid.UUID) -> M | None:
        result = await self.session.execute(self.scoped().where(self.model.id == object_id))
        return result.scalar_one_or_none()

    async def all(self, *order_by: Any) -> Sequence[M]:
        result = await self.session.execute(self.scoped().order_by(*order_by))
        return result.scalars().all()

    def add(self, obj: M) -> M:
        # A row added through a workspace's repository belongs to that workspace, always.
        obj.workspace_id = self.workspace_id  # type: ignore[attr-defined]
        self.session.add(obj)
        return obj

    async def delete(self, obj: M) -> None:
        await self.session.delete(obj)
