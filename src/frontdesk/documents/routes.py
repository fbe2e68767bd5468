"""Documents customers sent: the review queue for staff, and the file for staff only."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from frontdesk.attachments.models import Attachment
from frontdesk.deps import Ctx, Svc, Uow
from frontdesk.documents import service
from frontdesk.documents.models import Document
from frontdesk.documents.schemas import (
    DocumentDetail,
    DocumentOut,
    DocumentPage,
    ReviewIn,
    Status,
)

router = APIRouter(prefix="/api/documents", tags=["documents"])


def _detail(pair: tuple[Document, Attachment]) -> DocumentDetail:
    document, attachment = pair
    return DocumentDetail(
        **DocumentOut.of(document, attachment).model_dump(),
        text=document.text,
        read_method=document.read_method,
        file_url=f"/api/documents/{document.id}/file",
    )


@router.get("", response_model=DocumentPage)
async def list_documents(
    uow: Uow,
    ctx: Ctx,
    status: Status | None = Query(None, description="pending, approved or rejected."),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> DocumentPage:
    pairs = await service.list_documents(uow.session, ctx, status, limit, offset)
    return DocumentPage(
        documents=[DocumentOut.of(d, a) for d, a in pairs],
        next_offset=offset + limit if len(pairs) == limit else None,
    )


@router.get("/{document_id}", response_model=DocumentDetail)
async def get_document(document_id: uuid.UUID, uow: Uow, ctx: Ctx) -> DocumentDetail:
    return _detail(await service.get(uow.session, ctx, document_id))


@router.get(
    "/{document_id}/file",
    response_class=Response,
    responses={200: {"content": {"image/*": {}, "application/pdf": {}}}},
)
async def document_file(document_id: uuid.UUID, uow: Uow, ctx: Ctx, svc: Svc) -> Response:
    attachment, data = await service.open_file(uow.session, ctx, svc.storage, document_id)
    return Response(
        data,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(attachment.filename)}",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/{document_id}/review", response_model=DocumentDetail)
async def review_document(
    document_id: uuid.UUID, data: ReviewIn, uow: Uow, ctx: Ctx
) -> DocumentDetail:
    pair = await service.review(uow.session, ctx, document_id, data.decision, data.note)
    return _detail(pair)
