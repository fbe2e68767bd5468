"""Creating workspaces, reading and changing the business profile."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts.models import User
from frontdesk.assistant import service as assistant
from frontdesk.audit import service as audit
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import InvalidInput
from frontdesk.workspaces.hours import default_hours
from frontdesk.workspaces.models import Membership, Workspace
from frontdesk.workspaces.permissions import Permission, Role, WorkspaceContext
from frontdesk.workspaces.repository import MembershipRepository, WorkspaceDirectory
from frontdesk.workspaces.schemas import WorkspaceUpdate

SLUG_MAX = 48
_REQUIRED_FIELDS = {"name", "timezone", "language", "country", "business_hours", "default_ai_mode"}
_NULLABLE_FIELDS = {"upload_limit_mb"}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "business"


async def unique_slug(session: AsyncSession, name: str) -> str:
    directory = WorkspaceDirectory(session)
    base = slugify(name)
    if not await directory.slug_taken(base):
        return base
    for number in range(2, 10):
        candidate = f"{base[: SLUG_MAX - 3]}-{number}"
        if not await directory.slug_taken(candidate):
            return candidate
    return f"{base[: SLUG_MAX - 7]}-{secrets.token_hex(3)}"


async def create_workspace(session: AsyncSession, business_name: str, owner: User) -> Workspace:
    """A workspace with its owner, default hours and a default assistant persona."""
    workspace = Workspace(
        name=business_name,
        slug=await unique_slug(session, business_name),
        owner_name=owner.full_name,
        business_hours=default_hours(),
    )
    session.add(workspace)
    await session.flush()
    MembershipRepository(session, workspace.id).add(
        Membership(user_id=owner.id, role=Role.OWNER.value)
    )
    await assistant.create_default(session, workspace)
    return workspace


async def home_workspace(session: AsyncSession, user_id: uuid.UUID) -> Workspace | None:
    memberships = await WorkspaceDirectory(session).memberships_of(user_id)
    return memberships[0][0] if memberships else None


async def role_of(session: AsyncSession, user_id: uuid.UUID, workspace_id: uuid.UUID) -> str | None:
    return await WorkspaceDirectory(session).role_of(user_id, workspace_id)


async def memberships_of(
    session: AsyncSession, user_id: uuid.UUID
) -> Sequence[tuple[Workspace, str]]:
    return await WorkspaceDirectory(session).memberships_of(user_id)


async def update_profile(
    session: AsyncSession, ctx: WorkspaceContext, data: WorkspaceUpdate
) -> Workspace:
    ctx.require(Permission.MANAGE_SETTINGS)
    workspace = ctx.workspace
    changes = data.model_dump(exclude_unset=True)
    if changes.pop("setup_completed", None):
        workspace.setup_completed_at = workspace.setup_completed_at or utcnow()
        changes["setup_completed"] = True
    for field, value in changes.items():
        if field == "setup_completed":
            continue
        if value is None and field in _REQUIRED_FIELDS:
            raise InvalidInput(field, "cannot be empty")
        setattr(workspace, field, "" if value is None and field not in _NULLABLE_FIELDS else value)
    await audit.record_by(
        session,
        ctx,
        "workspace.updated",
        target=("workspace", workspace.id),
        details={"fields": sorted(changes)},
    )
    await session.flush()
    return workspace
