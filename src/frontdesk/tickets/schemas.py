from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from frontdesk.contacts.schemas import ContactRef
from frontdesk.kit.params import WRITTEN, IsoDatetime, JsonWholeNumber, not_null, written
from frontdesk.kit.text import CleanInput

Category = Literal[
    "billing_payment", "technical", "account", "general_inquiry", "complaint", "feature_request"
]
Priority = Literal["urgent", "high", "medium", "low"]
Status = Literal["pending", "in_progress", "fixed", "confirmed", "rejected"]


class TicketSummary(BaseModel):
    what_happened: str = ""
    customer_wants: str = ""
    tried: str = ""
    attachments: list[str] = Field(default_factory=list)


class TicketOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    reference: str
    subject: str
    category: Category
    priority: Priority
    status: Status
    rejection_reason: str
    summary: TicketSummary
    triage: dict[str, Any]
    conversation_id: uuid.UUID | None
    contact: ContactRef | None = None
    assignee_id: uuid.UUID | None
    due_at: datetime
    overdue: bool
    resolved_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TicketEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str  # opened, change, note, message
    actor_type: str  # staff, assistant, customer, system
    actor_user_id: uuid.UUID | None
    field: str
    old_value: str
    new_value: str
    text: str
    message_id: uuid.UUID | None
    created_at: datetime


class TicketDetail(TicketOut):
    history: list[TicketEntryOut]


class TicketStats(BaseModel):
    urgent: int
    new: int
    in_progress: int
    resolved: int
    overdue: int
    total: int


class TicketPage(BaseModel):
    tickets: list[TicketOut]
    next_offset: int | None
    stats: TicketStats


def _tidy(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class TicketCreate(CleanInput):
    """A ticket staff open themselves (the assistant opens its own from the chat)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [written("subject")]})

    subject: str = Field(min_length=1, max_length=200)
    category: Category = "general_inquiry"
    priority: Priority | None = Field(None, description="Left out: triaged from the text.")
    description: str = Field("", max_length=4000, description="What happened.")
    conversation_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None

    _strip = field_validator("subject", "description")(_tidy)

    @field_validator("subject")
    @classmethod
    def _written(cls, value: str) -> str:
        if not value:
            raise ValueError("write a subject")
        return value


class TicketUpdate(CleanInput):
    # Null is no value for these; assignee_id null unassigns.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=not_null("status", "priority", "category", "subject", "due_at"),
    )

    status: Status | None = None
    rejection_reason: str | None = Field(
        None, max_length=2000, description="Required (written) when status is rejected."
    )
    priority: Priority | None = None
    category: Category | None = None
    subject: str | None = Field(None, min_length=1, max_length=200, pattern=WRITTEN)
    assignee_id: uuid.UUID | None = None
    due_at: IsoDatetime | None = None

    _strip = field_validator("subject", "rejection_reason")(_tidy)


class NoteIn(CleanInput):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [written("text")]})

    text: str = Field(min_length=1, max_length=4000)

    @field_validator("text")
    @classmethod
    def _written(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("write something")
        return value.strip()


# 24.0 is 24 hours as JSON Schema reads an integer; false or "24" is no number of hours.
Hours = Annotated[int, Field(ge=0, le=8760), JsonWholeNumber]


class DueHours(BaseModel):
    """Hours from opening to due, by priority (0: due at once)."""

    model_config = ConfigDict(extra="forbid")

    urgent: Hours
    high: Hours
    medium: Hours
    low: Hours


class TicketSettingsOut(BaseModel):
    due_hours: DueHours


class TicketSettingsIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    due_hours: DueHours
