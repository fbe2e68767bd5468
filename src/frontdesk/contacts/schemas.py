from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class ContactRef(BaseModel):
    """The contact as a conversation shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    email: str
    phone: str


class ContactOut(ContactRef):
    interest: str
    source: str
    created_at: datetime
    updated_at: datetime


class ContactDetail(ContactOut):
    conversation_ids: list[uuid.UUID]


class ContactPage(BaseModel):
    contacts: list[ContactOut]
    next_offset: int | None
