"""Roles, what each may do, and the typed context every service receives.

This is the one place permissions are decided: routes declare the permission they need and
services take the resulting :class:`WorkspaceContext`; nothing else compares role names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.accounts.models import User
from frontdesk.kit.errors import PermissionDenied
from frontdesk.kit.http import RequestMeta
from frontdesk.workspaces.models import Workspace


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    AGENT = "agent"
    VIEWER = "viewer"


class Permission(StrEnum):
    VIEW = "workspace:view"  # read the dashboard and the workspace's data
    RESPOND = "conversations:respond"  # talk to customers, handle their requests
    MANAGE_SETTINGS = "workspace:settings"  # profile, hours, assistant persona
    MANAGE_MEMBERS = "workspace:members"  # invite, change role, remove
    READ_AUDIT = "audit:read"
    TRANSFER_OWNERSHIP = "workspace:owner"  # grant or take the owner role


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.AGENT: frozenset({Permission.VIEW, Permission.RESPOND}),
    Role.ADMIN: frozenset(
        {
            Permission.VIEW,
            Permission.RESPOND,
            Permission.MANAGE_SETTINGS,
            Permission.MANAGE_MEMBERS,
            Permission.READ_AUDIT,
        }
    ),
    Role.OWNER: frozenset(Permission),
}


@dataclass(frozen=True)
class WorkspaceContext:
    """Who is acting, in which workspace, with which role, from where."""

    user: User
    workspace: Workspace
    role: Role
    session_id: uuid.UUID
    meta: RequestMeta

    @property
    def workspace_id(self) -> uuid.UUID:
        return self.workspace.id

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"Your role ({self.role.value}) does not allow this.",
                details={"required": permission.value},
            )
