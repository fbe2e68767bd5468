"""Imports every feature's models so that ``Base.metadata`` is complete (Alembic, tests).

A feature whose classes are not listed one by one is imported as a module: its tables
register on import."""

from frontdesk.accounts.models import AuthSession, RefreshToken, User
from frontdesk.appointments import models as appointment_models
from frontdesk.assistant.models import AssistantProfile, CustomIntent, ModelUsage
from frontdesk.attachments.models import Attachment
from frontdesk.audit.models import AuditEvent
from frontdesk.calendars import models as calendar_models
from frontdesk.contacts.models import Contact
from frontdesk.conversations.models import Conversation, Message
from frontdesk.documents import models as document_models
from frontdesk.kit.db import Base
from frontdesk.knowledge.models import KnowledgeChunk, KnowledgeSource
from frontdesk.leads import models as lead_models
from frontdesk.realtime.models import ConversationEvent
from frontdesk.tickets import models as ticket_models
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
    "appointment_models",
    "calendar_models",
    "document_models",
    "lead_models",
    "ticket_models",
]
