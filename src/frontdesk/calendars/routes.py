"""HTTP endpoints of calendar sync: the workspace's connection (CalDAV, or Google through
OAuth) and how each booking's sync went."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from frontdesk.calendars import service
from frontdesk.calendars.schemas import (
    CalDAVConnectionIn,
    ConnectionOut,
    GoogleStartIn,
    GoogleStartOut,
    SyncOut,
    SyncPage,
    SyncStatus,
)
from frontdesk.deps import Ctx, Svc, Uow
from frontdesk.kit.errors import FrontdeskError

router = APIRouter(prefix="/api/calendar", tags=["calendar"])
DASHBOARD = "/app/settings"


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    409: _error("This kind of calendar is not available on this server.")
}


@router.get("/connection", response_model=ConnectionOut)
async def get_connection(uow: Uow, ctx: Ctx, svc: Svc) -> ConnectionOut:
    return ConnectionOut.of(await service.overview(uow.session, ctx, svc.settings))


@router.put("/connection", response_model=ConnectionOut, responses=UNAVAILABLE)
async def put_connection(body: CalDAVConnectionIn, uow: Uow, ctx: Ctx, svc: Svc) -> ConnectionOut:
    """Connect a CalDAV calendar (Google connects through /api/calendar/google/start)."""
    await service.connect_caldav(
        uow.session, ctx, svc.settings, svc.secrets,
        url=body.url, username=body.username, password=body.password,
    )  # fmt: skip
    return ConnectionOut.of(await service.overview(uow.session, ctx, svc.settings))


@router.delete("/connection", status_code=204, responses={404: _error("Nothing is connected.")})
async def delete_connection(uow: Uow, ctx: Ctx) -> Response:
    await service.disconnect(uow.session, ctx)
    return Response(status_code=204)


@router.post("/google/start", response_model=GoogleStartOut, responses=UNAVAILABLE)
async def google_start(
    body: GoogleStartIn, request: Request, uow: Uow, ctx: Ctx, svc: Svc
) -> GoogleStartOut:
    url = await service.start_google(
        uow.session, ctx, svc.settings,
        request_base_url=str(request.base_url),
        calendar_id=body.calendar_id, meet_links=body.meet_links,
    )  # fmt: skip
    return GoogleStartOut(authorize_url=url)


@router.get(
    "/google/callback",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Back to the dashboard, saying how it went."}},
)
async def google_callback(
    request: Request,
    uow: Uow,
    svc: Svc,
    state: str = Query("", max_length=400),
    code: str = Query("", max_length=2000),
    error: str = Query("", max_length=200),
) -> RedirectResponse:
    """Where Google sends the owner's browser back (no bearer token: ``state`` names the
    consent it answers). Redirects to the dashboard with ``calendar=connected`` or
    ``calendar_error=<why>``."""
    base = (svc.settings.public_url or str(request.base_url)).rstrip("/")
    if error or not code or not state:
        why = error or "Google did not send an authorization code."
        return RedirectResponse(f"{base}{DASHBOARD}?{urlencode({'calendar_error': why})}", 303)
    try:
        await service.finish_google(
            uow.session, svc.settings, svc.secrets,
            state=state, code=code, request_base_url=str(request.base_url),
        )  # fmt: skip
    except FrontdeskError as failure:
        # Keep what was decided (a spent state stays spent), then tell the browser why.
        await uow.commit()
        query = urlencode({"calendar_error": failure.message})
        return RedirectResponse(f"{base}{DASHBOARD}?{query}", 303)
    return RedirectResponse(f"{base}{DASHBOARD}?calendar=connected", 303)


@router.get("/syncs", response_model=SyncPage)
async def list_syncs(
    uow: Uow,
    ctx: Ctx,
    status: SyncStatus | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> SyncPage:
    """Each booking's sync with the connected calendar, newest change first (``failed``:
    shown on the dashboard with its error)."""
    rows = await service.syncs(uow.session, ctx, status, limit, offset)
    return SyncPage(
        syncs=[SyncOut.of(row) for row in rows],
        next_offset=offset + limit if len(rows) == limit else None,
    )
