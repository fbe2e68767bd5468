"""The owner's controls over the assistant's brain: custom intents and the reply engine."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, status

from frontdesk.assistant import engine_settings, intents
from frontdesk.assistant.intent_models import BUILTIN_LABELS
from frontdesk.assistant.schemas import (
    CustomIntentIn,
    CustomIntentList,
    CustomIntentOut,
    EngineOut,
    EngineUpdate,
    UsageOut,
)
from frontdesk.deps import Ctx, Svc, Uow

intents_router = APIRouter(prefix="/api/workspace/intents", tags=["assistant"])
engine_router = APIRouter(prefix="/api/workspace/engine", tags=["assistant"])


@intents_router.get("", response_model=CustomIntentList)
async def list_intents(uow: Uow, ctx: Ctx) -> CustomIntentList:
    rows = await intents.list_intents(uow.session, ctx)
    return CustomIntentList(
        intents=[CustomIntentOut.model_validate(r) for r in rows], builtin=list(BUILTIN_LABELS)
    )


@intents_router.post("", response_model=CustomIntentOut, status_code=status.HTTP_201_CREATED)
async def create_intent(data: CustomIntentIn, uow: Uow, ctx: Ctx) -> CustomIntentOut:
    return CustomIntentOut.model_validate(await intents.create(uow.session, ctx, data))


@intents_router.put("/{intent_id}", response_model=CustomIntentOut)
async def update_intent(
    intent_id: uuid.UUID, data: CustomIntentIn, uow: Uow, ctx: Ctx
) -> CustomIntentOut:
    return CustomIntentOut.model_validate(await intents.update(uow.session, ctx, intent_id, data))


@intents_router.delete("/{intent_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_intent(intent_id: uuid.UUID, uow: Uow, ctx: Ctx) -> None:
    await intents.delete(uow.session, ctx, intent_id)


@engine_router.get("", response_model=EngineOut)
async def get_engine(uow: Uow, ctx: Ctx) -> EngineOut:
    return await engine_settings.get(uow.session, ctx)


@engine_router.put("", response_model=EngineOut)
async def update_engine(data: EngineUpdate, uow: Uow, ctx: Ctx, svc: Svc) -> EngineOut:
    return await engine_settings.update(uow.session, ctx, svc.secrets, data, svc.settings)


@engine_router.get("/usage", response_model=UsageOut)
async def engine_usage(uow: Uow, ctx: Ctx, days: int = Query(30, ge=1, le=366)) -> UsageOut:
    return await engine_settings.usage(uow.session, ctx, days)
