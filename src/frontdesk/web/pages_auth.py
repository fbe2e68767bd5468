"""Public pages: landing, sign-up, sign-in, sign-out and joining by invitation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from frontdesk.accounts import service as accounts
from frontdesk.accounts.schemas import LoginIn, RegisterIn
from frontdesk.deps import Svc, Uow
from frontdesk.kit.db import UnitOfWork
from frontdesk.kit.errors import FrontdeskError, NotFound
from frontdesk.kit.http import RequestMeta
from frontdesk.web.forms import errors_from, parse_form
from frontdesk.web.session import (
    current_context,
    forget_session,
    redirect,
    refuse_cross_site,
    remember_tokens,
    render,
    safe_next,
)
from frontdesk.workspaces import members
from frontdesk.workspaces.models import Invitation, Workspace
from frontdesk.workspaces.schemas import AcceptInvitationIn

router = APIRouter(include_in_schema=False)


async def settle(uow: UnitOfWork, error: FrontdeskError) -> None:
    """A refusal shown on the page instead of raised: keep only what the error says to keep."""
    await (uow.commit() if error.commit_changes else uow.rollback())


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await current_context(request, uow, svc)
    return render(request, "landing.html", {"user": ctx.user if ctx else None})


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, uow: Uow, svc: Svc) -> Response:
    if await current_context(request, uow, svc):
        return redirect(request, "/app")
    return render(request, "register.html", {"form": {}, "errors": {}, "error": None})


@router.post("/register", response_class=HTMLResponse)
async def register_submit(request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    form = dict(await request.form())
    data, errors = parse_form(RegisterIn, form)
    shown = {k: v for k, v in form.items() if k != "password"}
    if data is None:
        return render(
            request,
            "register.html",
            {"form": shown, "errors": errors, "error": None},
            status_code=422,
        )
    try:
        issued = await accounts.register(
            uow.session, svc.settings, svc.limiter, data, RequestMeta.of(request)
        )
    except FrontdeskError as error:
        await settle(uow, error)
        return render(
            request,
            "register.html",
            {"form": shown, "errors": errors_from(error), "error": error.message},
            status_code=error.status_code,
        )
    remember_tokens(request, issued)
    return redirect(request, "/setup/business")


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, uow: Uow, svc: Svc, next: str = "") -> Response:
    if await current_context(request, uow, svc):
        return redirect(request, safe_next(next))
    return render(request, "login.html", {"form": {}, "errors": {}, "error": None, "next": next})


@router.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    form = dict(await request.form())
    next_path = str(form.get("next", ""))
    data, errors = parse_form(LoginIn, form)
    context = {
        "form": {"email": form.get("email", "")},
        "errors": errors,
        "error": None,
        "next": next_path,
    }
    if data is None:
        return render(request, "login.html", context, status_code=422)
    try:
        issued = await accounts.login(
            uow.session, svc.settings, svc.limiter, data, RequestMeta.of(request)
        )
    except FrontdeskError as error:
        await settle(uow, error)
        return render(
            request,
            "login.html",
            {**context, "error": error.message},
            status_code=error.status_code,
        )
    remember_tokens(request, issued)
    target = "/app" if issued.workspace.setup_completed_at else "/setup/business"
    return redirect(request, safe_next(next_path, target))


@router.post("/logout")
async def logout(request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await current_context(request, uow, svc)
    if ctx is not None:
        await accounts.logout(uow.session, ctx)
    forget_session(request)
    return redirect(request, "/login")


@router.get("/invite/{token}", response_class=HTMLResponse)
async def invitation_page(token: str, request: Request, uow: Uow) -> Response:
    try:
        invitation, workspace = await members.preview_invitation(uow.session, token)
    except NotFound as error:
        return _invitation_gone(request, error)
    return render(request, "invite.html", _invitation_context(invitation, workspace))


@router.post("/invite/{token}", response_class=HTMLResponse)
async def invitation_accept(token: str, request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    form = dict(await request.form())
    data, errors = parse_form(AcceptInvitationIn, form)
    shown = {"full_name": form.get("full_name", "")}
    try:
        invitation, workspace = await members.preview_invitation(uow.session, token)
        if data is not None:
            issued = await members.accept_invitation(
                uow.session, svc.settings, svc.limiter, token, data, RequestMeta.of(request)
            )
            remember_tokens(request, issued)
            return redirect(request, "/app")
    except FrontdeskError as error:
        await settle(uow, error)
        if isinstance(error, NotFound):
            return _invitation_gone(request, error)
        context = _invitation_context(invitation, workspace, shown, errors_from(error))
        return render(
            request,
            "invite.html",
            {**context, "error": error.message},
            status_code=error.status_code,
        )
    context = _invitation_context(invitation, workspace, shown, errors)
    return render(request, "invite.html", context, status_code=422)


def _invitation_context(
    invitation: Invitation,
    workspace: Workspace,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "invitation": invitation,
        "workspace_name": workspace.name,
        "form": form or {},
        "errors": errors or {},
        "error": None,
    }


def _invitation_gone(request: Request, error: NotFound) -> Response:
    return render(
        request,
        "error.html",
        {"status_code": 404, "title": "Invitation", "message": error.message},
        status_code=404,
    )
