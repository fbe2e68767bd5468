"""The documents page: receipts and other files customers sent, waiting for review, each shown
beside what was read from it, with approve and reject. Works without scripts (forms)."""

from __future__ import annotations

import uuid
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from frontdesk.attachments.models import Attachment
from frontdesk.deps import Svc, Uow
from frontdesk.documents import service as documents
from frontdesk.documents.models import STATUSES, Document
from frontdesk.documents.outcome import money
from frontdesk.kit.errors import FrontdeskError
from frontdesk.web.pages_app import base_context, settle_refusal
from frontdesk.web.pages_contacts import _zone, when
from frontdesk.web.session import redirect, refuse_cross_site, render, require_context

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
KIND_LABELS = {"payment_proof": "Payment proof", "other": "Document"}


def _row(document: Document, attachment: Attachment, customer: str, now: datetime) -> Any:
    fields = document.fields
    zone = now.tzinfo
    return SimpleNamespace(
        id=document.id,
        customer=customer or "Visitor",
        kind=KIND_LABELS.get(document.kind, document.kind),
        amount=money(fields.get("amount"), fields.get("currency"), "en") or "",
        reference=fields.get("reference") or "",
        date=fields.get("date") or "",
        payer=fields.get("payer") or "",
        linked=" ".join(x for x in (document.linked_kind, document.linked_reference) if x),
        status=document.status,
        read_status=document.read_status,
        filename=attachment.filename,
        is_image=attachment.kind == "image",
        note=document.customer_note,
        review_note=document.review_note,
        received_iso=document.created_at.isoformat(),
        received=when(document.created_at.astimezone(zone), now),
        reviewed=when(document.reviewed_at.astimezone(zone), now) if document.reviewed_at else "",
        conversation_id=document.conversation_id,
    )


@router.get("/app/documents", response_class=HTMLResponse)
async def documents_page(
    request: Request, uow: Uow, svc: Svc, status: str = "pending", offset: int = 0
) -> Response:
    ctx = await require_context(request, uow, svc)
    status = status if status in (*STATUSES, "all") else "pending"
    offset = max(offset, 0)
    pairs = await documents.list_documents(
        uow.session, ctx, None if status == "all" else status, PAGE_SIZE + 1, offset
    )
    names = await documents.customer_names(uow.session, ctx, [d.conversation_id for d, _ in pairs])
    now = datetime.now(_zone(ctx.workspace.timezone))
    return render(
        request,
        "documents.html",
        {
            **base_context(ctx, "documents"),
            "status": status,
            "documents": [
                _row(d, a, names.get(d.conversation_id, ""), now) for d, a in pairs[:PAGE_SIZE]
            ],
            "previous_offset": max(offset - PAGE_SIZE, 0) if offset else None,
            "next_offset": offset + PAGE_SIZE if len(pairs) > PAGE_SIZE else None,
        },
    )


@router.get("/app/documents/{document_id}", response_class=HTMLResponse)
async def document_page(document_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    return await _document_page(request, uow, ctx, document_id)


async def _document_page(
    request: Request, uow: Uow, ctx: Any, document_id: uuid.UUID, error: str = ""
) -> HTMLResponse:
    document, attachment = await documents.get(uow.session, ctx, document_id)
    names = await documents.customer_names(uow.session, ctx, [document.conversation_id])
    now = datetime.now(_zone(ctx.workspace.timezone))
    return render(
        request,
        "document.html",
        {
            **base_context(ctx, "documents"),
            "doc": _row(document, attachment, names.get(document.conversation_id, ""), now),
            "text": document.text,
            "error": error,
        },
        status_code=409 if error else 200,
    )


@router.get("/app/documents/{document_id}/file")
async def document_file(document_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    """The file for a signed-in member of the document's workspace (the page's <img>)."""
    ctx = await require_context(request, uow, svc)
    attachment, data = await documents.open_file(uow.session, ctx, svc.storage, document_id)
    return Response(
        data,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(attachment.filename)}",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/app/documents/{document_id}/review", response_class=HTMLResponse)
async def review_submit(document_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = await request.form()
    decision, note = str(form.get("decision", "")), str(form.get("note", ""))[:2000]
    if decision not in ("approved", "rejected"):
        return redirect(request, f"/app/documents/{document_id}")
    try:
        await documents.review(uow.session, ctx, document_id, decision, note)
    except FrontdeskError as refusal:
        await settle_refusal(uow, ctx, refusal)
        return await _document_page(request, uow, ctx, document_id, refusal.message)
    return redirect(request, f"/app/documents/{document_id}")
