from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.kit.db import Base, TimestampMixin
from frontdesk.kit.repository import WorkspaceOwned


class ConversationEvent(TimestampMixin, WorkspaceOwned, Base):
    """A state-changing event, stored with the change it describes (an outbox).

    Its increasing id is what clients remember: reconnecting with ``after=<id>`` replays
    exactly what they missed, whichever server process they reach.
    """

    __tablename__ = "conversation_events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    type: Mapped[str] = mapped_column(String(40))
    # "all": staff and the customer; "staff": staff only (drafts, conversation settings)
    audience: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
