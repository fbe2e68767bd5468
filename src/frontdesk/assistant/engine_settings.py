"""Which engine writes a workspace's replies, its (sealed) API key, and what it costs."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import service as assistant_service
from frontdesk.assistant.models import AssistantProfile
from frontdesk.assistant.providers import DEFAULT_BASE_URLS, Provider, ProviderConfig
from frontdesk.assistant.repository import ModelUsageRepository
from frontdesk.assistant.schemas import EngineOut, EngineUpdate, UsageOut, UsageRow
from frontdesk.audit import service as audit
from frontdesk.kit.db import utcnow
from frontdesk.kit.secrets import SecretBox, SecretUnreadable
from frontdesk.settings import Settings
from frontdesk.workspaces.permissions import Permission, WorkspaceContext


def engine_out(profile: AssistantProfile) -> EngineOut:
    return EngineOut(
        provider=profile.engine_provider,  # type: ignore[arg-type]
        base_url=profile.engine_base_url,
        model=profile.engine_model,
        api_key_set=bool(profile.engine_api_key),
    )


async def get(session: AsyncSession, ctx: WorkspaceContext) -> EngineOut:
    ctx.require(Permission.VIEW)
    return engine_out(await assistant_service.get_for_workspace(session, ctx.workspace_id))


async def update(
    session: AsyncSession, ctx: WorkspaceContext, box: SecretBox, data: EngineUpdate
) -> EngineOut:
    ctx.require(Permission.MANAGE_SETTINGS)
    profile = await assistant_service.get_for_workspace(session, ctx.workspace_id)
    profile.engine_provider = data.provider
    profile.engine_base_url = data.base_url
    profile.engine_model = data.model.strip()
    if data.api_key is not None:  # omitted: keep the stored key
        profile.engine_api_key = box.seal(data.api_key.strip()) if data.api_key.strip() else ""
    await audit.record_by(
        session,
        ctx,
        "engine.updated",
        target=("assistant", profile.id),
        # Never the key itself: only whether it changed.
        details={
            "provider": data.provider,
            "model": data.model,
            "key_changed": data.api_key is not None,
        },
    )
    await session.flush()
    return engine_out(profile)


def provider_config(
    profile: AssistantProfile, box: SecretBox, settings: Settings
) -> ProviderConfig:
    """The engine a reply job builds. A key that no longer decrypts (the server secret
    changed) means the local engine answers, rather than a failing call per message."""
    provider = cast(Provider, profile.engine_provider)  # the column only takes these values
    if provider == "local":
        return ProviderConfig(provider="local")
    try:
        key = box.open(profile.engine_api_key) if profile.engine_api_key else ""
    except SecretUnreadable:
        return ProviderConfig(provider="local")
    return ProviderConfig(
        provider=provider,
        model=profile.engine_model,
        base_url=profile.engine_base_url or DEFAULT_BASE_URLS[provider],
        api_key=key,
        timeout_seconds=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
    )


async def usage(session: AsyncSession, ctx: WorkspaceContext, days: int) -> UsageOut:
    ctx.require(Permission.VIEW)
    since = utcnow() - timedelta(days=days)
    rows = await ModelUsageRepository(session, ctx.workspace_id).totals(since)
    return UsageOut(
        since=since,
        rows=[
            UsageRow(provider=r[0], model=r[1], calls=r[2], input_tokens=r[3], output_tokens=r[4])
            for r in rows
        ],
    )
