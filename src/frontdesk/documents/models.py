"""Customer documents: a file a customer sent in the chat, what was read from it, and staff's
review."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned

KINDS = ("payment_proof", "other")
STATUSES = ("pending", "approved", "rejected")


class Document(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_workspace_status", "workspace_id", "status"),)

    # One document per uploaded file: the reading job may run twice, the row stays one.
    attachment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), unique=True
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="payment_proof")
    # The customer's own words about the file ("payment for invoice INV-2041").
    customer_note: Mapped[str] = mapped_column(Text, default="")
    # What the customer said it pays for: kind (invoice, ticket, lead, order) and reference.
    linked_kind: Mapped[str] = mapped_column(String(16), default="")
    linked_reference: Mapped[str] = mapped_column(String(100), default="")
    # Reading the file: pending, done, failed; how it was read (pdf_text, pdf_ocr, image_ocr).
    read_status: Mapped[str] = mapped_column(String(8), default="pending")
    read_method: Mapped[str] = mapped_column(String(16), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # amount, currency, date, payer, reference (see documents/receipts.py), confidence.
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
