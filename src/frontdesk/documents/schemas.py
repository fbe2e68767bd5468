from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.attachments.models import Attachment
from frontdesk.documents.models import Document
from frontdesk.kit.text import CleanInput

Status = Literal["pending", "approved", "rejected"]


class ReceiptFieldsOut(BaseModel):
    amount: str | None = Field(None, description="Decimal as text, e.g. '1234.50'.")
    currency: str | None = None
    date: str | None = Field(None, description="ISO date the receipt was paid.")
    payer: str | None = None
    reference: str | None = None
    language: str | None = None
    confidence: float | None = Field(None, description="The OCR's mean confidence (0-1).")


class DocumentOut(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    contact_id: uuid.UUID | None
    attachment_id: uuid.UUID
    filename: str
    content_type: str
    kind: str
    customer_note: str = Field(description="What the customer said the file is for.")
    linked_kind: str = Field(description="invoice, ticket, order, lead, booking, or ''.")
    linked_reference: str
    read_status: str = Field(description="pending (being read), done or failed.")
    fields: ReceiptFieldsOut
    status: str
    review_note: str
    reviewer_id: uuid.UUID | None
    reviewed_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, document: Document, attachment: Attachment) -> DocumentOut:
        known = {k: v for k, v in document.fields.items() if k in ReceiptFieldsOut.model_fields}
        return cls(
            id=document.id,
            conversation_id=document.conversation_id,
            contact_id=document.contact_id,
            attachment_id=document.attachment_id,
            filename=attachment.filename,
            content_type=attachment.content_type,
            kind=document.kind,
            customer_note=document.customer_note,
            linked_kind=document.linked_kind,
            linked_reference=document.linked_reference,
            read_status=document.read_status,
            fields=ReceiptFieldsOut(**known),
            status=document.status,
            review_note=document.review_note,
            reviewer_id=document.reviewer_id,
            reviewed_at=document.reviewed_at,
            created_at=document.created_at,
        )


class DocumentDetail(DocumentOut):
    text: str = Field(description="All the text read from the file.")
    read_method: str = Field(description="pdf_text, pdf_ocr, image_ocr or none.")
    file_url: str = Field(
        description="The file, for staff of this workspace only (send the bearer token)."
    )


class DocumentPage(BaseModel):
    documents: list[DocumentOut]
    next_offset: int | None


class ReviewIn(CleanInput):
    decision: Literal["approved", "rejected"]
    note: str = Field("", max_length=2000, description="For staff; the customer is not shown it.")
