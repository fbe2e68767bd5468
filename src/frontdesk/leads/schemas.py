"""The leads API's input and output."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from frontdesk.kit.params import not_null, written
from frontdesk.kit.text import CleanInput
from frontdesk.leads.models import Lead

LeadStatus = Literal["new", "contacted", "qualified", "won", "lost"]
MAX_VALUE = 1_000_000_000  # a lead worth a billion is a typo
Money = Annotated[float, Field(ge=0, le=MAX_VALUE, allow_inf_nan=False, strict=True)]
DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day_text_only(value: Any) -> Any:
    # Pydantic's lax mode reads a number as a Unix timestamp; the document says a date.
    if isinstance(value, date) or (isinstance(value, str) and DAY_PATTERN.match(value)):
        return value
    raise ValueError("use a date as YYYY-MM-DD")


#: A calendar day written as the document says (2026-12-04), nothing else pydantic would
#: read as one; in a body or a query.
Day = Annotated[date, BeforeValidator(_day_text_only)]


class LeadIn(CleanInput):
    """A lead staff add by hand (a call, a walk-in): an email or a phone is needed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"anyOf": [written("email"), written("phone")]},
    )

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=320)
    phone: str = Field("", max_length=40)
    interest: str = Field("", max_length=2000)
    status: LeadStatus = "new"
    owner_id: uuid.UUID | None = None
    follow_up_on: Day | None = None
    value: Money | None = None
    notes: str = Field("", max_length=10_000)


class LeadUpdate(CleanInput):
    """Only the fields sent change; null clears the owner, the follow-up date or the value."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=not_null("name", "email", "phone", "interest", "status", "notes"),
    )

    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=40)
    interest: str | None = Field(None, max_length=2000)
    status: LeadStatus | None = None
    owner_id: uuid.UUID | None = None
    follow_up_on: Day | None = None
    value: Money | None = None
    notes: str | None = Field(None, max_length=10_000)


class BulkStatusIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    status: LeadStatus


class BulkResult(BaseModel):
    updated: int


class LeadOut(BaseModel):
    id: uuid.UUID
    contact_id: uuid.UUID
    name: str
    email: str
    phone: str
    phone_verified: bool
    channel: str
    source_conversation_id: uuid.UUID | None
    interest: str
    captured: dict[str, list[str]]
    status: str
    owner_id: uuid.UUID | None
    follow_up_on: date | None
    value: float | None
    notes: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, lead: Lead) -> LeadOut:
        contact = lead.contact
        captured = {
            k: [str(v) for v in values]
            for k, values in (lead.captured or {}).items()
            if isinstance(values, list)
        }
        return cls(
            id=lead.id,
            contact_id=lead.contact_id,
            name=contact.name,
            email=contact.email,
            phone=contact.phone,
            phone_verified=contact.phone_verified,
            channel=lead.channel,
            source_conversation_id=lead.source_conversation_id,
            interest=lead.interest,
            captured=captured,
            status=lead.status,
            owner_id=lead.owner_id,
            follow_up_on=lead.follow_up_on,
            value=None if lead.value_cents is None else lead.value_cents / 100,
            notes=lead.notes,
            created_at=lead.created_at,
            updated_at=lead.updated_at,
        )


class LeadConversation(BaseModel):
    id: uuid.UUID
    channel: str
    status: str
    created_at: datetime
    last_message_at: datetime


class LeadDetail(LeadOut):
    conversations: list[LeadConversation]


class LeadPage(BaseModel):
    leads: list[LeadOut]
    total: int
    next_offset: int | None


class LeadSettingsIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    daily_report: StrictBool = Field(
        description="Mail the day's new leads as a spreadsheet to the workspace's owners."
    )


class LeadSettingsOut(BaseModel):
    daily_report: bool
