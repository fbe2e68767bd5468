"""What the public may see of a workspace, reached by its slug."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import service as assistant
from frontdesk.assistant.models import AssistantProfile
from frontdesk.kit.errors import NotFound
from frontdesk.portal.links import PortalLinks, portal_links
from frontdesk.settings import Settings
from frontdesk.workspaces.models import Workspace
from frontdesk.workspaces.permissions import Permission, WorkspaceContext
from frontdesk.workspaces.repository import WorkspaceDirectory


@dataclass(frozen=True)
class PublicPortal:
    workspace: Workspace
    assistant: AssistantProfile


async def public_portal(session: AsyncSession, slug: str) -> PublicPortal:
    workspace = await WorkspaceDirectory(session).by_slug(slug)
    if workspace is None:
        raise NotFound("There is no business at this address.", code="portal_not_found")
    return PublicPortal(workspace, await assistant.get_for_workspace(session, workspace.id))


async def public_link(session: AsyncSession, settings: Settings, base_url: str, slug: str) -> str:
    """The portal URL a QR code encodes; refuses slugs that name no workspace."""
    portal = await public_portal(session, slug)
    return portal_links(settings, base_url, portal.workspace.slug).url


def links_for(ctx: WorkspaceContext, settings: Settings) -> PortalLinks:
    ctx.require(Permission.VIEW)
    return portal_links(settings, ctx.meta.base_url, ctx.workspace.slug)
