"""A deleted message takes its files with it.

The rows go in the deleting unit of work, so the files' links answer 404 as soon as the
deletion is committed; the stored bytes are removed afterwards by a job
(``attachments.tasks.remove_files``). Deleting a file that is already gone is not an
error, so the job may run twice (a redelivered job, a retry) without harm.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.attachments.repository import AttachmentRepository
from frontdesk.kit.db import unit_of

REMOVE_FILES_JOB = "attachments.remove_files"


async def discard_for_message(
    session: AsyncSession, workspace_id: uuid.UUID, message_id: uuid.UUID
) -> int:
    """Delete the message's attachments; their bytes are removed once this is committed.
    Returns how many there were."""
    found = await AttachmentRepository(session, workspace_id).for_messages([message_id])
    files = found.get(message_id, [])
    if not files:
        return 0
    keys = [attachment.storage_key for attachment in files]
    for attachment in files:
        await session.delete(attachment)
    await session.flush()
    uow = unit_of(session)

    async def enqueue() -> None:
        if uow.jobs is not None:
            await uow.jobs.enqueue(REMOVE_FILES_JOB, keys=keys)

    uow.after_commit(enqueue)  # never before: a rolled-back deletion keeps its files
    return len(files)
