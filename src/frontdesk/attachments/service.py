"""Storing uploads, attaching them to messages, and handing files back out."""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Sequence
from typing import BinaryIO

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.attachments.detection import detect_file, display_name
from frontdesk.attachments.models import Attachment
from frontdesk.attachments.repository import AttachmentFiles, AttachmentRepository, remember
from frontdesk.conversations.models import Conversation, Message
from frontdesk.kit.db import unit_of
from frontdesk.kit.errors import FrontdeskError, InvalidInput, NotFound
from frontdesk.kit.security import new_opaque_token
from frontdesk.storage import FileStorage

TRANSCRIBE_JOB = "attachments.transcribe"
CLEANUP_JOB = "attachments.cleanup"
ALLOWED_DESCRIPTION = "images (JPEG, PNG, GIF, WebP), PDF, Word, Excel, PowerPoint and audio"


class FileTooLarge(FrontdeskError):
    status_code = 413
    code = "file_too_large"


class UnsupportedFile(FrontdeskError):
    status_code = 415
    code = "unsupported_file_type"


def size_in_mb(size: int) -> int:
    return max(1, math.ceil(size / 1_000_000))


def refuse_oversized(size: int, limit_mb: int) -> None:
    if size > limit_mb * 1_000_000:
        raise FileTooLarge(
            f"Files can be at most {limit_mb} MB.", details={"limit_mb": limit_mb, "size": size}
        )


async def store_upload(
    session: AsyncSession,
    storage: FileStorage,
    conversation: Conversation,
    filename: str | None,
    source: BinaryIO,
    size: int,
    limit_mb: int,
) -> Attachment:
    """Check, then store, copying from the spooled upload in chunks (never read whole).
    A refused file is never written anywhere."""
    refuse_oversized(size, limit_mb)
    if not size:
        raise InvalidInput("file", "The file is empty.")
    kind = await asyncio.to_thread(detect_file, source)
    if kind is None:
        raise UnsupportedFile(f"This kind of file is not accepted. Send {ALLOWED_DESCRIPTION}.")
    key = uuid.uuid4().hex
    attachment = AttachmentRepository(session, conversation.workspace_id).add(
        Attachment(
            conversation_id=conversation.id,
            storage_key=key,
            access_key=new_opaque_token(),
            filename=display_name(filename, kind),
            content_type=kind.content_type,
            kind=kind.kind,
            size=size,
            transcript_status="none",
        )
    )
    await storage.save_file(key, source)
    unit_of(session).on_rollback(lambda: storage.delete(key))
    await session.flush()
    return attachment


async def attach(
    session: AsyncSession, conversation: Conversation, message: Message, ids: Sequence[uuid.UUID]
) -> list[Attachment]:
    """Give uploads to a message; audio waits for its transcript."""
    if not ids:
        remember(session, message.id, [])
        return []
    found = await AttachmentRepository(session, conversation.workspace_id).unattached(
        conversation.id, ids
    )
    if len(found) != len(set(ids)):
        raise InvalidInput("attachment_ids", "Unknown or already used upload.")
    uow = unit_of(session)
    for attachment in found:
        attachment.message_id = message.id
        if attachment.kind == "audio":
            attachment.transcript_status = "pending"
            payload = {
                "workspace_id": str(attachment.workspace_id),
                "attachment_id": str(attachment.id),
            }

            async def enqueue(payload: dict[str, str] = payload) -> None:
                if uow.jobs is not None:
                    await uow.jobs.enqueue(TRANSCRIBE_JOB, **payload)

            uow.after_commit(enqueue)
    await session.flush()
    remember(session, message.id, found)
    return list(found)


def awaits_transcript(attachments: Sequence[Attachment]) -> bool:
    return any(a.transcript_status == "pending" for a in attachments)


async def open_file(
    session: AsyncSession, storage: FileStorage, attachment_id: uuid.UUID, access_key: str
) -> tuple[Attachment, bytes]:
    attachment = await AttachmentFiles(session).by_access(attachment_id, access_key)
    if attachment is None:
        raise NotFound("No such file.")
    return attachment, await storage.load(attachment.storage_key)
