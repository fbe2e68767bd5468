"""HTTP endpoints of appointments: services, availability, bookings, booking rules."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query, Response

from frontdesk.appointments import manage
from frontdesk.appointments.schemas import (
    AppointmentIn,
    AppointmentOut,
    AppointmentPage,
    AppointmentPatch,
    Availability,
    BookingSettingsIO,
    IsoDate,
    ServiceIn,
    ServiceList,
    ServiceOut,
    ServicePatch,
    SlotOut,
    Status,
)
from frontdesk.deps import Ctx, Uow
from frontdesk.kit.params import IsoDatetime

router = APIRouter(prefix="/api", tags=["appointments"])


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


TAKEN: dict[int | str, dict[str, Any]] = {
    409: _error(
        "The time is taken (or the booking's state forbids the change); "
        "details.alternatives lists free slots near it."
    )
}
REFUSED: dict[int | str, dict[str, Any]] = {
    404: _error("No such service (or staff member) in this workspace."),
    422: _error(
        "Invalid fields, or a time outside hours, too soon or too far ahead "
        "(codes outside_hours, too_soon, too_far; details.alternatives lists free slots)."
    ),
}


@router.get("/services", response_model=ServiceList)
async def list_services(uow: Uow, ctx: Ctx) -> ServiceList:
    services = await manage.list_services(uow.session, ctx)
    return ServiceList(services=[ServiceOut.of(s) for s in services])


@router.post("/services", response_model=ServiceOut, status_code=201)
async def create_service(body: ServiceIn, uow: Uow, ctx: Ctx) -> ServiceOut:
    return ServiceOut.of(await manage.create_service(uow.session, ctx, body))


@router.patch("/services/{service_id}", response_model=ServiceOut)
async def update_service(
    service_id: uuid.UUID, body: ServicePatch, uow: Uow, ctx: Ctx
) -> ServiceOut:
    return ServiceOut.of(await manage.update_service(uow.session, ctx, service_id, body))


@router.delete("/services/{service_id}", status_code=204)
async def delete_service(service_id: uuid.UUID, uow: Uow, ctx: Ctx) -> Response:
    await manage.delete_service(uow.session, ctx, service_id)
    return Response(status_code=204)


@router.get("/availability", response_model=Availability, responses=REFUSED)
async def availability(
    uow: Uow,
    ctx: Ctx,
    service_id: uuid.UUID,
    date: IsoDate = Query(description="First local day, YYYY-MM-DD."),
    days: int = Query(7, ge=1, le=31),
    staff_id: uuid.UUID | None = None,
) -> Availability:
    slots = await manage.availability(uow.session, ctx, service_id, date, days, staff_id)
    return Availability(
        service_id=service_id,
        timezone=ctx.workspace.timezone,
        slots=[SlotOut.of(slot) for slot in slots],
    )


@router.get("/appointments", response_model=AppointmentPage)
async def list_appointments(
    uow: Uow,
    ctx: Ctx,
    start_from: IsoDatetime | None = Query(None, alias="from", description="Ending after."),
    start_to: IsoDatetime | None = Query(None, alias="to", description="Starting before."),
    status: Status | None = None,
    service_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> AppointmentPage:
    found = await manage.list_appointments(
        uow.session,
        ctx,
        limit,
        offset,
        start_from=start_from,
        start_to=start_to,
        status=status,
        service_id=service_id,
        contact_id=contact_id,
        staff_id=staff_id,
    )
    timezone = ctx.workspace.timezone
    return AppointmentPage(
        appointments=[AppointmentOut.of(a, timezone) for a in found],
        next_offset=offset + limit if len(found) == limit else None,
    )


@router.post(
    "/appointments",
    response_model=AppointmentOut,
    status_code=201,
    responses={**TAKEN, **REFUSED},
)
async def create_appointment(body: AppointmentIn, uow: Uow, ctx: Ctx) -> AppointmentOut:
    appointment = await manage.create_appointment(uow.session, ctx, body)
    return AppointmentOut.of(appointment, ctx.workspace.timezone)


@router.get("/appointments/{appointment_id}", response_model=AppointmentOut)
async def get_appointment(appointment_id: uuid.UUID, uow: Uow, ctx: Ctx) -> AppointmentOut:
    appointment = await manage.get_appointment(uow.session, ctx, appointment_id)
    return AppointmentOut.of(appointment, ctx.workspace.timezone)


@router.patch(
    "/appointments/{appointment_id}",
    response_model=AppointmentOut,
    responses={**TAKEN, **REFUSED},
)
async def update_appointment(
    appointment_id: uuid.UUID, body: AppointmentPatch, uow: Uow, ctx: Ctx
) -> AppointmentOut:
    appointment = await manage.update_appointment(uow.session, ctx, appointment_id, body)
    return AppointmentOut.of(appointment, ctx.workspace.timezone)


@router.delete("/appointments/{appointment_id}", response_model=AppointmentOut, responses=TAKEN)
async def cancel_appointment(appointment_id: uuid.UUID, uow: Uow, ctx: Ctx) -> AppointmentOut:
    """Cancels (the booking stays, with status cancelled)."""
    appointment = await manage.cancel_appointment(uow.session, ctx, appointment_id)
    return AppointmentOut.of(appointment, ctx.workspace.timezone)


@router.get("/booking-settings", response_model=BookingSettingsIO)
async def get_booking_settings(uow: Uow, ctx: Ctx) -> BookingSettingsIO:
    return await manage.get_settings(uow.session, ctx)


@router.put("/booking-settings", response_model=BookingSettingsIO)
async def put_booking_settings(body: BookingSettingsIO, uow: Uow, ctx: Ctx) -> BookingSettingsIO:
    return await manage.put_settings(uow.session, ctx, body)
