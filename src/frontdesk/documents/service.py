"""What staff do with documents: list, look, open the file, review (telling the customer)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.attachments.models import Attachment
from frontdesk.attachments.repository import AttachmentRepository
from frontdesk.audit import service as audit
from frontdesk.conversations.events import message_event
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import ConversationRepository, MessageRepository
from frontdesk.documents.linking import update_linked
from frontdesk.documents.models import Document
from frontdesk.documents.outcome import outcome_message
from frontdesk.documents.repository import DocumentRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import Conflict, NotFound
from frontdesk.storage import FileStorage
from frontdesk.workspaces.permissions import Permission, WorkspaceContext


async def list_documents(
    session: AsyncSession, ctx: WorkspaceContext, status: str | None, limit: int, offset: int
) -> list[tuple[Document, Attachment]]:
    ctx.require(Permission.VIEW)
    documents = await DocumentRepository(session, ctx.workspace_id).page(status, limit, offset)
    return await _with_files(session, ctx, documents)


async def get(
    session: AsyncSession, ctx: WorkspaceContext, document_id: uuid.UUID
) -> tuple[Document, Attachment]:
    ctx.require(Permission.VIEW)
    document = await DocumentRepository(session, ctx.workspace_id).get(document_id)
    if document is None:
        raise NotFound("No such document.")
    [pair] = await _with_files(session, ctx, [document])
    return pair


async def open_file(
    session: AsyncSession, ctx: WorkspaceContext, storage: FileStorage, document_id: uuid.UUID
) -> tuple[Attachment, bytes]:
    """The file, for staff of the document's workspace (the customer has their chat's
    capability URL; nobody else reaches it)."""
    _document, attachment = await get(session, ctx, document_id)
    return attachment, await storage.load(attachment.storage_key)


async def review(
    session: AsyncSession,
    ctx: WorkspaceContext,
    document_id: uuid.UUID,
    decision: str,
    note: str,
) -> tuple[Document, Attachment]:
    """Decide once; the customer is told in their chat. The same decision sent again (a
    retry) changes nothing; a different one for a decided document is a conflict."""
    ctx.require(Permission.RESPOND)
    document = await DocumentRepository(session, ctx.workspace_id).get_for_update(document_id)
    if document is None:
        raise NotFound("No such document.")
    if document.status != "pending":
        if document.status == decision:
            [pair] = await _with_files(session, ctx, [document])
            return pair
        raise Conflict(
            f"This document was already {document.status}.",
            details={"status": document.status},
        )
    document.status, document.review_note = decision, note.strip()
    document.reviewer_id, document.reviewed_at = ctx.user_id, utcnow()
    document.updated_at = document.reviewed_at
    await _tell_customer(session, ctx, document)
    await update_linked(session, ctx, document)
    await audit.record_by(
        session,
        ctx,
        f"document.{decision}",
        target=("document", document.id),
        details={"kind": document.kind, "reference": document.linked_reference},
    )
    [pair] = await _with_files(session, ctx, [document])
    return pair


async def _tell_customer(session: AsyncSession, ctx: WorkspaceContext, document: Document) -> None:
    """A staff message in the customer's chat, with its event (the portal shows it live). It
    does not take the conversation over from the assistant, unlike a reply typed by staff."""
    conversation = await ConversationRepository(session, ctx.workspace_id).get(
        document.conversation_id
    )
    if conversation is None:
        return
    message = MessageRepository(session, ctx.workspace_id).add(
        Message(
            conversation_id=conversation.id,
            sender_type="staff",
            sender_name=ctx.user.full_name,
            sender_user_id=ctx.user_id,
            text=outcome_message(document),
            created_at=utcnow(),
            meta={"document_id": str(document.id), "document_status": document.status},
        )
    )
    conversation.last_message_at = message.created_at
    await session.flush()
    await message_event(session, "message:new", message)


async def customer_names(
    session: AsyncSession, ctx: WorkspaceContext, conversation_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The name each conversation's customer gave, for the review page."""
    ctx.require(Permission.VIEW)
    if not conversation_ids:
        return {}
    repo = ConversationRepository(session, ctx.workspace_id)
    found = await session.execute(repo.scoped().where(Conversation.id.in_(conversation_ids)))
    return {c.id: c.customer_name for c in found.scalars()}


async def _with_files(
    session: AsyncSession, ctx: WorkspaceContext, documents: Sequence[Document]
) -> list[tuple[Document, Attachment]]:
    files = AttachmentRepository(session, ctx.workspace_id)
    ids = [d.attachment_id for d in documents]
    found = await session.execute(files.scoped().where(Attachment.id.in_(ids))) if ids else None
    by_id = {a.id: a for a in found.scalars()} if found is not None else {}
    return [(d, by_id[d.attachment_id]) for d in documents if d.attachment_id in by_id]
