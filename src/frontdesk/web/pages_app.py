"""Signed-in pages: the setup wizard (also the settings pages), the dashboard and the team."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import service as assistant
from frontdesk.assistant.persona import PERSONALITIES, ROLES
from frontdesk.assistant.schemas import AssistantUpdate
from frontdesk.deps import Svc, Uow
from frontdesk.kit.db import UnitOfWork
from frontdesk.kit.errors import FrontdeskError, NotAuthenticated, NotFound
from frontdesk.portal import service as portal
from frontdesk.web.forms import (
    errors_from,
    hours_errors,
    hours_from_form,
    hours_rows,
    parse_form,
)
from frontdesk.web.pages_auth import settle
from frontdesk.web.session import (
    ACCESS_COOKIE,
    apply_cookies,
    current_context,
    redirect,
    refuse_cross_site,
    render,
    require_context,
)
from frontdesk.workspaces import members
from frontdesk.workspaces import service as workspaces
from frontdesk.workspaces.permissions import Permission, Role, WorkspaceContext
from frontdesk.workspaces.schemas import (
    COMMON_TIMEZONES,
    INDUSTRIES,
    LANGUAGES,
    InviteIn,
    WorkspaceUpdate,
)

router = APIRouter(include_in_schema=False)

SECTIONS: dict[str, tuple[str, str]] = {
    "appointments": ("Appointments", "Bookings your assistant made, synced with your calendar."),
    "leads": ("Leads", "Prospects your assistant captured, ready for follow-up."),
    "tickets": ("Tickets", "Support requests, triaged by urgency and topic."),
    "documents": ("Documents", "The files your assistant answers from."),
    "analytics": ("Analytics", "How many customers you helped, and how."),
}
STEPS = ("business", "assistant", "instructions")


def base_context(ctx: WorkspaceContext, active: str) -> dict[str, Any]:
    """What every signed-in page's layout needs (``active``: the highlighted nav item)."""
    return {"user": ctx.user, "workspace": ctx.workspace, "role": ctx.role.value, "active": active}


async def settle_refusal(uow: UnitOfWork, ctx: WorkspaceContext, error: FrontdeskError) -> None:
    """A refusal shown on the page (see ``settle``). A rollback expires every loaded row,
    and the page shown next still reads the signed-in user and workspace: load them again."""
    await settle(uow, error)
    await uow.session.refresh(ctx.workspace)
    await uow.session.refresh(ctx.user)


def _mode(ctx: WorkspaceContext) -> str:
    return "settings" if ctx.workspace.setup_completed_at else "wizard"


