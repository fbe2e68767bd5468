"""Private ICS feeds calendar apps subscribe to: the workspace's bookings, and each staff
member's own.

A feed's URL carries a token; only its hash is stored and looked up (a leaked table grants
nothing). The token itself is an HMAC of the feed's id and rotation time under the server's
secret, so staff can be shown their URL again at any time without it ever being stored;
rotating sets a new rotation time, so the old URL stops at once. (Changing the server's
secret key changes every feed's URL; the next read of the feeds stores the new hashes.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.appointments.models import Appointment, CalendarFeed, Service
from frontdesk.appointments.notices import calendar_uid, staff_name
from frontdesk.appointments.repository import AppointmentRepository
from frontdesk.calendars import CalendarEvent
from frontdesk.calendars.ics import feed
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import NotFound
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.kit.security import hash_opaque_token
from frontdesk.workspaces.models import Membership, Workspace
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

FEED_PAST = timedelta(days=31)  # what was, for a glance back
FEED_AHEAD = timedelta(days=366)
FEED_MAX_EVENTS = 5000
REFRESH_MINUTES = 15
MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True)
class FeedLink:
    scope: str  # "workspace" or "staff"
    url: str
    rotated_at: object


class FeedRepository(WorkspaceRepository[CalendarFeed]):
    model = CalendarFeed

    async def of(self, membership_id: uuid.UUID | None) -> CalendarFeed | None:
        statement = self.scoped().where(
            CalendarFeed.membership_id.is_(None)
            if membership_id is None
            else CalendarFeed.membership_id == membership_id
        )
        return (await self.session.execute(statement.limit(1))).scalars().first()


def feed_token(secret: str, row: CalendarFeed) -> str:
    message = f"calendar-feed:{row.id}:{row.rotated_at.isoformat()}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def feed_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/api/calendar/feed/{token}.ics"


async def _membership(session: AsyncSession, ctx: WorkspaceContext) -> uuid.UUID:
    statement = select(Membership.id).where(
        Membership.workspace_id == ctx.workspace_id, Membership.user_id == ctx.user_id
    )
    found = (await session.execute(statement)).scalar_one_or_none()
    if found is None:  # pragma: no cover - a context always has its membership
        raise NotFound("You are not a member of this workspace.")
    return found


async def _current(
    session: AsyncSession, ctx: WorkspaceContext, secret: str, membership_id: uuid.UUID | None
) -> CalendarFeed:
    """The feed row, made on first ask, its stored hash true to the current secret."""
    feeds = FeedRepository(session, ctx.workspace_id)
    row = await feeds.of(membership_id)
    if row is None:
        row = feeds.add(CalendarFeed(id=uuid.uuid4(), membership_id=membership_id))
        row.rotated_at = utcnow()
    token_hash = hash_opaque_token(feed_token(secret, row))
    if row.token_hash != token_hash:
        row.token_hash = token_hash
    await session.flush()
    return row


async def links(
    session: AsyncSession, ctx: WorkspaceContext, secret: str, base_url: str
) -> list[FeedLink]:
    """The workspace's feed and the member's own, made on first ask."""
    ctx.require(Permission.VIEW)
    found = []
    for scope, owner in (("workspace", None), ("staff", await _membership(session, ctx))):
        row = await _current(session, ctx, secret, owner)
        found.append(FeedLink(scope, feed_url(base_url, feed_token(secret, row)), row.rotated_at))
    return found


async def rotate(session: AsyncSession, ctx: WorkspaceContext, secret: str, scope: str) -> None:
    """A new URL for the workspace's feed (settings permission) or the member's own."""
    if scope == "workspace":
        ctx.require(Permission.MANAGE_SETTINGS)
        owner = None
    else:
        ctx.require(Permission.VIEW)
        owner = await _membership(session, ctx)
    row = await _current(session, ctx, secret, owner)
    row.rotated_at = utcnow()
    row.token_hash = hash_opaque_token(feed_token(secret, row))
    await session.flush()


async def calendar(session: AsyncSession, token: str) -> tuple[bytes, str]:
    """The feed a token names, as iCalendar bytes, and its file name; unknown: 404."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("No such calendar feed.")
    statement = select(CalendarFeed).where(CalendarFeed.token_hash == hash_opaque_token(token))
    row = (await session.execute(statement)).scalar_one_or_none()
    workspace = await session.get(Workspace, row.workspace_id) if row else None
    if row is None or workspace is None:
        raise NotFound("No such calendar feed.")
    now = utcnow()
    # Every query from here is the feed's own workspace's.
    query = (
        AppointmentRepository(session, workspace.id)
        .scoped()
        .add_columns(Service.name)
        .join(Service, Service.id == Appointment.service_id)
        .where(
            Appointment.status.in_(("booked", "completed", "no_show")),
            Appointment.end > now - FEED_PAST,
            Appointment.start < now + FEED_AHEAD,
        )
        .order_by(Appointment.start)
        .limit(FEED_MAX_EVENTS)
    )
    name = f"{workspace.name} bookings"
    if row.membership_id is not None:
        query = query.where(Appointment.staff_id == row.membership_id)
        staff = await staff_name(session, row.membership_id)
        name = f"{workspace.name}: {staff or 'my'} bookings"
    rows = (await session.execute(query)).all()
    events = [_event(found[0], found[1], workspace) for found in rows]
    body = feed(events, name, refresh_minutes=REFRESH_MINUTES, timezone=workspace.timezone)
    return body, f"{workspace.slug}.ics"


def _event(appointment: Appointment, service: str, workspace: Workspace) -> CalendarEvent:
    who = appointment.customer_name or appointment.customer_email or "Customer"
    details = [
        f"Customer: {who}",
        *(v for v in (appointment.customer_email, appointment.customer_phone) if v),
    ]
    if appointment.status != "booked":
        details.append(f"Status: {appointment.status.replace('_', ' ')}")
    if appointment.notes:
        details.append(appointment.notes)
    return CalendarEvent(
        uid=calendar_uid(appointment),
        start=appointment.start,
        end=appointment.end,
        summary=f"{service}: {who}",
        timezone=workspace.timezone or "UTC",
        description="\n".join(details),
        location=workspace.address,
        sequence=appointment.sequence,
    )
