"""Request bodies are limited while they arrive, never after they have been buffered.

One pure ASGI middleware gives every request a byte budget before the app sees it:

- a declared ``Content-Length`` above the budget is answered 413 at once, unread;
- a chunked (or undeclared) body is counted as it arrives and aborted with 413 past it;
- any other body (JSON, a urlencoded form) is small by definition: it is read here, up to
  the JSON limit, and refused with 422 when nested too deep, before any parser recurses into
  it (Python's parser fails with RecursionError around 1,000 levels).

Routes that accept files get the instance's largest upload size; once a route knows its
workspace's own limit it lowers the budget with :func:`restrict_body`, which refuses a
declared length above it before a byte of the body is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontdesk.kit.errors import FrontdeskError, InvalidInput

JSON_DEPTH_LIMIT = 64
LARGEST_UPLOAD_MB = 200  # the most a workspace may set (workspaces/schemas.py)
MULTIPART_SLACK = 1_000_000  # boundaries and small form fields around the file
#: The routes that take a multipart file; every other route gets the JSON limit.
UPLOAD_PATHS = frozenset({"/api/portal/messages", "/api/portal/uploads", "/api/knowledge/sources"})
_BUDGET = "frontdesk.body_budget"
# Matched exactly as the routes match it (case-sensitive): a body the routes would parse as
# JSON must never get an upload's budget, nor skip the depth check.
MULTIPART = "multipart/form-data"
# A JSON string (escapes included) or one bracket: brackets inside strings do not nest.
_JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_OPENING = frozenset(b"[{")


class BodyTooLarge(FrontdeskError):
    status_code = 413
    code = "body_too_large"


class JsonTooDeep(InvalidInput):
    def __init__(self) -> None:
        super().__init__("body", f"JSON nested deeper than {JSON_DEPTH_LIMIT} levels is refused.")


@dataclass
class BodyBudget:
    limit: int
    message: str
    declared: int | None
    received: int = 0
    exceeded: bool = False

    def error(self) -> BodyTooLarge:
        return BodyTooLarge(self.message, details={"limit_bytes": self.limit})

    def count(self, size: int) -> None:
        self.received += size
        if self.received > self.limit:
            self.exceeded = True
            raise self.error()

    def lower(self, limit: int, message: str) -> None:
        if limit < self.limit:
            self.limit, self.message = limit, message
        if max(self.declared or 0, self.received) > self.limit:
            self.exceeded = True
            raise self.error()


def largest_upload_body(upload_limit_mb: int) -> int:
    """The budget of a file route before its workspace is known: the largest upload any
    workspace may accept, and room for the form around it."""
    return max(upload_limit_mb, LARGEST_UPLOAD_MB) * 1_000_000 + MULTIPART_SLACK


def restrict_body(request: Request, limit: int, message: str) -> None:
    """Lower this request's body limit to ``limit`` bytes (a route that knows its workspace's
    upload limit). Raises 413 at once when the declared length is already above it."""
    budget: BodyBudget | None = request.scope.get(_BUDGET)
    if budget is not None:
        budget.lower(limit, message)


def json_too_deep(body: bytes, limit: int = JSON_DEPTH_LIMIT) -> bool:
    """Whether brackets outside strings nest deeper than ``limit``; linear, no recursion."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # the common case, at C speed: too few brackets to nest that deep
    depth = 0
    for token in _JSON_TOKENS.finditer(body):
        first = body[token.start()]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first != 0x22:  # a closing bracket (0x22 is the quote of a string)
            depth -= 1
    return False


def _declared_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None


class BodyLimitMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware, which would read the body before any check)."""

    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit

    def _budget_for(self, scope: Scope, multipart: bool, declared: int | None) -> BodyBudget:
        if multipart and scope["path"] in UPLOAD_PATHS:
            megabytes = (self.upload_limit - MULTIPART_SLACK) // 1_000_000
            return BodyBudget(self.upload_limit, f"Files can be at most {megabytes} MB.", declared)
        kilobytes = self.json_limit // 1024
        return BodyBudget(
            self.json_limit, f"Request bodies can be at most {kilobytes} KB.", declared
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        multipart = headers.get("content-type", "").startswith(MULTIPART)
        budget = self._budget_for(scope, multipart, _declared_length(headers))
        if budget.declared is not None and budget.declared > budget.limit:
            await _refuse(scope, send, budget.error())
            return
        scope[_BUDGET] = budget
        if multipart:
            await self._counted(scope, receive, send, budget)
        else:
            await self._small_body(scope, receive, send, budget)

    async def _small_body(
        self, scope: Scope, receive: Receive, send: Send, budget: BodyBudget
    ) -> None:
        """JSON, a urlencoded form, anything but multipart: small, so read here, checked for
        depth (routes parse JSON whatever the declared type) and replayed to the app."""
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left before sending its body: nobody to answer
            chunk: bytes = message.get("body", b"")
            try:
                budget.count(len(chunk))
            except BodyTooLarge as error:
                await _refuse(scope, send, error)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if json_too_deep(body):
            await _refuse(scope, send, JsonTooDeep())
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # a disconnect, for whoever listens for one
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _counted(
        self, scope: Scope, receive: Receive, send: Send, budget: BodyBudget
    ) -> None:
        """A multipart form, possibly a large upload: counted chunk by chunk as the app reads
        it (the form parser spools files to disk)."""
        started = False
        refused = False

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                budget.count(len(message.get("body", b"")))
            return message

        async def guarded_send(message: Message) -> None:
            # Whatever the app made of an aborted body (FastAPI turns a failed form parse
            # into a 400), the client is told the truth: the body was too large.
            nonlocal started, refused
            if refused:
                return
            if budget.exceeded and not started:
                refused = True
                await _refuse(scope, send, budget.error())
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge as error:
            if not started and not refused:
                await _refuse(scope, send, error)


async def _refuse(scope: Scope, send: Send, error: FrontdeskError) -> None:
    # Connection: close: the rest of an unread body must not be taken for the next request.
    response = JSONResponse(
        error.envelope(), status_code=error.status_code, headers={"Connection": "close"}
    )
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