async def _step_context(
    session: AsyncSession, ctx: WorkspaceContext, step: str, form: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What a setup page shows: stored values, or what was just submitted when it failed."""
    stored = await assistant.get(session, ctx)
    profile = {
        "business_name": ctx.workspace.name,
        **{field: getattr(ctx.workspace, field) for field in _BUSINESS_FIELDS},
    }
    persona = {
        field: getattr(stored, field)
        for field in ("name", "role", "personality", "greeting", "instructions")
    }
    prompts = "\n".join(stored.quick_prompts)
    hours = hours_rows(ctx.workspace.business_hours)
    if form is not None:
        profile.update({k: form.get(k, "") for k in profile})
        persona.update(
            {"name": form.get("assistant_name", persona["name"])},
            **{
                k: form[k] for k in ("role", "personality", "greeting", "instructions") if k in form
            },
        )
        prompts = str(form.get("quick_prompts", prompts))
        if step == "instructions":
            hours = hours_rows(hours_from_form(form))
    return {
        **base_context(ctx, step),
        "mode": _mode(ctx),
        "errors": {},
        "saved": False,
        "profile": SimpleNamespace(**profile),
        "assistant": SimpleNamespace(**persona),
        "industries": INDUSTRIES,
        "timezones": COMMON_TIMEZONES,
        "languages": LANGUAGES,
        "roles": list(ROLES.values()),
        "personalities": list(PERSONALITIES.values()),
        "quick_prompts_text": prompts,
        "hours": hours,
    }


_BUSINESS_FIELDS = (
    "owner_name",
    "occupation",
    "industry",
    "timezone",
    "language",
    "contact_email",
    "contact_phone",
    "address",
    "website",
)


@router.get("/setup", response_class=HTMLResponse)
async def setup_start(request: Request) -> Response:
    return redirect(request, "/setup/business")


@router.get("/setup/{step}", response_class=HTMLResponse)
async def setup_page(step: str, request: Request, uow: Uow, svc: Svc) -> Response:
    if step not in STEPS:
        raise NotFound("No such setup step.")
    ctx = await require_context(request, uow, svc)
    return render(request, f"setup_{step}.html", await _step_context(uow.session, ctx, step))


@router.post("/setup/{step}", response_class=HTMLResponse)
async def setup_submit(step: str, request: Request, uow: Uow, svc: Svc) -> Response:
    if step not in STEPS:
        raise NotFound("No such setup step.")
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = dict(await request.form())
    wizard = _mode(ctx) == "wizard"
    try:
        errors = await _save_step(uow.session, ctx, step, form, finish=wizard)
    except FrontdeskError as error:
        await settle_refusal(uow, ctx, error)
        errors = errors_from(error) or {"form": error.message}
    if errors:
        context = await _step_context(uow.session, ctx, step, form)
        return render(request, f"setup_{step}.html", {**context, "errors": errors}, status_code=422)
    if wizard:
        following = STEPS.index(step) + 1
        return redirect(request, f"/setup/{STEPS[following]}" if following < len(STEPS) else "/app")
    return render(
        request,
        f"setup_{step}.html",
        {**await _step_context(uow.session, ctx, step), "saved": True},
    )


async def _save_step(
    session: AsyncSession, ctx: WorkspaceContext, step: str, form: dict[str, Any], finish: bool
) -> dict[str, str]:
    if step == "business":
        data, errors = parse_form(
            WorkspaceUpdate,
            {
                "name": form.get("business_name", ""),
                **{k: form.get(k, "") for k in _BUSINESS_FIELDS},
            },
            rename={"business_name": "name"},
        )
        if data is not None:
            await workspaces.update_profile(session, ctx, data)
        return errors
    if step == "assistant":
        update, errors = parse_form(
            AssistantUpdate,
            {
                "name": form.get("assistant_name", ""),
                "role": form.get("role"),
                "personality": form.get("personality"),
            },
            rename={"assistant_name": "name"},
        )
        if update is not None:
            await assistant.update(session, ctx, update)
        return errors
    update, errors = parse_form(
        AssistantUpdate,
        {
            "greeting": form.get("greeting", ""),
            "instructions": form.get("instructions", ""),
            "quick_prompts": str(form.get("quick_prompts", "")).splitlines(),
        },
    )
    hours, hour_errors = parse_form(
        WorkspaceUpdate,
        {"business_hours": hours_from_form(form), **({"setup_completed": True} if finish else {})},
    )
    if "business_hours" in hour_errors:
        errors.update(hours_errors(hour_errors.pop("business_hours")))
    errors.update(hour_errors)
    if update is not None and hours is not None:
        await assistant.update(session, ctx, update)
        await workspaces.update_profile(session, ctx, hours)
    return errors


@router.get("/app", response_class=HTMLResponse)
async def dashboard(request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    profile = await assistant.get(uow.session, ctx)
    links = portal.links_for(ctx, svc.settings)
    return render(
        request,
        "dashboard.html",
        {
            **base_context(ctx, "overview"),
            "assistant": SimpleNamespace(
                name=profile.name,
                role_label=ROLES[profile.role].label,
                personality_label=PERSONALITIES[profile.personality].label,
                greeting=profile.greeting,
            ),
            "portal": {
                "url": links.url,
                "qr_png_url": links.qr_png_url,
                "qr_svg_url": links.qr_svg_url,
                "widget_snippet": links.widget_snippet,
            },
            "setup_complete": ctx.workspace.setup_completed_at is not None,
        },
    )


@router.get("/app/inbox", response_class=HTMLResponse)
async def inbox_page(request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    rows, _invitations = await members.list_members(uow.session, ctx)
    return render(
        request,
        "inbox.html",
        {
            **base_context(ctx, "inbox"),
            "me_id": str(ctx.user_id),
            "members": [SimpleNamespace(id=u.id, full_name=u.full_name) for _m, u in rows],
            "assistant": await assistant.get(uow.session, ctx),
        },
    )


@router.post("/app/session/token")
async def session_token(request: Request, uow: Uow, svc: Svc) -> Response:
    """A fresh access token for the dashboard's scripts, from the HttpOnly cookie session."""
    await refuse_cross_site(request)
    ctx = await current_context(request, uow, svc)
    if ctx is None:
        raise NotAuthenticated("Signed out.")
    issued = getattr(request.state, "new_tokens", None)
    access = issued.access_token if issued else request.cookies[ACCESS_COOKIE]
    response = JSONResponse(
        {"access_token": access, "expires_in": svc.settings.access_token_minutes * 60}
    )
    return apply_cookies(request, response)


@router.get("/app/team", response_class=HTMLResponse)
async def team_page(request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    return render(request, "team.html", await _team_context(uow.session, ctx))


@router.post("/app/team/invite", response_class=HTMLResponse)
async def team_invite(request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = dict(await request.form())
    data, errors = parse_form(
        InviteIn, {"email": form.get("email", ""), "role": form.get("role", Role.AGENT.value)}
    )
    invite_link, message = None, None
    if data is not None:
        try:
            _invitation, token = await members.invite(
                uow.session, svc.settings, ctx, data.email, data.role
            )
            base = svc.settings.public_url or str(request.base_url).rstrip("/")
            invite_link = f"{base}/invite/{token}"
        except FrontdeskError as error:
            await settle_refusal(uow, ctx, error)
            message = error.message
    context = await _team_context(uow.session, ctx)
    return render(
        request,
        "team.html",
        {**context, "errors": errors, "error": message, "invite_link": invite_link},
        status_code=200 if invite_link else 422,
    )


async def _team_context(session: AsyncSession, ctx: WorkspaceContext) -> dict[str, Any]:
    rows, invitations = await members.list_members(session, ctx)
    return {
        **base_context(ctx, "team"),
        "members": [
            SimpleNamespace(
                id=m.id,
                full_name=u.full_name,
                email=u.email,
                role=m.role,
                is_you=u.id == ctx.user_id,
            )
            for m, u in rows
        ],
        "invitations": invitations,
        "can_manage": ctx.can(Permission.MANAGE_MEMBERS),
        "roles": [r.value for r in Role if r != Role.OWNER],
        "invite_link": None,
        "errors": {},
        "error": None,
    }


@router.get("/app/{section}", response_class=HTMLResponse)
async def section_page(section: str, request: Request, uow: Uow, svc: Svc) -> Response:
    if section not in SECTIONS:
        raise NotFound("No such page.")
    ctx = await require_context(request, uow, svc)
    title, description = SECTIONS[section]
    return render(
        request,
        "section_soon.html",
        {**base_context(ctx, section), "section_title": title, "section_description": description},
    )
