"""Tables of appointments: what can be booked, when people work, and the bookings.

Staff are workspace members, named by their membership id (``Membership.id``, the ``id`` of
``/api/workspace/members``), so a staff reference never leaves its workspace.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned

STATUSES = ("booked", "cancelled", "no_show", "completed")
#: Statuses that hold their time: a cancelled booking frees it, the others never do.
HOLDING = ("booked", "no_show", "completed")
#: Name of the PostgreSQL exclusion constraint no two holding bookings of one resource pass.
NO_OVERLAP = "ex_appointments_no_overlap"

#: The longest blocked span a booking can have: a 720-minute service with 480 minutes of
#: buffer on each side (the caps of appointments.schemas). Busy-time reads rely on it to bound
#: ``blocked_start`` from below; ``service._times`` refuses anything longer.
MAX_BLOCKED_MINUTES = 720 + 2 * 480

DEFAULT_MIN_NOTICE_MINUTES = 120
DEFAULT_HORIZON_DAYS = 60
DEFAULT_SLOT_STEP_MINUTES = 15
DEFAULT_REMINDER_HOURS = 24


class BookingSettings(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """A workspace's booking rules; a workspace without a row uses the defaults above."""

    __tablename__ = "booking_settings"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_booking_settings_workspace"),)

    min_notice_minutes: Mapped[int] = mapped_column(default=DEFAULT_MIN_NOTICE_MINUTES)
    horizon_days: Mapped[int] = mapped_column(default=DEFAULT_HORIZON_DAYS)
    slot_step_minutes: Mapped[int] = mapped_column(default=DEFAULT_SLOT_STEP_MINUTES)
    reminder_hours: Mapped[int] = mapped_column(default=DEFAULT_REMINDER_HOURS)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Service(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """Something a customer can book. ``staff_ids`` empty: the business is one resource
    (no staff assignment), booked by one customer at a time."""

    __tablename__ = "services"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int]
    buffer_before_minutes: Mapped[int] = mapped_column(default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(default=0)
    price_cents: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Deleted while bookings still point at it: kept for them, gone from every list.
    deleted_at: Mapped[datetime | None]
    staff_ids: Mapped[list[Any]] = mapped_column(default=list)  # membership ids, as text
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StaffSchedule(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """A staff member's weekly hours, shaped like ``Workspace.business_hours``; bookable time
    is where they overlap the business's hours. No row: the business's hours."""

    __tablename__ = "staff_schedules"

    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), unique=True
    )
    hours: Mapped[dict[str, Any]] = mapped_column(default=dict)


class TimeOff(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "staff_time_off"

    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[datetime]
    end: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")


class Closure(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """Whole local days the business is closed (a holiday, a refurbishment), both inclusive."""

    __tablename__ = "closures"

    first_day: Mapped[date]
    last_day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")


class Appointment(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """A booking. ``start``/``end`` are the appointment itself; ``blocked_start``/``blocked_end``
    add the service's buffers and are what may never overlap another holding booking of the
    same ``resource_id`` (the staff member, or the workspace when there is no staff)."""

    __tablename__ = "appointments"
    __allow_unmapped__ = True  # for ``manage_token``, a plain attribute
    __table_args__ = (
        # Covers slot search's busy-time query (AppointmentRepository.busy): no row lookups.
        Index(
            "ix_appointments_busy",
            "workspace_id",
            "resource_id",
            "blocked_start",
            "blocked_end",
            "status",
        ),
        Index("ix_appointments_workspace_start", "workspace_id", "start"),
    )

    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("services.id", ondelete="RESTRICT"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    resource_id: Mapped[uuid.UUID]
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    start: Mapped[datetime]
    end: Mapped[datetime]
    blocked_start: Mapped[datetime]
    blocked_end: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="booked")
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str] = mapped_column(String(320), default="", index=True)
    customer_phone: Mapped[str] = mapped_column(String(32), default="", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reminder_sent_at: Mapped[datetime | None]
    # Raised on every move and on the cancellation: the invite's SEQUENCE (calendars apply
    # the newest) and the key of the mail each change owes the customer.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    #: The manage link's token in clear, set only on the object that created it (never stored).
    manage_token: str | None = None


class AppointmentNotice(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """A message owed to the customer about one change of a booking (``kind`` booked, moved,
    cancelled or reminder, at the booking's ``sequence``): the row is the job's claim, so a
    job run twice sends once. ``link_token_hash`` is the manage link that mail carried (each
    mail gets its own token; only its hash is kept, like the booking's own)."""

    __tablename__ = "appointment_notices"
    __table_args__ = (
        UniqueConstraint("appointment_id", "kind", "sequence", name="uq_appointment_notices_once"),
    )

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="sending")  # sent, skipped, failed
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    mailed_to: Mapped[str] = mapped_column(String(320), default="")
    chat_message_id: Mapped[uuid.UUID | None]
    link_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class CalendarFeed(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """A private ICS feed: the workspace's (``membership_id`` empty) or one staff member's.
    The URL's token is stored hashed; rotating replaces it, so the old URL stops at once."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        UniqueConstraint("workspace_id", "membership_id", name="uq_calendar_feeds_owner"),
    )

    membership_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rotated_at: Mapped[datetime] = mapped_column(default=utcnow)
