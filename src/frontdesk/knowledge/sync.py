"""Keeping the assistant's own words in the knowledge base.

The owner's instructions and each custom intent's answer are knowledge too: when they change
(through the assistant and intent services), their mirrored source is rewritten and
re-ingested after commit. A workspace that had instructions before the knowledge base
existed is brought in step on its first search (``ensure_synced``).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.kit.db import unit_of, utcnow
from frontdesk.knowledge.models import KnowledgeSource
from frontdesk.knowledge.repository import SourceRepository

INGEST_JOB = "knowledge.ingest"
INSTRUCTIONS_ORIGIN = "assistant"
_synced: set[uuid.UUID] = set()  # workspaces checked by this process


def enqueue_ingest(session: AsyncSession, source: KnowledgeSource) -> None:
    """Ingest ``source`` after the current unit of work commits."""
    uow = unit_of(session)
    payload = {"workspace_id": str(source.workspace_id), "source_id": str(source.id)}

    async def enqueue() -> None:
        if uow.jobs is not None:
            await uow.jobs.enqueue(INGEST_JOB, **payload)

    uow.after_commit(enqueue)


async def mirror(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    *,
    kind: str,
    origin: str,
    title: str,
    body: str,
    question: str = "",
) -> None:
    """Create, update or (when ``body`` is empty) remove the source mirroring ``origin``."""
    sources = SourceRepository(session, workspace_id)
    source = await sources.by_origin(kind, origin)
    if not body.strip():
        if source is not None:
            await sources.delete(source)
        return
    if source is None:
        source = sources.add(KnowledgeSource(kind=kind, origin=origin))
    elif (source.title, source.body, source.question) == (title, body, question):
        if source.status == "queued":  # written without a queue (the demo), or its job lost
            enqueue_ingest(session, source)
        return
    source.title, source.body, source.question = title, body, question
    source.status, source.error, source.progress = "queued", "", 0
    source.updated_at = utcnow()
    await session.flush()
    enqueue_ingest(session, source)


async def sync_instructions(session: AsyncSession, workspace_id: uuid.UUID, text: str) -> None:
    await mirror(
        session,
        workspace_id,
        kind="instructions",
        origin=INSTRUCTIONS_ORIGIN,
        title="Assistant instructions",
        body=text,
    )


async def sync_intent(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    intent_id: uuid.UUID,
    name: str,
    examples: list[str],
    answer: str,
    action: str,
) -> None:
    body = answer if action == "answer" else ""
    await mirror(
        session,
        workspace_id,
        kind="intent",
        origin=str(intent_id),
        title=name.replace("_", " ").capitalize(),
        body=body,
        question=" / ".join(examples[:12]),
    )


async def remove_intent(
    session: AsyncSession, workspace_id: uuid.UUID, intent_id: uuid.UUID
) -> None:
    await mirror(session, workspace_id, kind="intent", origin=str(intent_id), title="", body="")


async def ensure_synced(session: AsyncSession, workspace_id: uuid.UUID) -> None:
    """Mirror instructions and intents written before the knowledge base existed (once per
    workspace and process; cheap afterwards)."""
    if workspace_id in _synced:
        return
    from frontdesk.assistant.models import AssistantProfile, CustomIntent

    profile = (
        await session.execute(
            select(AssistantProfile).where(AssistantProfile.workspace_id == workspace_id)
        )
    ).scalar_one_or_none()
    if profile is not None:
        await sync_instructions(session, workspace_id, profile.instructions)
    intents = await session.execute(
        select(CustomIntent).where(CustomIntent.workspace_id == workspace_id)
    )
    for intent in intents.scalars():
        await sync_intent(
            session,
            workspace_id,
            intent.id,
            intent.name,
            list(intent.examples),
            intent.answer,
            intent.action,
        )
    _synced.add(workspace_id)
