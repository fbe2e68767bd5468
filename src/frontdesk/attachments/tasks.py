"""Background jobs for attachments: transcribing voice notes, expiring unused uploads."""

from __future__ import annotations

import logging
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from frontdesk.attachments.models import Attachment
from frontdesk.attachments.removal import REMOVE_FILES_JOB
from frontdesk.attachments.repository import AttachmentFiles, AttachmentRepository
from frontdesk.attachments.service import CLEANUP_JOB, TRANSCRIBE_JOB
from frontdesk.conversations.events import message_event
from frontdesk.conversations.models import Message
from frontdesk.conversations.replies import schedule_reply
from frontdesk.conversations.repository import ConversationRepository, MessageRepository
from frontdesk.jobs.queue import every, job
from frontdesk.kit.db import utcnow

log = logging.getLogger("frontdesk.attachments")
UNATTACHED_LIFETIME = timedelta(hours=24)


@job(TRANSCRIBE_JOB)
async def transcribe(services: Any, workspace_id: str, attachment_id: str) -> None:
    """Transcribe outside any transaction, then write the transcript as the message's text
    and let the assistant answer it."""
    wid, aid = uuid.UUID(workspace_id), uuid.UUID(attachment_id)
    async with services.unit_of_work() as uow:
        attachment = await AttachmentRepository(uow.session, wid).get(aid)
        if attachment is None or attachment.transcript_status != "pending":
            return  # already done: jobs may run twice
        key = attachment.storage_key
    try:
        text = await _transcribe(services, key)
        status = "done"
    except Exception:  # a broken recording must not stop the conversation
        log.exception("transcription of attachment %s failed", aid)
        text, status = "", "failed"
    async with services.unit_of_work() as uow:
        attachment = await AttachmentRepository(uow.session, wid).get(aid)
        if attachment is None or attachment.message_id is None:
            return
        attachment.transcript, attachment.transcript_status = text, status
        message = await MessageRepository(uow.session, wid).get(attachment.message_id)
        conversation = await ConversationRepository(uow.session, wid).get(
            attachment.conversation_id
        )
        if message is None or conversation is None:
            return
        if text and not message.text:
            message.text = text  # what the assistant (and search) reads
        await uow.session.flush()
        await message_event(uow.session, "message:updated", message)
        if await _all_transcribed(uow.session, wid, message):
            await schedule_reply(uow.session, conversation, message)


async def _transcribe(services: Any, key: str) -> str:
    path = services.storage.local_path(key)
    if path is not None:
        return str(await services.speech.transcribe(path))
    with tempfile.NamedTemporaryFile(suffix=".audio") as handle:
        handle.write(await services.storage.load(key))
        handle.flush()
        return str(await services.speech.transcribe(Path(handle.name)))


async def _all_transcribed(session: Any, workspace_id: uuid.UUID, message: Message) -> bool:
    attachments = (
        await AttachmentRepository(session, workspace_id).for_messages([message.id])
    ).get(message.id, [])
    return all(a.transcript_status != "pending" for a in attachments)


@job(CLEANUP_JOB)
async def remove_unattached(services: Any) -> None:
    """Uploads never attached to a message are removed after a day (files and rows)."""
    async with services.unit_of_work() as uow:
        expired: list[Attachment] = list(
            await AttachmentFiles(uow.session).unattached_before(utcnow() - UNATTACHED_LIFETIME)
        )
        keys = [a.storage_key for a in expired]
        for attachment in expired:
            await uow.session.delete(attachment)
    for key in keys:  # after the commit: a failed commit leaves rows pointing at files
        await services.storage.delete(key)
    if keys:
        log.info("removed %d unattached uploads", len(keys))


@job(REMOVE_FILES_JOB)
async def remove_files(services: Any, keys: list[str]) -> None:
    """The stored bytes of a deleted message's files (their rows are already gone). Safe to
    run again: a file already removed is skipped by ``storage.delete``."""
    for key in keys:
        await services.storage.delete(key)


every(3600, CLEANUP_JOB)
