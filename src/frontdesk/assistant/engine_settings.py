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
from frontdesk.kit.errors import InvalidInput
from frontdesk.kit.outbound import ALLOW_SETTING, BlockedAddress, check_url_async
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


def _destination(provider: str, base_url: str) -> tuple[str, str] | None:
    """Where a reply's request (and the key with it) goes; None for the local engine."""
    if provider == "local":
        return None
    return provider, base_url or DEFAULT_BASE_URLS[cast(Provider, provider)]


def _refuse_moving_the_key(profile: AssistantProfile, data: EngineUpdate) -> None:
    """A saved key is only ever sent where it was entered: whoever changes where it goes
    (another provider, another base URL) must know the key. Otherwise an admin could point
    the engine at their own server and capture the owner's key with the next reply."""
    if data.api_key is not None or not profile.engine_api_key:
        return  # a new key (or its removal) comes with the change; or there is none to move
    new = _destination(data.provider, data.base_url)
    if new is not None and new != _destination(profile.engine_provider, profile.engine_base_url):
        raise InvalidInput(
            "api_key",
            "Enter the API key again: the saved key is only sent to the provider and base "
            "URL it was saved for, and this change would send it somewhere else.",
        )


async def _refuse_private_base_url(data: EngineUpdate, settings: Settings) -> None:
    if data.provider == "local" or not data.base_url:
        return
    try:
        await check_url_async(data.base_url, allow_private=settings.allow_private_network)
    except BlockedAddress as error:
        raise InvalidInput(
            "base_url",
            f"This base URL cannot be used: {error.host} {error.reason}. The server only "
            f"connects to public addresses unless {ALLOW_SETTING}=true is set.",
        ) from error


async def update(
    session: AsyncSession,
    ctx: WorkspaceContext,
    box: SecretBox,
    data: EngineUpdate,
    settings: Settings,
) -> EngineOut:
    ctx.require(Permission.MANAGE_SETTINGS)
    profile = await assistant_service.get_for_workspace(session, ctx.workspace_id)
    _refuse_moving_the_key(profile, data)
    await _refuse_private_base_url(data, settings)
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
    """The engine a reply job builds. A key that no longer opens (its encryption key was
    taken out of FRONTDESK_SECRETS_KEYS, or the server secret changed) means the local
    engine answers, rather than a failing call per message."""
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
        allow_private_network=settings.allow_private_network,
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
