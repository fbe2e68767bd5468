"""Turns every failure into the one error envelope (JSON for the API, a page for browsers)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from frontdesk.kit.dependencies import (
    DEPENDENCY_ERRORS,
    RETRY_AFTER_SECONDS,
    down_dependency,
    unavailable_envelope,
)
from frontdesk.kit.errors import FrontdeskError, error_envelope
from frontdesk.observability.logging import REQUEST_ID_HEADER, request_id

log = logging.getLogger("frontdesk.errors")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def _respond(
    request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    if _wants_html(request):
        from frontdesk.web.templating import templates

        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "status_code": status,
                "title": HTTPStatus(status).phrase,
                "message": body["error"]["message"],
            },
            status_code=status,
            headers=headers,
        )
    return JSONResponse(body, status_code=status, headers=headers)


def _field_path(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FrontdeskError)
    return _respond(request, exc.status_code, exc.envelope(), exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"field": _field_path(tuple(e["loc"])), "message": e["msg"], "type": e["type"]}
        for e in exc.errors()
    ]
    return _respond(
        request,
        422,
        error_envelope("validation_error", "Some fields are missing or invalid.", details),
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    message = exc.detail if isinstance(exc.detail, str) else phrase
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return _respond(request, exc.status_code, error_envelope(code, message), headers or None)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path. Starlette's 405 names only the first
    route that matched the path, and each method of a path is a route of its own here."""
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    # Logged in full here; the client only ever learns that something failed.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    response = _respond(
        request,
        500,
        error_envelope("internal_error", "Something went wrong on our side. Please try again."),
    )
    # Answered outside every middleware (Starlette's outermost one): the id the logs carry.
    rid = request_id.get()
    if rid:
        response.headers[REQUEST_ID_HEADER] = rid
    return response


async def _dependency_error(request: Request, exc: Exception) -> Response:
    """Redis or the database unreachable: 503 naming it, and when to try again (no
    traceback: the outage is logged once per request in one line)."""
    down = down_dependency(exc)
    if down is None:
        return await _unexpected_error(request, exc)
    log.warning("%s %s: %s unreachable (%s)", request.method, request.url.path, down.name, exc)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return _respond(request, 503, unavailable_envelope(down), headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(FrontdeskError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for error in DEPENDENCY_ERRORS:
        app.add_exception_handler(error, _dependency_error)
    app.add_exception_handler(Exception, _unexpected_error)
