"""Small HTTP helpers: who is asking, and the security headers every response carries."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None
    user_agent: str | None
    base_url: str = ""  # scheme://host[:port] the request came in on, for absolute links

    @classmethod
    def of(cls, request: Request) -> RequestMeta:
        agent = request.headers.get("user-agent")
        return cls(
            ip=request.client.host if request.client else None,
            user_agent=agent[:300] if agent else None,
            base_url=str(request.base_url).rstrip("/"),
        )


# The dashboard may never be framed; the customer portal is made to be (the widget frames it).
_CSP_BASE = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
# No includeSubDomains: the instance may share a parent domain with sites it does not run.
HSTS_VALUE = "max-age=31536000"
EMBEDDABLE_PREFIXES = ("/c/", "/widget.js", "/api/portal/", "/portal-static/", "/files/")


class SecurityHeadersMiddleware:
    """Pure ASGI middleware (no BaseHTTPMiddleware: it would buffer streamed responses)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        # Behind HTTPS (FRONTDESK_COOKIE_SECURE=true) browsers are told to never use plain
        # HTTP for this host again, so a network attacker cannot strip TLS on a later visit.
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        embeddable = path.startswith(EMBEDDABLE_PREFIXES)
        docs = path == "/docs"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("Permissions-Policy", "camera=(), geolocation=()")
                if not docs:  # Swagger UI needs its inline bootstrap script
                    ancestors = "*" if embeddable else "'none'"
                    headers.setdefault(
                        "Content-Security-Policy", f"{_CSP_BASE}; frame-ancestors {ancestors}"
                    )
                if not embeddable:
                    headers.setdefault("X-Frame-Options", "DENY")
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", HSTS_VALUE)
            await send(message)

        await self.app(scope, receive, send_with_headers)
