from __future__ import annotations

from fastapi import APIRouter

from frontdesk.assistant import service
from frontdesk.assistant.schemas import (
    AssistantOptions,
    AssistantOut,
    AssistantUpdate,
    SystemPromptOut,
)
from frontdesk.deps import Ctx, Uow

router = APIRouter(prefix="/api/workspace/assistant", tags=["assistant"])


@router.get("", response_model=AssistantOut)
async def get_assistant(uow: Uow, ctx: Ctx) -> AssistantOut:
    return AssistantOut.model_validate(await service.get(uow.session, ctx))


@router.put("", response_model=AssistantOut)
async def update_assistant(data: AssistantUpdate, uow: Uow, ctx: Ctx) -> AssistantOut:
    return AssistantOut.model_validate(await service.update(uow.session, ctx, data))


@router.get("/options", response_model=AssistantOptions)
async def assistant_options(ctx: Ctx) -> AssistantOptions:
    return service.options()


@router.get("/prompt", response_model=SystemPromptOut)
async def system_prompt(uow: Uow, ctx: Ctx) -> SystemPromptOut:
    return SystemPromptOut(prompt=await service.system_prompt(uow.session, ctx))
