"""One event stream per connected client, shared by the WebSocket and SSE endpoints.

Subscribe first, then replay from the event log what the client missed (``after``), then pass
live events on, skipping those the replay already covered: nothing is lost in between.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from frontdesk.realtime.bus import Envelope, Hub
from frontdesk.realtime.events import EventRepository, frame
from frontdesk.services import Services


@dataclass(frozen=True)
class StreamSpec:
    workspace_id: uuid.UUID
    channel: str
    conversation_id: uuid.UUID | None  # a customer's stream covers one conversation
    accepts: Callable[[Envelope], bool]


async def event_stream(
    services: Services, spec: StreamSpec, after: int | None
) -> AsyncIterator[str]:
    hub: Hub = services.bus.hub
    subscription = hub.subscribe(spec.channel)
    try:
        last = await _last_event_id(services, spec)
        replay_from = after if after is not None else last
        async with services.unit_of_work() as uow:
            missed = await EventRepository(uow.session, spec.workspace_id).after(
                replay_from, spec.conversation_id
            )
        yield frame("ready", {"last_event_id": max([last, *(e.id for e in missed)])})
        replayed = replay_from
        for event in missed:
            replayed = event.id
            yield frame(event.type, event.data, event.id)
        async for envelope in subscription:
            if envelope.event_id is not None and envelope.event_id <= replayed:
                continue
            if spec.accepts(envelope):
                yield envelope.frame
    finally:
        hub.unsubscribe(subscription)


async def _last_event_id(services: Services, spec: StreamSpec) -> int:
    async with services.unit_of_work() as uow:
        return await EventRepository(uow.session, spec.workspace_id).last_id(spec.conversation_id)
