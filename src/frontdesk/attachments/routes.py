"""Handing files back: by capability URL, with headers that keep a file from acting as a page."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from frontdesk.attachments import service
from frontdesk.deps import Svc, Uow

router = APIRouter(tags=["attachments"])
INLINE_KINDS = {"image", "audio", "pdf"}


@router.get("/files/{attachment_id}/{access_key}", include_in_schema=False)
async def download(attachment_id: uuid.UUID, access_key: str, uow: Uow, svc: Svc) -> Response:
    attachment, data = await service.open_file(uow.session, svc.storage, attachment_id, access_key)
    disposition = "inline" if attachment.kind in INLINE_KINDS else "attachment"
    return Response(
        data,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(attachment.filename)}",
            # Even a file that fooled detection cannot run script in our origin.
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; "
            "style-src 'unsafe-inline'; sandbox",
            "Cache-Control": "private, max-age=86400",
        },
    )
