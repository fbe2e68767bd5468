from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StrictBool, field_validator

from frontdesk.kit.params import not_null
from frontdesk.workspaces.hours import WEEKDAYS, normalize_hours
from frontdesk.workspaces.permissions import Role

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("de", "German"),
    ("pt", "Portuguese"),
    ("it", "Italian"),
    ("nl", "Dutch"),
)
INDUSTRIES: tuple[str, ...] = (
    "Healthcare & dental",
    "Beauty & wellness",
    "Fitness",
    "Legal",
    "Finance & banking",
    "Real estate",
    "Restaurants & hospitality",
    "Retail & e-commerce",
    "Education & tutoring",
    "Home services",
    "Professional services",
    "Technology",
    "Automotive",
    "Other",
)
COMMON_TIMEZONES: tuple[str, ...] = (
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Johannesburg",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
Hours = dict[str, list[dict[str, str]]]
_HH_MM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
#: Per weekday, its opening intervals. Each must open before it closes and the intervals of a
#: day must not overlap: rules JSON Schema cannot state, answered 422 when broken.
HOURS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        day: {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start", "end"],
                "properties": {"start": _HH_MM, "end": _HH_MM},
            },
        }
        for day, _ in WEEKDAYS
    },
}


class WorkspaceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str
    owner_name: str
    occupation: str
    industry: str
    timezone: str
    language: str
    country: str
    contact_email: str
    contact_phone: str
    address: str
    website: str
    business_hours: Hours
    setup_completed_at: datetime | None
    default_ai_mode: str
    upload_limit_mb: int | None


class WorkspaceUpdate(BaseModel):
    """Every field optional: a PUT changes what it names and keeps the rest."""

    # The service refuses to empty these (workspaces/service.py): null is no value for them.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=not_null(
            "name", "timezone", "language", "country", "business_hours", "default_ai_mode"
        ),
    )

    name: str | None = Field(None, min_length=1, max_length=200)
    owner_name: str | None = Field(None, max_length=200)
    occupation: str | None = Field(None, max_length=200)
    industry: str | None = Field(None, max_length=100)
    timezone: str | None = Field(
        None, json_schema_extra={"enum": [*sorted(zoneinfo.available_timezones())]}
    )
    language: str | None = Field(None, json_schema_extra={"enum": [key for key, _ in LANGUAGES]})
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    contact_email: str | None = Field(None, max_length=320)
    contact_phone: str | None = Field(None, max_length=64)
    address: str | None = Field(None, max_length=1000)
    website: str | None = Field(None, max_length=300)
    business_hours: Hours | None = Field(None, json_schema_extra=HOURS_SCHEMA)
    setup_completed: StrictBool | None = None
    default_ai_mode: Literal["auto", "draft", "off"] | None = None
    upload_limit_mb: int | None = Field(None, ge=1, le=200)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is not None and value not in zoneinfo.available_timezones():
            raise ValueError("unknown time zone; use an IANA name such as Europe/Paris")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        if value is not None and value not in dict(LANGUAGES):
            raise ValueError(f"unsupported language; choose one of {', '.join(dict(LANGUAGES))}")
        return value

    @field_validator("contact_email")
    @classmethod
    def _email_or_blank(cls, value: Any) -> Any:
        if value in ("", None):
            return value
        from email_validator import EmailNotValidError, validate_email

        try:
            return validate_email(str(value), check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValueError(str(error)) from None

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            value = f"https://{value}"
        if value and len(value) > 300:  # the column's size, with the scheme just added
            raise ValueError("a web address may be at most 300 characters")
        return value

    @field_validator("business_hours")
    @classmethod
    def _hours(cls, value: Hours | None) -> Hours | None:
        return normalize_hours(value) if value is not None else None


class MemberOut(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    full_name: str
    role: Role
    joined_at: datetime


class MembersOut(BaseModel):
    members: list[MemberOut]
    invitations: list[InvitationOut]


class InviteIn(BaseModel):
    email: EmailStr
    role: Role = Role.AGENT

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class InvitationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    role: Role
    expires_at: datetime
    created_at: datetime


class InvitationCreated(InvitationOut):
    token: str
    invite_url: str


class MemberUpdate(BaseModel):
    role: Role


class InvitationPreview(BaseModel):
    """What an invitation link shows anyone holding it; never whether the email has an
    account."""

    workspace_name: str
    email: str
    role: Role


class AcceptInvitationIn(BaseModel):
    password: str = Field(min_length=1, max_length=256)
    full_name: str | None = Field(None, max_length=200)


MembersOut.model_rebuild()
