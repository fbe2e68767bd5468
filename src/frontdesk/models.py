"""Imports every feature's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from frontdesk.accounts.models import AuthSession, RefreshToken, User
from frontdesk.assistant.models import AssistantProfile
from frontdesk.audit.models import AuditEvent
from frontdesk.kit.db import Base
from frontdesk.workspaces.models import Invitation, Membership, Workspace

__all__ = [
    "AssistantProfile",
    "AuditEvent",
    "AuthSession",
    "Base",
    "Invitation",
    "Membership",
    "RefreshToken",
    "User",
    "Workspace",
]
