from __future__ import annotations

import uuid

from pydantic import BaseModel

from frontdesk.attachments.models import Attachment


class AttachmentOut(BaseModel):
    id: uuid.UUID
    filename: str
    content_type: str
    kind: str
    size: int
    url: str  # a capability URL on this server: /files/{id}/{access key}
    transcript: str
    transcript_status: str

    @classmethod
    def of(cls, a: Attachment) -> AttachmentOut:
        return cls(
            id=a.id,
            filename=a.filename,
            content_type=a.content_type,
            kind=a.kind,
            size=a.size,
            url=f"/files/{a.id}/{a.access_key}",
            transcript=a.transcript,
            transcript_status=a.transcript_status,
        )
