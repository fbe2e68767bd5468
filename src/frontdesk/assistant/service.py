"""Reading and shaping the assistant's persona, and rendering it into a system prompt."""

from __future__ import annotations

import dataclasses
import re
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant.models import AssistantProfile
from frontdesk.assistant.persona import DEFAULT_PERSONALITY, DEFAULT_ROLE, PERSONALITIES, ROLES
from frontdesk.assistant.prompt import PromptInput, build_system_prompt
from frontdesk.assistant.repository import AssistantRepository
from frontdesk.assistant.schemas import AssistantOptions, AssistantUpdate, PersonalityOut, RoleOut
from frontdesk.audit import service as audit
from frontdesk.kit.errors import NotFound
from frontdesk.knowledge import sync as knowledge_sync
from frontdesk.workspaces.models import Workspace
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

DEFAULT_NAME = "Ava"
DEFAULT_QUICK_PROMPTS = [
    "What are your opening hours?",
    "I'd like to book an appointment",
    "How much does it cost?",
    "I need to talk to someone",
]


async def create_default(session: AsyncSession, workspace: Workspace) -> AssistantProfile:
    return AssistantRepository(session, workspace.id).add(
        AssistantProfile(
            name=DEFAULT_NAME,
            role=DEFAULT_ROLE,
            personality=DEFAULT_PERSONALITY,
            greeting=f"Hi! I'm {DEFAULT_NAME}, the virtual assistant of {workspace.name}. "
            "How can I help you today?",
            quick_prompts=list(DEFAULT_QUICK_PROMPTS),
        )
    )


async def get_for_workspace(session: AsyncSession, workspace_id: uuid.UUID) -> AssistantProfile:
    profile = await AssistantRepository(session, workspace_id).current()
    if profile is None:  # every workspace is created with one; absence is a data error
        raise NotFound("This workspace has no assistant yet.")
    return profile


async def get(session: AsyncSession, ctx: WorkspaceContext) -> AssistantProfile:
    ctx.require(Permission.VIEW)
    return await get_for_workspace(session, ctx.workspace_id)


def greeting_renamed(greeting: str, old_name: str, new_name: str) -> str:
    """The greeting after a rename: the old name, where it stands as a word, becomes the new
    one (the default greeting introduces the assistant by name; so do most owners')."""
    if not old_name.strip() or old_name == new_name:
        return greeting
    return re.sub(rf"(?<!\w){re.escape(old_name.strip())}(?!\w)", new_name.strip(), greeting)


async def update(
    session: AsyncSession, ctx: WorkspaceContext, data: AssistantUpdate
) -> AssistantProfile:
    ctx.require(Permission.MANAGE_SETTINGS)
    profile = await get_for_workspace(session, ctx.workspace_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if changes.get("name") and "greeting" not in changes:
        greeting = greeting_renamed(profile.greeting, profile.name, changes["name"])
        if greeting != profile.greeting:
            changes["greeting"] = greeting
    for field, value in changes.items():
        setattr(profile, field, value)
    await audit.record_by(
        session,
        ctx,
        "assistant.updated",
        target=("assistant", profile.id),
        details={"fields": sorted(changes)},
    )
    await session.flush()
    if "instructions" in changes:  # what the owner wrote is knowledge the assistant quotes
        await knowledge_sync.sync_instructions(session, ctx.workspace_id, profile.instructions)
    return profile


def options() -> AssistantOptions:
    return AssistantOptions(
        roles=[
            RoleOut(
                key=r.key,
                label=r.label,
                description=r.description,
                duties=list(r.duties),
                guardrails=list(r.guardrails),
                disclaimer=r.disclaimer,
            )
            for r in ROLES.values()
        ],
        personalities=[PersonalityOut(**dataclasses.asdict(p)) for p in PERSONALITIES.values()],
    )


async def system_prompt(session: AsyncSession, ctx: WorkspaceContext) -> str:
    ctx.require(Permission.VIEW)
    profile = await get_for_workspace(session, ctx.workspace_id)
    return build_system_prompt(prompt_input(ctx.workspace, profile))


def prompt_input(workspace: Workspace, profile: AssistantProfile) -> PromptInput:
    return PromptInput(
        assistant_name=profile.name,
        role=profile.role,
        personality=profile.personality,
        instructions=profile.instructions,
        business_name=workspace.name,
        owner_name=workspace.owner_name,
        occupation=workspace.occupation,
        industry=workspace.industry,
        timezone=workspace.timezone,
        language=workspace.language,
        contact_email=workspace.contact_email,
        contact_phone=workspace.contact_phone,
        address=workspace.address,
        website=workspace.website,
        business_hours=workspace.business_hours,
        country=workspace.country,
    )
