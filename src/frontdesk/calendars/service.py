"""Staff connect and disconnect the workspace's calendar, and see how its syncs went.

CalDAV is connected with its URL and password (checked against the SSRF guard when saved,
and again at every connection). Google goes through OAuth: :func:`start_google` remembers
a single-use state (hashed, ten minutes) and gives the consent URL; Google sends the
browser back to :func:`finish_google` with the code, exchanged once for tokens that are
stored sealed. Connecting anew queues every failed sync again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.audit import service as audit
from frontdesk.calendars.connections import (
    ConnectionRepository,
    by_oauth_state,
    google_oauth,
    seal_tokens,
)
from frontdesk.calendars.models import AppointmentSync, CalendarConnection
from frontdesk.calendars.outbox import SyncRepository
from frontdesk.calendars.sync import CalendarError
from frontdesk.kit.db import unit_of, utcnow
from frontdesk.kit.errors import Conflict, InvalidInput, NotFound
from frontdesk.kit.outbound import ALLOW_SETTING, BlockedAddress, check_url_async
from frontdesk.kit.secrets import SecretBox
from frontdesk.kit.security import hash_opaque_token, new_opaque_token
from frontdesk.settings import Settings
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

CONSENT_LIFETIME = timedelta(minutes=10)
CALLBACK_PATH = "/api/calendar/google/callback"


@dataclass(frozen=True)
class Overview:
    connection: CalendarConnection | None
    counts: dict[str, int]
    available: frozenset[str]


def _unavailable(kind: str, settings: Settings) -> Conflict | None:
    if kind in settings.calendar_kinds:
        return None
    hint = (
        " (FRONTDESK_GOOGLE_CLIENT_ID and FRONTDESK_GOOGLE_CLIENT_SECRET are not set)"
        if kind == "google" and "google" in settings.calendar_backends
        else ""
    )
    return Conflict(f"{kind} calendars are not available on this server{hint}.")


def callback_url(settings: Settings, request_base_url: str) -> str:
    return (settings.public_url or request_base_url.rstrip("/")) + CALLBACK_PATH


async def overview(session: AsyncSession, ctx: WorkspaceContext, settings: Settings) -> Overview:
    ctx.require(Permission.VIEW)
    connection = await ConnectionRepository(session, ctx.workspace_id).current()
    counts = await SyncRepository(session, ctx.workspace_id).counts()
    return Overview(connection, counts, settings.calendar_kinds)


async def syncs(
    session: AsyncSession, ctx: WorkspaceContext, status: str | None, limit: int, offset: int
) -> list[AppointmentSync]:
    ctx.require(Permission.VIEW)
    return await SyncRepository(session, ctx.workspace_id).listed(status, limit, offset)


async def _replace(session: AsyncSession, ctx: WorkspaceContext) -> CalendarConnection:
    repository = ConnectionRepository(session, ctx.workspace_id)
    connection = await repository.current()
    if connection is None:
        connection = repository.add(CalendarConnection(kind="caldav"))
    return connection


async def connect_caldav(
    session: AsyncSession,
    ctx: WorkspaceContext,
    settings: Settings,
    box: SecretBox,
    *,
    url: str,
    username: str,
    password: str,
) -> CalendarConnection:
    ctx.require(Permission.MANAGE_SETTINGS)
    if refusal := _unavailable("caldav", settings):
        raise refusal
    try:
        await check_url_async(url, allow_private=settings.allow_private_network)
    except BlockedAddress as error:
        raise InvalidInput(
            "url",
            f"This calendar URL cannot be used: {error.host} {error.reason}. The server only "
            f"connects to public addresses unless {ALLOW_SETTING}=true is set.",
        ) from error
    connection = await _replace(session, ctx)
    connection.kind, connection.status = "caldav", "connected"
    connection.url, connection.username = url, username
    connection.secret = box.seal(password) if password else ""
    connection.calendar_id, connection.meet_links = "", False
    connection.last_error, connection.connected_at = "", utcnow()
    connection.oauth_state_hash = connection.oauth_expires_at = None
    await session.flush()
    await SyncRepository(session, ctx.workspace_id).retry_failed()
    await audit.record(
        session, ctx.workspace_id, ctx.user_id, "calendar.connected", ctx.meta,
        details={"kind": "caldav", "url": url},
    )  # fmt: skip
    return connection


async def disconnect(session: AsyncSession, ctx: WorkspaceContext) -> None:
    """Forget the calendar (its events stay in it) and what bookings owed it."""
    ctx.require(Permission.MANAGE_SETTINGS)
    repository = ConnectionRepository(session, ctx.workspace_id)
    connection = await repository.current()
    if connection is None:
        raise NotFound("No calendar is connected.")
    kind = connection.kind
    await repository.delete(connection)
    await session.execute(
        delete(AppointmentSync).where(AppointmentSync.workspace_id == ctx.workspace_id)
    )
    await audit.record(
        session, ctx.workspace_id, ctx.user_id, "calendar.disconnected", ctx.meta,
        details={"kind": kind},
    )  # fmt: skip


async def start_google(
    session: AsyncSession,
    ctx: WorkspaceContext,
    settings: Settings,
    *,
    request_base_url: str,
    calendar_id: str,
    meet_links: bool,
) -> str:
    """The consent URL to send the owner to. A calendar already connected keeps working
    until Google's answer replaces it."""
    ctx.require(Permission.MANAGE_SETTINGS)
    if refusal := _unavailable("google", settings):
        raise refusal
    repository = ConnectionRepository(session, ctx.workspace_id)
    connection = await repository.current()
    if connection is None:
        connection = repository.add(CalendarConnection(kind="google", status="connecting"))
    # The choice rides in the state Google hands back, which only matches its stored hash
    # unchanged: a calendar already connected keeps its settings until the consent returns.
    state = f"{new_opaque_token()}~{int(meet_links)}~{calendar_id}"
    connection.oauth_state_hash = hash_opaque_token(state)
    connection.oauth_expires_at = utcnow() + CONSENT_LIFETIME
    await session.flush()
    async with httpx.AsyncClient() as client:  # builds a URL only; nothing is sent
        oauth = google_oauth(settings, client)
        return oauth.consent_url(
            redirect_uri=callback_url(settings, request_base_url),
            state=state,
            login_hint=ctx.user.email,
        )


