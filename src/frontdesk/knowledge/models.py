"""Knowledge sources and their chunks.

A source is one thing the business taught the assistant: a file, pasted text, a question and
its answer, a web page (or a small site), and — kept in step automatically — the assistant's
own instructions and every custom intent's answer. Ingestion turns a source into chunks;
retrieval searches chunks by full text and by vector.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned

# Kinds the owner adds directly, and kinds the product keeps in step by itself.
OWNER_KINDS = ("file", "text", "qa", "url")
SYNCED_KINDS = ("instructions", "intent")
STATUSES = ("queued", "processing", "ready", "failed")


class KnowledgeSource(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    __tablename__ = "knowledge_sources"

    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str] = mapped_column(Text, default="")
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    # What to ingest: the text itself (text, qa, synced kinds) or where to get it.
    body: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    storage_key: Mapped[str] = mapped_column(String(300), default="")  # an uploaded file
    filename: Mapped[str] = mapped_column(String(300), default="")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)  # depth, max_pages
    # A synced source points at what it mirrors ("assistant", or a custom intent's id).
    origin: Mapped[str] = mapped_column(String(64), default="", index=True)
    public: Mapped[bool] = mapped_column(default=False)  # customers may see its URL
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent, while processing
    imported_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class KnowledgeChunk(IdMixin, WorkspaceOwned, Base):
    """One passage. ``embedding`` holds float32 bytes of the workspace's embedder; the
    full-text index (FTS5 table on SQLite, a tsvector column on PostgreSQL) is kept by the
    repository in the same transaction."""

    __tablename__ = "knowledge_chunks"

    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("knowledge_sources.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    heading: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    url: Mapped[str] = mapped_column(String(2000), default="")  # the page it came from
    embedder: Mapped[str] = mapped_column(String(40), default="")
    embedding: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    # SQLite only: the chunk's row in the FTS5 table, set by a trigger (see migration 0006).
    search_rowid: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
