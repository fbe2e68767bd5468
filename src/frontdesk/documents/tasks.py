"""Background jobs of documents: reading a file's text and pulling out its fields."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from frontdesk.attachments.repository import AttachmentRepository
from frontdesk.documents.intake import READ_JOB, schedule_reading
from frontdesk.documents.models import Document
from frontdesk.documents.receipts import read_receipt
from frontdesk.documents.repository import DocumentRepository
from frontdesk.jobs.queue import every, job
from frontdesk.kit.db import utcnow
from frontdesk.nlu.language import detect_language
from frontdesk.ocr.files import read_file

log = logging.getLogger("frontdesk.documents")
SWEEP_JOB = "documents.sweep"
# A document still unread this long after it arrived lost its job (a process stopped).
UNREAD_GRACE = timedelta(minutes=2)
MAX_TEXT = 20_000


@job(READ_JOB)
async def read_document(services: Any, workspace_id: str, document_id: str) -> None:
    """Read the file outside any transaction, then store text and fields. Safe to run twice:
    a document already read is left as it is."""
    wid, did = uuid.UUID(workspace_id), uuid.UUID(document_id)
    async with services.unit_of_work() as uow:
        document = await DocumentRepository(uow.session, wid).get(did)
        if document is None or document.read_status != "pending":
            return
        attachment = await AttachmentRepository(uow.session, wid).get(document.attachment_id)
        if attachment is None:
            return
        key, kind = attachment.storage_key, attachment.kind
    try:
        data = await services.storage.load(key)
        read = await read_file(services.ocr, data, kind)
        language = detect_language(read.text, default="en") if read.text.strip() else "en"
        fields: dict[str, Any] = read_receipt(read.text, language).as_dict()
        fields["language"], fields["confidence"] = language, read.confidence
        text, method, status = read.text[:MAX_TEXT], read.method, "done"
    except Exception:  # an unreadable file still goes to staff, without fields
        log.exception("reading document %s failed", did)
        text, method, status, fields = "", "", "failed", {}
    async with services.unit_of_work() as uow:
        document = await DocumentRepository(uow.session, wid).get_for_update(did)
        if document is None or document.read_status != "pending":
            return
        document.text, document.read_method, document.read_status = text, method, status
        document.fields = fields
        document.updated_at = utcnow()


@job(SWEEP_JOB)
async def read_unread(services: Any) -> None:
    """Documents whose reading job was lost, queued again. Crosses workspaces by design, like
    recovery.py: each row carries its workspace into its own job."""
    async with services.unit_of_work() as uow:
        statement = (
            select(Document.workspace_id, Document.id)
            .where(Document.read_status == "pending", Document.created_at < utcnow() - UNREAD_GRACE)
            .limit(200)
        )
        rows = (await uow.session.execute(statement)).all()
        for workspace_id, document_id in rows:
            schedule_reading(uow.session, workspace_id, [document_id])


every(300, SWEEP_JOB)
