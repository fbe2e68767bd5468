from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, field_validator

from frontdesk.appointments.availability import Slot, zone_of
from frontdesk.appointments.models import Appointment, Service
from frontdesk.kit.params import WRITTEN, IsoDatetime, not_null
from frontdesk.kit.text import CleanInput

Status = Literal["booked", "cancelled", "no_show", "completed"]


def _json_number(value: Any) -> Any:
    # JSON Schema's integer takes 30.0 but neither true nor "30": pydantic's lax mode would
    # read both, its strict mode refuses 30.0.
    if isinstance(value, bool | str):
        raise ValueError("give a number")
    return value


Number = BeforeValidator(_json_number)
Minutes = Annotated[int, Field(ge=0, le=480), Number]
Duration = Annotated[int, Field(ge=5, le=720), Number]
Price = Annotated[float, Field(ge=0, le=1_000_000), Number]
StaffIds = Annotated[list[uuid.UUID], Field(max_length=100)]


def _date_text_only(value: Any) -> Any:
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        raise ValueError("use an ISO 8601 date, e.g. 2026-12-07")
    return value


#: A calendar date as ISO 8601 text (never a number read as a timestamp).
IsoDate = Annotated[date, BeforeValidator(_date_text_only)]


def refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out, not sent as null")
    return value


class ServiceIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=WRITTEN)
    duration_minutes: Duration
    buffer_before_minutes: Minutes = 0
    buffer_after_minutes: Minutes = 0
    price: Price | None = None
    description: str = Field("", max_length=2000)
    active: StrictBool = True
    staff_ids: StaffIds = Field(default_factory=list, description="Members who do it.")


_PATCH_NOT_NULL = (
    "name",
    "duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "description",
    "active",
    "staff_ids",
)


class ServicePatch(CleanInput):
    model_config = ConfigDict(extra="forbid", json_schema_extra=not_null(*_PATCH_NOT_NULL))

    name: str | None = Field(None, min_length=1, max_length=200, pattern=WRITTEN)
    duration_minutes: Duration | None = None
    buffer_before_minutes: Minutes | None = None
    buffer_after_minutes: Minutes | None = None
    price: Price | None = Field(None, description="null: no price shown.")
    description: str | None = Field(None, max_length=2000)
    active: StrictBool | None = None
    staff_ids: StaffIds | None = None

    _not_null = field_validator(*_PATCH_NOT_NULL, mode="before")(refuse_null)


class ServiceOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    price: float | None
    active: bool
    staff_ids: list[uuid.UUID]

    @classmethod
    def of(cls, service: Service) -> ServiceOut:
        return cls(
            id=service.id,
            name=service.name,
            description=service.description,
            duration_minutes=service.duration_minutes,
            buffer_before_minutes=service.buffer_before_minutes,
            buffer_after_minutes=service.buffer_after_minutes,
            price=service.price_cents / 100 if service.price_cents is not None else None,
            active=service.active,
            staff_ids=[uuid.UUID(str(s)) for s in service.staff_ids or []],
        )


class ServiceList(BaseModel):
    services: list[ServiceOut]


class SlotOut(BaseModel):
    start: datetime = Field(description="ISO 8601 with the workspace's UTC offset.")
    end: datetime
    staff_id: uuid.UUID | None

    @classmethod
    def of(cls, slot: Slot) -> SlotOut:
        return cls(start=slot.start, end=slot.end, staff_id=slot.staff_id)


class Availability(BaseModel):
    service_id: uuid.UUID
    timezone: str
    slots: list[SlotOut]


class AppointmentIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    service_id: uuid.UUID
    start: IsoDatetime
    staff_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None
    customer_name: str = Field("", max_length=200)
    customer_email: str = Field("", max_length=320)
    customer_phone: str = Field("", max_length=32)
    notes: str = Field("", max_length=2000)


_APPOINTMENT_NOT_NULL = (
    "start",
    "status",
    "customer_name",
    "customer_email",
    "customer_phone",
    "notes",
)


class AppointmentPatch(CleanInput):
    """A move (``start``, ``staff_id``), a status change, or corrected details."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=not_null(*_APPOINTMENT_NOT_NULL))

    start: IsoDatetime | None = None
    staff_id: uuid.UUID | None = None
    status: Status | None = None
    customer_name: str | None = Field(None, max_length=200)
    customer_email: str | None = Field(None, max_length=320)
    customer_phone: str | None = Field(None, max_length=32)
    notes: str | None = Field(None, max_length=2000)

    _not_null = field_validator(*_APPOINTMENT_NOT_NULL, mode="before")(refuse_null)


class AppointmentOut(BaseModel):
    id: uuid.UUID
    service_id: uuid.UUID
    staff_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    conversation_id: uuid.UUID | None
    start: datetime = Field(description="ISO 8601 with the workspace's UTC offset.")
    end: datetime
    status: Status
    customer_name: str
    customer_email: str
    customer_phone: str
    notes: str
    reminder_sent_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, appointment: Appointment, timezone: str) -> AppointmentOut:
        zone = zone_of(timezone)
        return cls(
            id=appointment.id,
            service_id=appointment.service_id,
            staff_id=appointment.staff_id,
            contact_id=appointment.contact_id,
            conversation_id=appointment.conversation_id,
            start=appointment.start.astimezone(zone),
            end=appointment.end.astimezone(zone),
            status=appointment.status,  # type: ignore[arg-type]
            customer_name=appointment.customer_name,
            customer_email=appointment.customer_email,
            customer_phone=appointment.customer_phone,
            notes=appointment.notes,
            reminder_sent_at=appointment.reminder_sent_at,
            created_at=appointment.created_at,
            updated_at=appointment.updated_at,
        )


class AppointmentPage(BaseModel):
    appointments: list[AppointmentOut]
    next_offset: int | None


class BookingSettingsIO(CleanInput):
    model_config = ConfigDict(extra="forbid")

    min_notice_minutes: Annotated[int, Field(ge=0, le=60 * 24 * 30), Number]
    horizon_days: Annotated[int, Field(ge=1, le=730), Number]
    slot_step_minutes: Annotated[int, Field(ge=5, le=240), Number]
    reminder_hours: Annotated[int, Field(ge=0, le=24 * 14), Number]
