from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, IdMixin, TimestampMixin, utcnow
from frontdesk.kit.repository import WorkspaceOwned
from frontdesk.kit.secrets import SealedText


class AssistantProfile(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """The persona customers meet. One per workspace."""

    __tablename__ = "assistant_profiles"

    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(40))
    personality: Mapped[str] = mapped_column(String(40))
    instructions: Mapped[str] = mapped_column(Text, default="")
    greeting: Mapped[str] = mapped_column(Text, default="")
    quick_prompts: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Which engine writes replies: local (no key, no network), openai (any OpenAI-compatible
    # server) or anthropic. The key is stored sealed (kit/secrets.py), never returned.
    engine_provider: Mapped[str] = mapped_column(String(16), default="local")
    engine_base_url: Mapped[str] = mapped_column(String(300), default="")
    engine_model: Mapped[str] = mapped_column(String(120), default="")
    engine_api_key: Mapped[str] = mapped_column(SealedText, default="")


class CustomIntent(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """An intent the owner teaches the assistant: example phrases and the answer to give."""

    __tablename__ = "custom_intents"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_custom_intents_name"),)

    name: Mapped[str] = mapped_column(String(80))
    examples: Mapped[list[Any]] = mapped_column(default=list)
    answer: Mapped[str] = mapped_column(Text, default="")
    # "answer" replies with ``answer``; "handoff" passes the conversation to a person.
    action: Mapped[str] = mapped_column(String(16), default="answer")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ModelUsage(IdMixin, TimestampMixin, WorkspaceOwned, Base):
    """Tokens one call to a language model cost: what the business pays its provider for."""

    __tablename__ = "model_usage"

    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    provider: Mapped[str] = mapped_column(String(16))
    model: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(16), default="reply")  # reply, revise, summary
    input_tokens: Mapped[int] = mapped_column(default=0)
    output_tokens: Mapped[int] = mapped_column(default=0)
