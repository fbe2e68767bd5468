from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin
from frontdesk.kit.repository import WorkspaceOwned


class Attachment(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """An uploaded file. Stored under a random key; ``filename`` is for display only."""

    __tablename__ = "attachments"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # Unset until the upload is attached to a message; unattached uploads expire.
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The file's URL carries this random key: knowing an attachment's id is not enough.
    access_key: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # image, pdf, document, audio
    size: Mapped[int] = mapped_column(Integer)
    transcript: Mapped[str] = mapped_column(Text, default="")
    # none (not audio), pending, done, failed
    transcript_status: Mapped[str] = mapped_column(String(8), default="none")
