from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin
from frontdesk.kit.repository import WorkspaceOwned


class Workspace(IdMixin, TimestampMixin, Base):
    """A business. Its profile lives here; the assistant's persona in ``assistant``."""

    __tablename__ = "workspaces"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    occupation: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    language: Mapped[str] = mapped_column(String(16), default="en")
    country: Mapped[str] = mapped_column(String(2), default="US")
    contact_email: Mapped[str] = mapped_column(String(320), default="")
    contact_phone: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # {"mon": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}], ...}
    # A break is the gap between two intervals; a closed day has no intervals.
    business_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    setup_completed_at: Mapped[datetime | None]
    # The reply mode a new conversation starts in: auto, draft or off.
    default_ai_mode: Mapped[str] = mapped_column(String(8), default="auto")
    # Largest upload in MB; None means the server's FRONTDESK_UPLOAD_LIMIT_MB.
    upload_limit_mb: Mapped[int | None]


class Membership(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id", name="uq_memberships_workspace_user"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))


class Invitation(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "invitations"

    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
