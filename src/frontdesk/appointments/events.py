"""What a change to a booking leaves behind: an audit entry and a staff event.

Events go through the realtime outbox (``realtime/events.py``): stored with the change,
published to ``staff:{workspace}`` after commit, replayed to a staff socket that missed
them. They are for staff only; the event log keys events by conversation, so a booking
made outside any conversation is filed under the nil id.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments.availability import zone_of
from frontdesk.appointments.models import Appointment
from frontdesk.audit import service as audit
from frontdesk.calendars import outbox as calendar_outbox
from frontdesk.kit.http import RequestMeta
from frontdesk.realtime import events
from frontdesk.realtime.events import STAFF

NO_CONVERSATION = uuid.UUID(int=0)


def appointment_data(appointment: Appointment, timezone: str) -> dict[str, Any]:
    zone = zone_of(timezone)
    return {
        "id": str(appointment.id),
        "service_id": str(appointment.service_id),
        "staff_id": str(appointment.staff_id) if appointment.staff_id else None,
        "contact_id": str(appointment.contact_id) if appointment.contact_id else None,
        "conversation_id": (
            str(appointment.conversation_id) if appointment.conversation_id else None
        ),
        "start": appointment.start.astimezone(zone).isoformat(),
        "end": appointment.end.astimezone(zone).isoformat(),
        "status": appointment.status,
        "customer_name": appointment.customer_name,
    }


async def changed(
    session: AsyncSession,
    appointment: Appointment,
    action: str,
    timezone: str,
    *,
    actor_user_id: uuid.UUID | None = None,
    meta: RequestMeta | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """``action``: created, moved, cancelled or updated (status, notes, customer details)."""
    data = appointment_data(appointment, timezone)
    await audit.record(
        session,
        appointment.workspace_id,
        actor_user_id,
        f"appointment.{action}",
        meta,
        target=("appointment", appointment.id),
        details={"start": data["start"], "status": appointment.status, **(details or {})},
    )
    await events.record(
        session,
        appointment.workspace_id,
        appointment.conversation_id or NO_CONVERSATION,
        f"appointment:{action}",
        data,
        STAFF,
    )
    # Every change passes here: the connected calendar is owed the booking's new state.
    await calendar_outbox.owed(session, appointment)
