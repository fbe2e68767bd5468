"""The API's shapes for calendar connections and booking syncs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from frontdesk.calendars.models import AppointmentSync
from frontdesk.calendars.service import Overview
from frontdesk.kit.text import CleanInput

SyncStatus = Literal["pending", "synced", "failed"]


class CalDAVConnectionIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["caldav"] = "caldav"
    url: str = Field(
        min_length=8,
        max_length=2000,
        pattern=r"^https?://[^\s/?#]+[^\s]*$",
        description="The calendar collection, e.g. https://host/remote.php/dav/calendars/me/work/",
    )
    username: str = Field("", max_length=200)
    password: str = Field("", max_length=500, description="Stored sealed; never shown again.")


class GoogleStartIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    calendar_id: str = Field(
        "primary", min_length=1, max_length=300, pattern=r"^[^\s~]+$",
        description="Which of the account's calendars: primary, or a calendar's id.",
    )  # fmt: skip
    meet_links: StrictBool = Field(False, description="Give each booking a Google Meet link.")


class GoogleStartOut(BaseModel):
    authorize_url: str = Field(description="Send the owner's browser here to consent.")


class SyncCounts(BaseModel):
    pending: int = 0
    synced: int = 0
    failed: int = 0


class ConnectionOut(BaseModel):
    kind: Literal["none", "caldav", "google"]
    status: Literal["none", "connecting", "connected", "error"]
    url: str = ""
    username: str = ""
    calendar_id: str = ""
    meet_links: bool = False
    last_error: str = ""
    connected_at: datetime | None = None
    available: list[Literal["caldav", "google"]] = Field(
        description="Calendars this server lets a workspace connect."
    )
    syncs: SyncCounts

    @classmethod
    def of(cls, overview: Overview) -> ConnectionOut:
        counts = SyncCounts(
            **{k: v for k, v in overview.counts.items() if k in SyncCounts.model_fields}
        )
        available = sorted(overview.available)
        connection = overview.connection
        if connection is None:
            return cls(kind="none", status="none", available=available, syncs=counts)  # type: ignore[arg-type]
        return cls(
            kind=connection.kind,  # type: ignore[arg-type]
            status=connection.status,  # type: ignore[arg-type]
            url=connection.url,
            username=connection.username,
            calendar_id=connection.calendar_id if connection.kind == "google" else "",
            meet_links=connection.meet_links,
            last_error=connection.last_error,
            connected_at=connection.connected_at,
            available=available,  # type: ignore[arg-type]
            syncs=counts,
        )


class SyncOut(BaseModel):
    appointment_id: uuid.UUID
    status: SyncStatus
    remote_id: str
    meet_link: str
    last_error: str
    attempts: int
    next_attempt_at: datetime | None
    synced_at: datetime | None

    @classmethod
    def of(cls, row: AppointmentSync) -> SyncOut:
        return cls(
            appointment_id=row.appointment_id,
            status=row.status,  # type: ignore[arg-type]
            remote_id=row.remote_id,
            meet_link=row.meet_link,
            last_error=row.last_error,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
            synced_at=row.synced_at,
        )


class SyncPage(BaseModel):
    syncs: list[SyncOut]
    next_offset: int | None
