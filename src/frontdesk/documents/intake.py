"""Which chat files become documents: an image or PDF a customer sends while saying (in the
same message, or a recent one) that it is a receipt or a payment proof, or a document for
staff. The file is read by a job after commit (documents/tasks.py).

Kept to words rather than to the intent classifier: the upload and its words arrive in one
request, and a file must be claimed then, before the assistant's reply job runs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.attachments.models import Attachment
from frontdesk.conversations.models import Conversation, Message
from frontdesk.documents.models import Document
from frontdesk.documents.repository import DocumentRepository
from frontdesk.kit.db import unit_of

READ_JOB = "documents.read"
READABLE_KINDS = ("image", "pdf")
# How far back a customer's words still speak about a file (before or after it).
RECENT = timedelta(minutes=30)
RECENT_MESSAGES = 6

_PAYMENT_WORDS = re.compile(
    r"\b(receipts?|proof\s+of\s+payment|payment|paid|pay|transfer(?:red)?|deposit(?:ed)?|"
    r"wire|voucher|invoice|remittance|comprobantes?|recibos?|pagos?|pagu[eé]|pagado|"
    r"transferencia|transfer[ií]|dep[oó]sito|deposit[eé]|abono|factura|boleta|ticket\s+de\s+compra)\b",
    re.IGNORECASE,
)
_DOCUMENT_WORDS = re.compile(
    r"\b(document|form|contract|id\s+card|passport|certificate|prescription|"
    r"documentos?|formularios?|contratos?|identificaci[oó]n|pasaporte|certificado|receta)\b",
    re.IGNORECASE,
)
_LINK = re.compile(
    r"\b(?P<kind>invoice|factura|ticket|case|caso|order|pedido|orden|quote|cotizaci[oó]n|"
    r"booking|reserva|ref(?:erence|erencia)?)\b\.?\s*(?:n[oº°]\.?|number|n[uú]mero|#)?\s*[:#]?\s*"
    r"(?P<ref>[A-Z0-9]+(?:-[A-Z0-9]+)*)",
    re.IGNORECASE,
)
_BARE_LINK = re.compile(r"(?:#(?P<hash>\d{2,})|\b(?P<code>[A-Z]{1,5}-\d{2,}(?:-\d+)*)\b)")
LINK_KINDS = {
    "invoice": "invoice", "factura": "invoice",
    "ticket": "ticket", "case": "ticket", "caso": "ticket",
    "order": "order", "pedido": "order", "orden": "order",
    "quote": "lead", "cotizacion": "lead", "cotización": "lead",
    "booking": "booking", "reserva": "booking",
}  # fmt: skip


def kind_from_words(text: str) -> str | None:
    if _PAYMENT_WORDS.search(text):
        return "payment_proof"
    if _DOCUMENT_WORDS.search(text):
        return "other"
    return None


def linked_reference(text: str) -> tuple[str, str]:
    """(kind, reference) the customer named: 'for invoice INV-2041' -> ('invoice', 'INV-2041')."""
    for match in _LINK.finditer(text):
        reference = match["ref"]
        if any(c.isdigit() for c in reference):
            return LINK_KINDS.get(match["kind"].lower(), ""), reference.upper()[:100]
    if bare := _BARE_LINK.search(text):
        return "", (bare["hash"] or bare["code"]).upper()[:100]
    return "", ""


async def consider(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    files: Sequence[Attachment],
) -> list[Document]:
    """Called with each new customer message and the files it carries (portal.py)."""
    if message.sender_type != "customer":
        return []
    readable = [f for f in files if f.kind in READABLE_KINDS]
    documents = DocumentRepository(session, conversation.workspace_id)
    if readable:
        # A file with words about it; or a bare file after recent words that announced it.
        note = message.text
        kind = kind_from_words(note)
        if kind is None:
            note = await documents.recent_customer_words(conversation.id, message, RECENT)
            kind = kind_from_words(note)
    else:
        # Words after the file: "that was my payment for invoice 2041".
        note, kind = message.text, kind_from_words(message.text)
        if kind is not None:
            recent = await documents.recent_unclaimed_files(
                conversation.id, READABLE_KINDS, RECENT, RECENT_MESSAGES
            )
            # Only the latest message's files: words speak of what was just sent.
            readable = [f for f in recent if f.message_id == recent[0].message_id]
    if kind is None or not readable:
        return []
    link_kind, reference = linked_reference(note)
    created = []
    for attachment in readable:
        created.append(
            documents.add(
                Document(
                    attachment_id=attachment.id,
                    conversation_id=conversation.id,
                    contact_id=conversation.contact_id,
                    kind=kind,
                    customer_note=note[:2000],
                    linked_kind=link_kind,
                    linked_reference=reference,
                )
            )
        )
    await session.flush()
    schedule_reading(session, conversation.workspace_id, [d.id for d in created])
    return created


def schedule_reading(
    session: AsyncSession, workspace_id: uuid.UUID, document_ids: Sequence[uuid.UUID]
) -> None:
    uow = unit_of(session)
    for document_id in document_ids:
        payload = {"workspace_id": str(workspace_id), "document_id": str(document_id)}

        async def enqueue(payload: dict[str, str] = payload) -> None:
            if uow.jobs is not None:
                await uow.jobs.enqueue(READ_JOB, **payload)

        uow.after_commit(enqueue)