async def finish_google(
    session: AsyncSession,
    settings: Settings,
    box: SecretBox,
    *,
    state: str,
    code: str,
    request_base_url: str,
) -> uuid.UUID:
    """Google's answer: the code exchanged for tokens, sealed onto the connection whose
    consent carried ``state``. Returns the workspace id."""
    state_hash = hash_opaque_token(state)
    connection = await by_oauth_state(session, state_hash)
    if connection is None or connection.oauth_expires_at is None:
        raise InvalidInput("state", "This calendar connection link is not valid (used?).")
    if connection.oauth_expires_at <= utcnow():
        connection.oauth_state_hash = connection.oauth_expires_at = None
        raise InvalidInput("state", "This calendar connection link has expired: start again.")
    connection.oauth_state_hash = connection.oauth_expires_at = None  # single use
    _token, meet, calendar_id = [*state.split("~", 2), "", ""][:3]
    meet_links = meet == "1"
    # The state is spent whatever Google answers; and no database connection waits on
    # Google (SQLite has one).
    await unit_of(session).release_connection()
    try:
        async with httpx.AsyncClient(timeout=settings.calendar_timeout_seconds) as client:
            tokens = await google_oauth(settings, client).exchange(
                code, redirect_uri=callback_url(settings, request_base_url)
            )
    except CalendarError as error:
        raise InvalidInput(
            "code", f"Google did not connect the calendar: {error.message}"
        ) from None
    connection.kind, connection.status = "google", "connected"
    connection.secret = seal_tokens(box, tokens)
    connection.calendar_id, connection.meet_links = calendar_id or "primary", meet_links
    connection.url = connection.username = ""
    connection.last_error, connection.connected_at = "", utcnow()
    await session.flush()
    await SyncRepository(session, connection.workspace_id).retry_failed()
    await audit.record(
        session, connection.workspace_id, None, "calendar.connected", None,
        details={"kind": "google", "calendar_id": connection.calendar_id},
    )  # fmt: skip
    return connection.workspace_id
