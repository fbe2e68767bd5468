from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned

if TYPE_CHECKING:
    from frontdesk.contacts.models import Contact


class Conversation(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """One customer's thread with the business, reached with a session token."""

    __tablename__ = "conversations"

    session_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str] = mapped_column(String(320), default="")
    channel: Mapped[str] = mapped_column(String(16), default="portal")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    ai_mode: Mapped[str] = mapped_column(String(8), default="auto")
    # A person has taken over: the assistant stays silent until handed back.
    ai_paused: Mapped[bool] = mapped_column(default=False)
    needs_human: Mapped[bool] = mapped_column(default=False)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    client_description: Mapped[str] = mapped_column(Text, default="")
    instructions: Mapped[str] = mapped_column(Text, default="")
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    staff_read_at: Mapped[datetime | None]
    customer_read_at: Mapped[datetime | None]  # up to which message the customer has read
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # Joined: every view of a conversation shows its contact, so load it in the same query.
    # Assign ``conversation.contact``, not ``contact_id``, to keep the two in step.
    contact: Mapped[Contact | None] = relationship(lazy="joined")
    # The assistant's memory of this conversation (goal, slots, what it asked last); see
    # assistant/dialogue.py. Plain JSON so any engine, in any process, can pick it up.
    dialogue_state: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Message(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "client_id", name="uq_messages_conversation_client"),
    )

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    sender_type: Mapped[str] = mapped_column(String(16))
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    sender_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="sent")
    client_id: Mapped[str | None] = mapped_column(String(64))
    edited_at: Mapped[datetime | None]
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
