"""A workspace's calendar connection: its queries, and the adapter it stands for.

:func:`calendar_for` is the one place that turns a stored connection into a
:class:`~frontdesk.calendars.sync.CalendarSync`: none (or not yet connected) is
:class:`NoCalendar`; CalDAV goes through the SSRF guard (the workspace named the URL);
Google's endpoints are settings (the operator's), and tokens Google refreshes are sealed
back onto the connection in a unit of work of their own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.calendars.caldav import CalDAVCalendar
from frontdesk.calendars.google import GoogleCalendar
from frontdesk.calendars.google_oauth import GoogleOAuth, GoogleTokens
from frontdesk.calendars.models import CalendarConnection
from frontdesk.calendars.sync import CalendarError, CalendarSync, NoCalendar
from frontdesk.kit.db import Database
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.kit.secrets import SecretBox, SecretUnreadable
from frontdesk.settings import Settings

GOOGLE_SCOPE = "https://www.googleapis.com/auth/calendar.events"
TokensSaver = Callable[[GoogleTokens], Awaitable[None]]


class ConnectionRepository(WorkspaceRepository[CalendarConnection]):
    model = CalendarConnection

    async def current(self) -> CalendarConnection | None:
        result = await self.session.execute(self.scoped())
        return result.scalar_one_or_none()


async def by_oauth_state(session: AsyncSession, state_hash: str) -> CalendarConnection | None:
    """The connection whose Google consent carried this state. Read across workspaces, like
    an invitation token: the state is the capability, and says which workspace it is for."""
    result = await session.execute(
        select(CalendarConnection).where(CalendarConnection.oauth_state_hash == state_hash)
    )
    return result.scalar_one_or_none()


def google_oauth(settings: Settings, client: httpx.AsyncClient) -> GoogleOAuth:
    if "google" not in settings.calendar_kinds:
        raise CalendarError("Google Calendar is not set up on this server", retryable=False)
    secret = settings.google_client_secret
    return GoogleOAuth(
        client_id=settings.google_client_id or "",
        client_secret=secret.get_secret_value() if secret else "",
        auth_url=settings.google_auth_url,
        token_url=settings.google_token_url,
        scope=GOOGLE_SCOPE,
        client=client,
    )


def seal_tokens(box: SecretBox, tokens: GoogleTokens) -> str:
    return box.seal(json.dumps(tokens.to_dict()))


def open_secret(box: SecretBox, connection: CalendarConnection) -> str:
    if not connection.secret:
        return ""
    try:
        return box.open(connection.secret)
    except SecretUnreadable:
        raise CalendarError(
            "the calendar's stored credentials cannot be read (a secrets key was removed): "
            "connect the calendar again",
            retryable=False,
        ) from None


def calendar_for(
    settings: Settings,
    box: SecretBox,
    connection: CalendarConnection | None,
    *,
    timezone: str = "UTC",
    on_tokens: TokensSaver | None = None,
) -> CalendarSync:
    """The adapter for this connection (close it with ``aclose``). Raises CalendarError
    (not retryable) when the connection cannot be used as stored."""
    if connection is None or connection.status == "connecting":
        return NoCalendar()
    if connection.kind not in settings.calendar_kinds:
        raise CalendarError(
            f"{connection.kind} calendars are turned off on this server", retryable=False
        )
    secret = open_secret(box, connection)
    timeout = settings.calendar_timeout_seconds
    if connection.kind == "caldav":
        return CalDAVCalendar(
            connection.url,
            username=connection.username,
            password=secret,
            timezone=timezone,
            allow_private=settings.allow_private_network,
            timeout=timeout,
        )
    try:
        tokens = GoogleTokens.from_dict(json.loads(secret or "{}"))
    except ValueError:
        raise CalendarError(
            "the stored Google connection is unreadable: connect it again", retryable=False
        ) from None
    # Follow no redirects: an API answer is JSON or an error, never somewhere else to go.
    client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
    return GoogleCalendar(
        google_oauth(settings, client),
        tokens,
        api_url=settings.google_api_url,
        client=client,
        calendar_id=connection.calendar_id or "primary",
        on_tokens=on_tokens,
    )


def connection_saver(database: Database, box: SecretBox, workspace_id: uuid.UUID) -> TokensSaver:
    """Seals refreshed Google tokens onto the workspace's connection, in their own unit of
    work (a refresh may happen mid-sync, outside any transaction)."""

    async def save(tokens: GoogleTokens) -> None:
        async with database.unit_of_work() as uow:
            connection = await ConnectionRepository(uow.session, workspace_id).current()
            if connection is not None and connection.kind == "google":
                connection.secret = seal_tokens(box, tokens)

    return save
