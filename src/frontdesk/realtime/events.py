"""Recording events with the change they describe, and publishing them after commit.

State-changing events are stored (``ConversationEvent``) in the same transaction as the
change, and published once it commits; ephemeral ones (typing, presence, streamed deltas)
are published at once and never stored.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.kit.db import unit_of
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.realtime.bus import Envelope, EventBus
from frontdesk.realtime.models import ConversationEvent

STAFF, ALL = "staff", "all"


def staff_channel(workspace_id: uuid.UUID) -> str:
    return f"staff:{workspace_id}"


def conversation_channel(conversation_id: uuid.UUID) -> str:
    return f"conv:{conversation_id}"


def frame(type_: str, data: dict[str, Any], event_id: int | None = None) -> str:
    body: dict[str, Any] = {"type": type_, "data": data}
    if event_id is not None:
        body["id"] = event_id
    return json.dumps(body, default=str, separators=(",", ":"))


class EventRepository(WorkspaceRepository[ConversationEvent]):
    model = ConversationEvent

    async def after(
        self, event_id: int, conversation_id: uuid.UUID | None = None, limit: int = 500
    ) -> Sequence[ConversationEvent]:
        statement = self.scoped().where(ConversationEvent.id > event_id)
        if conversation_id is not None:
            statement = statement.where(
                ConversationEvent.conversation_id == conversation_id,
                ConversationEvent.audience == ALL,
            )
        statement = statement.order_by(ConversationEvent.id).limit(limit)
        return (await self.session.execute(statement)).scalars().all()

    async def last_id(self, conversation_id: uuid.UUID | None = None) -> int:
        statement = self.scoped().with_only_columns(func.max(ConversationEvent.id))
        if conversation_id is not None:
            statement = statement.where(
                ConversationEvent.conversation_id == conversation_id,
                ConversationEvent.audience == ALL,
            )
        return int((await self.session.execute(statement)).scalar_one() or 0)


async def last_event_id(
    session: AsyncSession, workspace_id: uuid.UUID, conversation_id: uuid.UUID | None = None
) -> int:
    return await EventRepository(session, workspace_id).last_id(conversation_id)


async def record(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    conversation_id: uuid.UUID,
    type_: str,
    data: dict[str, Any],
    audience: str,
) -> None:
    """Store the event now; publish it to staff (and the customer) after commit."""
    event = EventRepository(session, workspace_id).add(
        ConversationEvent(conversation_id=conversation_id, type=type_, audience=audience, data=data)
    )
    await session.flush()
    uow = unit_of(session)
    wire = frame(type_, data, event.id)
    envelopes = [Envelope(staff_channel(workspace_id), wire, audience, event_id=event.id)]
    if audience == ALL:
        envelopes.append(
            Envelope(conversation_channel(conversation_id), wire, audience, event_id=event.id)
        )

    async def publish() -> None:
        if uow.bus is not None:
            for envelope in envelopes:
                await uow.bus.publish(envelope)

    uow.after_commit(publish)


async def announce(
    bus: EventBus,
    workspace_id: uuid.UUID,
    conversation_id: uuid.UUID,
    type_: str,
    data: dict[str, Any],
    origin: str,
    to_customer: bool = True,
) -> None:
    """Publish an ephemeral event now (typing, presence, reply deltas): never stored."""
    wire = frame(type_, data)
    await bus.publish(Envelope(staff_channel(workspace_id), wire, ALL, origin))
    if to_customer:
        await bus.publish(Envelope(conversation_channel(conversation_id), wire, ALL, origin))
