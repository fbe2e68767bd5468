from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    actor_user_id: uuid.UUID | None
    action: str
    target_type: str
    target_id: str
    ip: str | None
    details: dict[str, Any]
    created_at: datetime


class AuditPage(BaseModel):
    events: list[AuditEventOut]
    next_before: datetime | None
