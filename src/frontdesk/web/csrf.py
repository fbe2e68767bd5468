"""CSRF tokens for the cookie-authenticated pages (signed double submit).

The browser holds a random nonce in an HttpOnly cookie; every form the server renders
carries ``HMAC(secret, nonce)`` in a hidden ``csrf_token`` field, and the dashboard's
scripts send it (from ``<meta name="csrf-token">``) in the JSON body of their one
cookie-authenticated call. A post is accepted only when the field matches the cookie.
Another site can make a browser send the cookie, but can neither read the page's token nor
compute one: it does not know the secret. This holds whatever ``Origin`` the browser sends,
``null`` and none included.

Behind HTTPS (``cookie_secure``) the cookie is named with the ``__Host-`` prefix, so no
sibling subdomain can plant a nonce of its own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import Request, Response

from frontdesk.kit.errors import PermissionDenied
from frontdesk.services import Services

FIELD = "csrf_token"
_NONCE_BYTES = 32
EXPIRED = "This form has expired or was sent from another site. Reload the page and try again."


def cookie_name(secure: bool) -> str:
    return "__Host-fd_csrf" if secure else "fd_csrf"


def token_for(request: Request) -> str:
    """The token for this browser's nonce; the nonce is made (and later set as a cookie
    by :func:`set_cookie`) when the browser has none yet. Templates call this."""
    services = _services(request)
    nonce = getattr(request.state, "csrf_nonce", None) or _nonce_from_cookie(request, services)
    if nonce is None:
        nonce = secrets.token_urlsafe(_NONCE_BYTES)
        request.state.csrf_new_nonce = True
    request.state.csrf_nonce = nonce
    return _sign(services.settings.signing_secret, nonce)


async def verify(request: Request) -> None:
    """Refuse a cookie-authenticated post whose token does not match the browser's cookie."""
    services = _services(request)
    nonce = _nonce_from_cookie(request, services)
    sent = await _sent_token(request)
    expected = _sign(services.settings.signing_secret, nonce) if nonce else ""
    if not nonce or not sent or not hmac.compare_digest(sent, expected):
        raise PermissionDenied(EXPIRED, code="csrf_failed")


def set_cookie(request: Request, response: Response) -> None:
    """Give the browser the nonce its page's tokens were signed with, if it is new."""
    if not getattr(request.state, "csrf_new_nonce", False):
        return
    settings = _services(request).settings
    response.set_cookie(
        cookie_name(settings.cookie_secure),
        request.state.csrf_nonce,
        max_age=settings.refresh_token_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def _nonce_from_cookie(request: Request, services: Services) -> str | None:
    nonce = request.cookies.get(cookie_name(services.settings.cookie_secure))
    return nonce if nonce and 16 <= len(nonce) <= 128 else None


async def _sent_token(request: Request) -> str:
    content_type = request.headers.get("content-type", "")
    value: Any
    if content_type.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            return ""
        value = body.get(FIELD) if isinstance(body, dict) else None
    else:
        value = (await request.form()).get(FIELD)
    return value if isinstance(value, str) else ""


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services
