"""The recovery sweep: work still owed after a process died, queued again.

Queues deliver at least once while their process lives; what a dead process never finished
(the in-process queue's jobs die with the server; a job lost before it reached Redis) is
found here, from the database, which is the truth: customer messages still owed a reply,
voice notes still waiting for their transcript, knowledge sources left queued or processing.
The sweep runs when jobs start to be scheduled (server or worker start) and then every
``recovery_interval_seconds``. Work younger than ``recovery_grace_seconds`` is left alone (its
job is probably still running); re-queued jobs are idempotent, so a job that was in fact
still running does its work once.

These are the only cross-workspace queries outside the accounts: each row found carries its
workspace id into a job, which then works inside that workspace.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.attachments.models import Attachment
from frontdesk.attachments.service import TRANSCRIBE_JOB
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.replies import REPLY_JOB
from frontdesk.jobs.queue import every, job
from frontdesk.kit.db import utcnow
from frontdesk.knowledge.models import KnowledgeSource
from frontdesk.knowledge.sync import INGEST_JOB

log = logging.getLogger("frontdesk.recovery")
RECOVERY_JOB = "recovery.sweep"
# An import may legitimately work for minutes (a crawl); it reports progress as it goes.
STALE_PROCESSING = timedelta(minutes=15)
BATCH = 500
# A job re-queued this often by one process and still owed is failing, not lost: stop
# re-queueing it (its errors are in the log; the message waits for staff).
MAX_REQUEUES = 3
_requeued: dict[tuple[str, ...], int] = {}


async def owed_replies(
    session: AsyncSession, since: datetime, before: datetime
) -> Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID]]:
    """(workspace, conversation, message) of customer messages that are the newest word in a
    conversation the assistant may answer, written between ``since`` and ``before``, not
    waiting for a voice note's transcript."""
    later = aliased(Message)
    answered = exists().where(
        later.conversation_id == Message.conversation_id,
        later.status.in_(("sent", "draft")),
        or_(
            later.created_at > Message.created_at,
            and_(later.created_at == Message.created_at, later.id > Message.id),
        ),
    )
    transcribing = exists().where(
        Attachment.message_id == Message.id, Attachment.transcript_status == "pending"
    )
    statement = (
        select(Message.workspace_id, Message.conversation_id, Message.id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Conversation.status == "open",
            Conversation.ai_mode != "off",
            Conversation.ai_paused.is_(False),
            Conversation.last_message_at >= since,
            Message.sender_type == "customer",
            Message.status == "sent",
            Message.created_at >= since,
            Message.created_at < before,
            ~answered,
            ~transcribing,
        )
        .limit(BATCH)
    )
    return [tuple(row) for row in (await session.execute(statement)).all()]  # type: ignore[misc]


async def pending_transcripts(
    session: AsyncSession, since: datetime, before: datetime
) -> Sequence[tuple[uuid.UUID, uuid.UUID]]:
    statement = (
        select(Attachment.workspace_id, Attachment.id)
        .where(
            Attachment.transcript_status == "pending",
            Attachment.message_id.is_not(None),
            Attachment.created_at >= since,
            Attachment.created_at < before,
        )
        .limit(BATCH)
    )
    return [tuple(row) for row in (await session.execute(statement)).all()]  # type: ignore[misc]


async def stalled_sources(
    session: AsyncSession, since: datetime, before: datetime
) -> Sequence[tuple[uuid.UUID, uuid.UUID]]:
    stale = min(before, utcnow() - STALE_PROCESSING)
    statement = (
        select(KnowledgeSource.workspace_id, KnowledgeSource.id)
        .where(
            KnowledgeSource.updated_at >= since,
            or_(
                and_(KnowledgeSource.status == "queued", KnowledgeSource.updated_at < before),
                and_(KnowledgeSource.status == "processing", KnowledgeSource.updated_at < stale),
            ),
        )
        .limit(BATCH)
    )
    return [tuple(row) for row in (await session.execute(statement)).all()]  # type: ignore[misc]


@job(RECOVERY_JOB)
async def sweep(services: Any) -> None:
    settings = services.settings
    now = utcnow()
    since = now - timedelta(hours=settings.recovery_window_hours)
    before = now - timedelta(seconds=settings.recovery_grace_seconds)
    async with services.db.unit_of_work() as uow:  # reads only; jobs leave below
        replies = await owed_replies(uow.session, since, before)
        transcripts = await pending_transcripts(uow.session, since, before)
        sources = await stalled_sources(uow.session, since, before)
    work: list[tuple[str, dict[str, str]]] = [
        (REPLY_JOB, {"workspace_id": str(w), "conversation_id": str(c), "trigger_id": str(m)})
        for w, c, m in replies
    ]
    work += [
        (TRANSCRIBE_JOB, {"workspace_id": str(w), "attachment_id": str(a)}) for w, a in transcripts
    ]
    work += [(INGEST_JOB, {"workspace_id": str(w), "source_id": str(s)}) for w, s in sources]
    queued = 0
    for name, kwargs in work:
        key = (name, *kwargs.values())
        if _requeued.get(key, 0) >= MAX_REQUEUES:
            continue
        _requeued[key] = _requeued.get(key, 0) + 1
        await services.jobs.enqueue(name, **kwargs)
        queued += 1
    if queued:
        log.warning("recovery: queued %d jobs a stopped process never finished", queued)
    if len(_requeued) > 10 * BATCH:  # keep only what is still owed
        owed = {(name, *kwargs.values()) for name, kwargs in work}
        for key in [k for k in _requeued if k not in owed]:
            del _requeued[key]


every(lambda settings: settings.recovery_interval_seconds, RECOVERY_JOB, at_start=True)
