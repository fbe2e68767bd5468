"""HTTP endpoints of the private ICS feeds: staff get (and rotate) their feed URLs; calendar
apps fetch the feed by its token, with no other credential."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict

from frontdesk.appointments import feeds
from frontdesk.deps import Ctx, Svc, Uow
from frontdesk.kit.text import CleanInput

router = APIRouter(prefix="/api/calendar", tags=["calendar"])


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class FeedOut(BaseModel):
    scope: Literal["workspace", "staff"]
    url: str
    webcal_url: str
    rotated_at: datetime


class FeedsOut(BaseModel):
    feeds: list[FeedOut]


class RotateIn(CleanInput):
    model_config = ConfigDict(extra="forbid")

    scope: Literal["workspace", "staff"]


def _out(found: list[feeds.FeedLink]) -> FeedsOut:
    return FeedsOut(
        feeds=[
            FeedOut(
                scope=link.scope,  # type: ignore[arg-type]
                url=link.url,
                webcal_url="webcal://" + link.url.split("://", 1)[1],
                rotated_at=link.rotated_at,  # type: ignore[arg-type]
            )
            for link in found
        ]
    )


def _base(svc: Any, ctx: Any) -> str:
    return str(svc.settings.public_url or ctx.meta.base_url)


@router.get("/feeds", response_model=FeedsOut)
async def get_feeds(uow: Uow, ctx: Ctx, svc: Svc) -> FeedsOut:
    """The workspace's feed URL and the caller's own (their bookings as staff)."""
    found = await feeds.links(uow.session, ctx, svc.settings.signing_secret, _base(svc, ctx))
    return _out(found)


@router.post("/feeds", status_code=204)
async def rotate_feed(body: RotateIn, uow: Uow, ctx: Ctx, svc: Svc) -> Response:
    """A new URL for one feed (read it with GET); the old one stops working at once.
    Nothing is answered: a URL handed out here could be stale by the time it is used,
    GET always names the current ones."""
    await feeds.rotate(uow.session, ctx, svc.settings.signing_secret, body.scope)
    return Response(status_code=204)


@router.get(
    "/feed/{token}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {"schema": {"type": "string"}}}},
        304: {"description": "Unchanged since the ETag the client sent."},
        404: _error("No feed with this token (a mistyped or rotated URL)."),
    },
)
async def calendar_feed(token: str, request: Request, uow: Uow) -> Response:
    """The feed itself (iCalendar), for calendar apps to subscribe to."""
    body, filename = await feeds.calendar(uow.session, token)
    # The stamp in each event changes every second: the ETag is of the events alone.
    etag = '"' + hashlib.sha256(_without_stamps(body)).hexdigest()[:32] + '"'
    headers = {
        "Cache-Control": f"private, max-age={feeds.REFRESH_MINUTES * 60}",
        "ETag": etag,
        "Content-Disposition": f'inline; filename="{filename}"',
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


def _without_stamps(body: bytes) -> bytes:
    return b"\r\n".join(line for line in body.split(b"\r\n") if not line.startswith(b"DTSTAMP"))
