"""The staff side: services, booking rules and bookings, each behind a permission.

Reading needs VIEW; booking, moving and cancelling need RESPOND (agents handle customers);
services and booking rules are settings (MANAGE_SETTINGS). Bookings go through the same
functions the assistant uses (``appointments/service.py``), without the notice and horizon
(staff may book a walk-in now).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments import events, guard, notices, service
from frontdesk.appointments.errors import SlotTaken
from frontdesk.appointments.models import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_MIN_NOTICE_MINUTES,
    DEFAULT_REMINDER_HOURS,
    DEFAULT_SLOT_STEP_MINUTES,
    Appointment,
    BookingSettings,
    Service,
)
from frontdesk.appointments.repository import (
    AppointmentRepository,
    MemberIds,
    ServiceRepository,
    SettingsRepository,
)
from frontdesk.appointments.schemas import (
    AppointmentIn,
    AppointmentPatch,
    BookingSettingsIO,
    ServiceIn,
    ServicePatch,
)
from frontdesk.audit import service as audit
from frontdesk.contacts.repository import ContactRepository
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import InvalidInput, NotFound
from frontdesk.workspaces.permissions import Permission, WorkspaceContext


def _actor(ctx: WorkspaceContext) -> service.Actor:
    return service.Actor(user_id=ctx.user_id, meta=ctx.meta, enforce_notice=False, source="staff")


async def _check_staff(
    ctx: WorkspaceContext, session: AsyncSession, ids: Sequence[uuid.UUID]
) -> list[str]:
    unique = list(dict.fromkeys(ids))
    known = await MemberIds(session, ctx.workspace_id).existing(unique)
    if len(known) != len(unique):
        raise InvalidInput("staff_ids", "Every staff member must be a member of this workspace.")
    return [str(staff) for staff in unique]


async def list_services(session: AsyncSession, ctx: WorkspaceContext) -> Sequence[Service]:
    ctx.require(Permission.VIEW)
    return await ServiceRepository(session, ctx.workspace_id).listed()


async def create_service(session: AsyncSession, ctx: WorkspaceContext, body: ServiceIn) -> Service:
    ctx.require(Permission.MANAGE_SETTINGS)
    created = ServiceRepository(session, ctx.workspace_id).add(
        Service(
            name=body.name.strip(),
            description=body.description.strip(),
            duration_minutes=body.duration_minutes,
            buffer_before_minutes=body.buffer_before_minutes,
            buffer_after_minutes=body.buffer_after_minutes,
            price_cents=round(body.price * 100) if body.price is not None else None,
            active=body.active,
            staff_ids=await _check_staff(ctx, session, body.staff_ids),
        )
    )
    await session.flush()
    await audit.record_by(session, ctx, "service.created", target=("service", created.id))
    return created


async def _service(session: AsyncSession, ctx: WorkspaceContext, service_id: uuid.UUID) -> Service:
    found = await ServiceRepository(session, ctx.workspace_id).live(service_id)
    if found is None:
        raise NotFound("No such service in this workspace.")
    return found


async def update_service(
    session: AsyncSession, ctx: WorkspaceContext, service_id: uuid.UUID, body: ServicePatch
) -> Service:
    ctx.require(Permission.MANAGE_SETTINGS)
    found = await _service(session, ctx, service_id)
    given = body.model_dump(exclude_unset=True)
    if "staff_ids" in given:
        found.staff_ids = await _check_staff(ctx, session, body.staff_ids or [])
    if "price" in given:
        found.price_cents = round(body.price * 100) if body.price is not None else None
    for name in ("duration_minutes", "buffer_before_minutes", "buffer_after_minutes", "active"):
        if name in given:
            setattr(found, name, given[name])
    for name in ("name", "description"):
        if name in given:
            setattr(found, name, given[name].strip())
    await session.flush()
    await audit.record_by(
        session,
        ctx,
        "service.updated",
        target=("service", found.id),
        details={"fields": sorted(given)},
    )
    return found


async def delete_service(
    session: AsyncSession, ctx: WorkspaceContext, service_id: uuid.UUID
) -> None:
    """Gone from every list; kept as a row while bookings still name it."""
    ctx.require(Permission.MANAGE_SETTINGS)
    found = await _service(session, ctx, service_id)
    repository = AppointmentRepository(session, ctx.workspace_id)
    if await repository.page(1, 0, service_id=found.id):
        found.deleted_at, found.active = utcnow(), False
    else:
        await ServiceRepository(session, ctx.workspace_id).delete(found)
    await session.flush()
    await audit.record_by(session, ctx, "service.deleted", target=("service", service_id))


async def availability(
    session: AsyncSession,
    ctx: WorkspaceContext,
    service_id: uuid.UUID,
    first_day: Any,
    days: int,
    staff_id: uuid.UUID | None,
) -> list[service.Slot]:
    ctx.require(Permission.VIEW)
    return await service.find_slots(
        session, ctx.workspace_id, service_id, first_day, days, staff_id
    )


async def list_appointments(
    session: AsyncSession, ctx: WorkspaceContext, limit: int, offset: int, **filters: Any
) -> Sequence[Appointment]:
    ctx.require(Permission.VIEW)
    return await AppointmentRepository(session, ctx.workspace_id).page(limit, offset, **filters)


async def get_appointment(
    session: AsyncSession, ctx: WorkspaceContext, appointment_id: uuid.UUID
) -> Appointment:
    ctx.require(Permission.VIEW)
    return await service.booking(session, ctx.workspace_id, appointment_id)


async def _check_links(session: AsyncSession, ctx: WorkspaceContext, body: AppointmentIn) -> None:
    if body.contact_id and not await ContactRepository(session, ctx.workspace_id).get(
        body.contact_id
    ):
        raise InvalidInput("contact_id", "No such contact in this workspace.")
    if body.conversation_id and not await ConversationRepository(session, ctx.workspace_id).get(
        body.conversation_id
    ):
        raise InvalidInput("conversation_id", "No such conversation in this workspace.")


async def create_appointment(
    session: AsyncSession, ctx: WorkspaceContext, body: AppointmentIn
) -> Appointment:
    ctx.require(Permission.RESPOND)
    await _check_links(session, ctx, body)
    request = service.BookingRequest(
        service_id=body.service_id,
        start=body.start,
        staff_id=body.staff_id,
        contact_id=body.contact_id,
        conversation_id=body.conversation_id,
        customer_name=body.customer_name,
        customer_email=body.customer_email,
        customer_phone=body.customer_phone,
        notes=body.notes,
    )
    return await service.book(session, ctx.workspace_id, request, actor=_actor(ctx))


async def update_appointment(
    session: AsyncSession, ctx: WorkspaceContext, appointment_id: uuid.UUID, body: AppointmentPatch
) -> Appointment:
    """Details first, then a move, then a status change; each step checked on its own."""
    ctx.require(Permission.RESPOND)
    appointment = await service.booking(session, ctx.workspace_id, appointment_id)
    given = body.model_dump(exclude_unset=True)
    details = {k: v for k, v in given.items() if k.startswith("customer_") or k == "notes"}
    for name, value in details.items():
        setattr(appointment, name, value.strip().lower() if name == "customer_email" else value)
    if details:
        await session.flush()
        await events.changed(
            session,
            appointment,
            "updated",
            ctx.workspace.timezone,
            actor_user_id=ctx.user_id,
            meta=ctx.meta,
            details={"fields": sorted(details)},
        )
    if "start" in given or "staff_id" in given:
        new_start: datetime = body.start or appointment.start
        appointment = await service.reschedule(
            session,
            ctx.workspace_id,
            appointment.id,
            new_start,
            staff_id=body.staff_id,
            actor=_actor(ctx),
        )
    if body.status is not None and body.status != appointment.status:
        appointment = await _set_status(session, ctx, appointment, body.status)
    return appointment


async def _set_status(
    session: AsyncSession, ctx: WorkspaceContext, appointment: Appointment, status: str
) -> Appointment:
    if status == "cancelled":
        return await service.cancel(session, ctx.workspace_id, appointment.id, actor=_actor(ctx))
    if appointment.status == "cancelled":
        # Back from cancelled: its time may have been taken since.
        def rebook() -> None:
            appointment.status = status

        if not await guard.update(session, appointment, rebook):
            raise SlotTaken("That time has been booked since this appointment was cancelled.")
        if status == "booked":  # on again: the customer's calendar gets it back
            appointment.sequence += 1
            appointment.reminder_sent_at = None
            await session.flush()
            await notices.owe(
                session, appointment, "confirmed", post_in_chat=True, base_url=ctx.meta.base_url
            )
    else:
        appointment.status = status
        await session.flush()
    await events.changed(
        session,
        appointment,
        "updated",
        ctx.workspace.timezone,
        actor_user_id=ctx.user_id,
        meta=ctx.meta,
        details={"status": status},
    )
    return appointment


async def cancel_appointment(
    session: AsyncSession, ctx: WorkspaceContext, appointment_id: uuid.UUID
) -> Appointment:
    ctx.require(Permission.RESPOND)
    return await service.cancel(session, ctx.workspace_id, appointment_id, actor=_actor(ctx))


def settings_view(row: BookingSettings | None) -> BookingSettingsIO:
    if row is None:
        return BookingSettingsIO(
            min_notice_minutes=DEFAULT_MIN_NOTICE_MINUTES,
            horizon_days=DEFAULT_HORIZON_DAYS,
            slot_step_minutes=DEFAULT_SLOT_STEP_MINUTES,
            reminder_hours=DEFAULT_REMINDER_HOURS,
        )
    return BookingSettingsIO.model_validate(row, from_attributes=True)


async def get_settings(session: AsyncSession, ctx: WorkspaceContext) -> BookingSettingsIO:
    ctx.require(Permission.VIEW)
    return settings_view(await SettingsRepository(session, ctx.workspace_id).current())


async def put_settings(
    session: AsyncSession, ctx: WorkspaceContext, body: BookingSettingsIO
) -> BookingSettingsIO:
    ctx.require(Permission.MANAGE_SETTINGS)
    repository = SettingsRepository(session, ctx.workspace_id)
    row = await repository.current() or repository.add(BookingSettings())
    for name, value in body.model_dump().items():
        setattr(row, name, value)
    await session.flush()
    await audit.record_by(session, ctx, "booking_settings.updated", details=body.model_dump())
    return settings_view(row)
