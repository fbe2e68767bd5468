"""Browser sessions for the server-rendered pages.

Pages use the same tokens as the API, kept in HttpOnly cookies: the access token for
requests, the refresh token to rotate it when it expires. Every post a page makes goes
through :func:`refuse_cross_site`: a CSRF token (see :mod:`frontdesk.web.csrf`) that another
site cannot know, and an Origin check as a second line (SameSite=Lax is a third).
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontdesk.accounts import service as accounts
from frontdesk.kit.db import UnitOfWork
from frontdesk.kit.errors import NotAuthenticated, PermissionDenied
from frontdesk.kit.http import RequestMeta
from frontdesk.services import Services
from frontdesk.web import csrf
from frontdesk.web.templating import templates
from frontdesk.workspaces.permissions import WorkspaceContext

ACCESS_COOKIE = "fd_access"
REFRESH_COOKIE = "fd_refresh"


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


async def current_context(
    request: Request, uow: UnitOfWork, svc: Services
) -> WorkspaceContext | None:
    """The signed-in context from cookies, rotating an expired access token if possible."""
    meta = RequestMeta.of(request)
    access = request.cookies.get(ACCESS_COOKIE)
    if access:
        try:
            return await accounts.authenticate(uow.session, svc.settings, access, meta)
        except NotAuthenticated:
            pass
    refresh = request.cookies.get(REFRESH_COOKIE)
    if not refresh:
        return None
    try:
        issued = await accounts.refresh(uow.session, svc.settings, refresh, meta)
    except NotAuthenticated:
        request.state.clear_session = True
        return None
    request.state.new_tokens = issued
    return await accounts.authenticate(uow.session, svc.settings, issued.access_token, meta)


async def require_context(request: Request, uow: UnitOfWork, svc: Services) -> WorkspaceContext:
    ctx = await current_context(request, uow, svc)
    if ctx is None:
        raise LoginRequired(request.url.path)
    return ctx


def remember_tokens(request: Request, issued: accounts.IssuedTokens) -> None:
    request.state.new_tokens = issued


def forget_session(request: Request) -> None:
    request.state.clear_session = True


R = TypeVar("R", bound=Response)


def apply_cookies(request: Request, response: R) -> R:
    svc: Services = request.app.state.services
    issued = getattr(request.state, "new_tokens", None)
    if issued is not None:
        common: dict[str, Any] = {
            "httponly": True,
            "samesite": "lax",
            "path": "/",
            "secure": svc.settings.cookie_secure,
        }
        response.set_cookie(
            ACCESS_COOKIE,
            issued.access_token,
            max_age=svc.settings.access_token_minutes * 60,
            **common,
        )
        response.set_cookie(
            REFRESH_COOKIE,
            issued.refresh_token,
            max_age=svc.settings.refresh_token_days * 86400,
            **common,
        )
    elif getattr(request.state, "clear_session", False):
        response.delete_cookie(ACCESS_COOKIE, path="/")
        response.delete_cookie(REFRESH_COOKIE, path="/")
    csrf.set_cookie(request, response)
    return response


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    apply_cookies(request, response)
    return response


def redirect(request: Request, url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    apply_cookies(request, response)
    return response


def safe_next(value: str | None, default: str = "/app") -> str:
    """Only same-site paths: never let ?next= send someone to another host."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


async def refuse_cross_site(request: Request) -> None:
    """Refuse a post another site made a browser send: a wrong or missing CSRF token, or
    an Origin (or Referer) naming another site."""
    check_same_origin(request)
    await csrf.verify(request)


def check_same_origin(request: Request) -> None:
    """Refuse form posts that a browser says came from another origin. A missing or
    ``null`` Origin passes here: the CSRF token is what stops those."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return
    svc: Services = request.app.state.services
    allowed = {_origin(str(request.base_url))}
    if svc.settings.public_url:
        allowed.add(_origin(svc.settings.public_url))
    if _origin(source) not in allowed:
        raise PermissionDenied("Cross-site form submission refused.", code="cross_origin")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
