"""Tables of calendar sync: a workspace's connected calendar, and what each booking owes it.

The sync state lives beside the appointment (one row per booking) rather than on it, so a
booking is written the same whether or not a calendar is connected, and a calendar that is
down never holds a booking's row.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned
from frontdesk.kit.secrets import SealedText

KINDS = ("caldav", "google")
#: pending: owed (new, changed, or waiting for a retry); synced; failed: retrying cannot
#: help until someone acts (a refused password, a revoked grant) or retries ran out.
SYNC_STATUSES = ("pending", "synced", "failed")


class CalendarConnection(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """The workspace's calendar. ``secret`` is sealed: the CalDAV password, or Google's
    tokens as JSON. ``status`` connecting: a Google consent was started and has not come
    back; connected; error: the last sync could not reach or use it (``last_error``)."""

    __tablename__ = "calendar_connections"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_calendar_connections_workspace"),)

    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="connected")
    url: Mapped[str] = mapped_column(String(2000), default="")
    username: Mapped[str] = mapped_column(String(200), default="")
    calendar_id: Mapped[str] = mapped_column(String(320), default="primary")
    meet_links: Mapped[bool] = mapped_column(default=False, server_default=false())
    secret: Mapped[str] = mapped_column(SealedText, default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    # A Google consent in flight: the hash of the state it carries (single use, expiring).
    oauth_state_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    oauth_expires_at: Mapped[datetime | None]
    connected_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AppointmentSync(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """What one booking owes the connected calendar, and how the last try went."""

    __tablename__ = "appointment_calendar_syncs"

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    remote_id: Mapped[str] = mapped_column(String(1024), default="")
    meet_link: Mapped[str] = mapped_column(String(500), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    # Bumped by every change of the booking: a run that read an older version leaves the
    # row pending, so the newest state is what the calendar ends with.
    version: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    synced_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
