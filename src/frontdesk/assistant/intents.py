"""Custom intents: the owner teaches the assistant phrases and an answer.

Saving one retrains this workspace's classifier in this process straight away (well under a
second: the built-in examples' features are cached); other processes notice the changed
fingerprint on their next message and retrain then.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant.intent_models import BUILTIN_LABELS, CustomIntentData, intent_models
from frontdesk.assistant.models import CustomIntent
from frontdesk.assistant.repository import CustomIntentRepository
from frontdesk.assistant.schemas import CustomIntentIn
from frontdesk.audit import service as audit
from frontdesk.kit.errors import Conflict, FrontdeskError, NotFound
from frontdesk.knowledge import sync as knowledge_sync
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

MAX_CUSTOM_INTENTS = 100


async def list_intents(session: AsyncSession, ctx: WorkspaceContext) -> Sequence[CustomIntent]:
    ctx.require(Permission.VIEW)
    return await CustomIntentRepository(session, ctx.workspace_id).all(CustomIntent.name)


async def create(
    session: AsyncSession, ctx: WorkspaceContext, data: CustomIntentIn
) -> CustomIntent:
    ctx.require(Permission.MANAGE_SETTINGS)
    repository = CustomIntentRepository(session, ctx.workspace_id)
    existing = await repository.all()
    if len(existing) >= MAX_CUSTOM_INTENTS:
        raise FrontdeskError(f"A workspace can have at most {MAX_CUSTOM_INTENTS} custom intents.")
    _check_name(data.name)
    if await repository.by_name(data.name):
        raise Conflict(f"There is already an intent named {data.name!r}.")
    intent = repository.add(CustomIntent(**data.model_dump()))
    await session.flush()
    await audit.record_by(session, ctx, "intent.created", target=("intent", intent.id))
    await _mirror(session, intent)
    await _retrain(session, ctx)
    return intent


async def update(
    session: AsyncSession, ctx: WorkspaceContext, intent_id: uuid.UUID, data: CustomIntentIn
) -> CustomIntent:
    ctx.require(Permission.MANAGE_SETTINGS)
    repository = CustomIntentRepository(session, ctx.workspace_id)
    intent = await _get(repository, intent_id)
    _check_name(data.name)
    other = await repository.by_name(data.name)
    if other is not None and other.id != intent.id:
        raise Conflict(f"There is already an intent named {data.name!r}.")
    for field, value in data.model_dump().items():
        setattr(intent, field, value)
    await session.flush()
    await audit.record_by(session, ctx, "intent.updated", target=("intent", intent.id))
    await _mirror(session, intent)
    await _retrain(session, ctx)
    return intent


async def delete(session: AsyncSession, ctx: WorkspaceContext, intent_id: uuid.UUID) -> None:
    ctx.require(Permission.MANAGE_SETTINGS)
    repository = CustomIntentRepository(session, ctx.workspace_id)
    intent = await _get(repository, intent_id)
    await repository.delete(intent)
    await session.flush()
    await audit.record_by(session, ctx, "intent.deleted", target=("intent", intent_id))
    await knowledge_sync.remove_intent(session, ctx.workspace_id, intent_id)
    await _retrain(session, ctx)


async def workspace_intents(
    session: AsyncSession, workspace_id: uuid.UUID
) -> list[CustomIntentData]:
    """The workspace's custom intents, detached from the session (for the classifier)."""
    rows = await CustomIntentRepository(session, workspace_id).all(CustomIntent.name)
    return [CustomIntentData(r.name, tuple(r.examples), r.answer, r.action) for r in rows]


async def _retrain(session: AsyncSession, ctx: WorkspaceContext) -> None:
    custom = await workspace_intents(session, ctx.workspace_id)
    await asyncio.to_thread(
        intent_models.classifier_for, ctx.workspace_id, custom, ctx.workspace.language
    )


async def _mirror(session: AsyncSession, intent: CustomIntent) -> None:
    """The intent's answer is knowledge too: found for questions worded unlike its examples."""
    await knowledge_sync.sync_intent(
        session,
        intent.workspace_id,
        intent.id,
        intent.name,
        list(intent.examples),
        intent.answer,
        intent.action,
    )


async def _get(repository: CustomIntentRepository, intent_id: uuid.UUID) -> CustomIntent:
    intent = await repository.get(intent_id)
    if intent is None:
        raise NotFound("No such intent in this workspace.")
    return intent


def _check_name(name: str) -> None:
    if name.replace(" ", "_") in BUILTIN_LABELS:
        raise Conflict(f"{name!r} is a built-in intent; choose another name.")
