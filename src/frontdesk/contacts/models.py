from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned


class Contact(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """A customer as the business knows them. Conversations point at their contact; the
    assistant's ``capture_lead`` tool fills the fields as the customer gives them."""

    __tablename__ = "contacts"

    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    phone: Mapped[str] = mapped_column(String(32), default="", index=True)  # E.164
    # False: a number that is not valid anywhere we could tell, kept as the customer wrote it.
    phone_verified: Mapped[bool] = mapped_column(default=True, server_default=true())
    interest: Mapped[str] = mapped_column(Text, default="")  # what they asked about
    source: Mapped[str] = mapped_column(String(32), default="portal")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
