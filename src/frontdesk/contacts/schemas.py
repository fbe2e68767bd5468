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
    # False when the number did not read as a valid number (for the workspace's country or
    # by its own prefix): kept exactly as the customer gave it, for staff to check.
    phone_verified: bool = True


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
