"""Imports every feature's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from frontdesk.accounts.models import AuthSession, RefreshToken, User
from frontdesk.assistant.models import AssistantProfile, CustomIntent, ModelUsage
from frontdesk.attachments.models import Attachment
from frontdesk.audit.models import AuditEvent
from frontdesk.contacts.models import Contact
from frontdesk.conversations.models import Conversation, Message
from frontdesk.kit.db import Base
from frontdesk.knowledge.models import KnowledgeChunk, KnowledgeSource
from frontdesk.realtime.models import ConversationEvent
from frontdesk.workspaces.models import Invitation, Membership, Workspace

__all__ = [
    "AssistantProfile",
    "Attachment",
    "AuditEvent",
    "AuthSession",
    "Base",
    "Contact",
    "Conversation",
    "ConversationEvent",
    "CustomIntent",
    "Invitation",
    "KnowledgeChunk",
    "KnowledgeSource",
    "Membership",
    "Message",
    "ModelUsage",
    "RefreshToken",
    "User",
    "Workspace",
]
