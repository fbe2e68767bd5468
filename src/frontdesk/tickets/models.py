"""Tickets: a customer's problem, triaged, assigned and followed until the customer confirms
it is fixed (or staff reject it). Every change is an entry in the ticket's history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned

if TYPE_CHECKING:
    from frontdesk.contacts.models import Contact

CATEGORIES = (
    "billing_payment",
    "technical",
    "account",
    "general_inquiry",
    "complaint",
    "feature_request",
)
PRIORITIES = ("urgent", "high", "medium", "low")
STATUSES = ("pending", "in_progress", "fixed", "confirmed", "rejected")
OPEN_STATUSES = ("pending", "in_progress", "fixed")  # the customer's messages still join it
RESOLVED_STATUSES = ("confirmed", "rejected")
# Hours from opening to due, by priority; a workspace may set its own (TicketSettings).
DEFAULT_DUE_HOURS: dict[str, int] = {"urgent": 0, "high": 24, "medium": 48, "low": 168}


class Ticket(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("workspace_id", "number", name="uq_tickets_number"),)

    number: Mapped[int] = mapped_column(Integer)  # shown as T-<number>, per workspace
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # Joined, as on conversations: every view of a ticket shows its contact. Assign
    # ``ticket.contact``, not ``contact_id``.
    contact: Mapped[Contact | None] = relationship(lazy="joined")
    subject: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(24), index=True)
    priority: Mapped[str] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    # For staff: what happened, what the customer wants, what was tried, attachments.
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    triage: Mapped[dict[str, Any]] = mapped_column(default=dict)  # why this category/priority
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None]
    # Set by the overdue job once it has told staff, so running it twice tells them once.
    overdue_notified_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def reference(self) -> str:
        return f"T-{self.number}"

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.status in ("pending", "in_progress") and self.due_at < (now or utcnow())


class TicketEntry(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """One line of a ticket's history: a change (who, what, from, to), an internal note, or
    a customer message that joined the ticket."""

    __tablename__ = "ticket_entries"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # opened, change, note, message
    # staff, assistant, customer, system
    actor_type: Mapped[str] = mapped_column(String(16), default="staff")
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    field: Mapped[str] = mapped_column(String(32), default="")
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )


class TicketSettings(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """A workspace's own due times (hours by priority); without a row the defaults hold."""

    __tablename__ = "ticket_settings"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_ticket_settings_workspace"),)

    due_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
