"""Leads: a contact the business may win, with what staff do about them.

Who the person is (name, email, phone) stays on their :class:`Contact`, one row per person;
the lead holds the sales side (status, owner, follow-up, value, notes) and every value the
customer ever gave (``captured``), so a merge or a correction never loses one.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned

if TYPE_CHECKING:
    from frontdesk.contacts.models import Contact

STATUSES = ("new", "contacted", "qualified", "won", "lost")
CLOSED_STATUSES = ("won", "lost")


class Lead(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "leads"
    __table_args__ = (UniqueConstraint("contact_id", name="uq_leads_contact"),)

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    # Joined: every view of a lead shows who it is.
    contact: Mapped[Contact] = relationship(lazy="joined")
    # The conversation the lead first came from, and its channel (portal, widget, import,
    # manual for one staff typed in).
    source_conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(16), default="portal", index=True)
    interest: Mapped[str] = mapped_column(Text, default="")
    # Every distinct value given per field, oldest first: {"email": [...], "phone": [...]}.
    captured: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    # Money in cents: exact on both databases (SQLite has no decimal type).
    value_cents: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)


class LeadSettings(IdMixin, WorkspaceOwned, Base):
    """The workspace's lead preferences: for now, whether the owner wants the daily report."""

    __tablename__ = "lead_settings"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_lead_settings_workspace"),)

    daily_report: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LeadReport(IdMixin, WorkspaceOwned, Base):
    """One day's report of one workspace: the row that makes it go out once.

    A job claims the day by inserting it (the unique key lets one claim win), sends, then
    marks it sent; a claim left ``sending`` by a job that died is taken over after a while.
    """

    __tablename__ = "lead_reports"
    __table_args__ = (UniqueConstraint("workspace_id", "day", name="uq_lead_reports_day"),)

    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="sending")  # sending, sent, empty
    leads: Mapped[int] = mapped_column(default=0)
    recipients: Mapped[str] = mapped_column(Text, default="")
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
