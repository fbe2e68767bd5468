"""Log lines that say which request, workspace and conversation they belong to.

``configure_logging`` sets up the root logger once per process (``frontdesk serve``,
``worker``...): ``text`` for people at a terminal, ``json`` for a log collector, one object
per line. The ids come from context variables: :class:`RequestContextMiddleware` sets the
request id (the client's ``X-Request-ID`` when it is sane, else a new one, echoed in the
response), and :func:`bind` adds workspace and conversation ids where code knows them (the
acting context of a request, a job's arguments). Tasks copy the context when created, so a
job run in-process after a request logs that request's id too.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")  # nothing that could forge a line

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
workspace_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "workspace_id", default=None
)
conversation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "conversation_id", default=None
)
_CONTEXT = {
    "request_id": request_id,
    "workspace_id": workspace_id,
    "conversation_id": conversation_id,
}


def bind(**ids: Any) -> None:
    """Note ids known here (``workspace_id=..., conversation_id=...``) for every later log line
    of this task and the tasks it starts. Unknown names and empty values are ignored."""
    for name, value in ids.items():
        variable = _CONTEXT.get(name)
        if variable is not None and value:
            variable.set(str(value))


@contextmanager
def bound(**ids: Any) -> Iterator[None]:
    """``bind`` for a block: the previous values come back after it (a worker runs many jobs
    in one context)."""
    tokens = [
        (variable, variable.set(str(ids[name])))
        for name, variable in _CONTEXT.items()
        if ids.get(name)
    ]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


class ContextFilter(logging.Filter):
    """Puts the context's ids on every record, so any formatter can use them."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, variable in _CONTEXT.items():
            if not hasattr(record, name):
                setattr(record, name, variable.get())
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _CONTEXT:
            value = getattr(record, name, None)
            if value:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The familiar line, with the request id appended when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        rid = getattr(record, "request_id", None)
        return f"{text} [request {rid}]" if rid else text


def handler_for(log_format: str) -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    return handler


def configure_logging(level: str, log_format: str) -> None:
    """The root logger writes to stderr in ``log_format``; uvicorn's loggers go through it
    (``serve`` starts uvicorn without a logging config of its own)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler_for(log_format))
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


class RequestContextMiddleware:
    """Pure ASGI: gives each request (and socket) an id, in the logs' context and in the
    response's ``X-Request-ID`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        # Not reset afterwards: the server runs each request in a task of its own (so nothing
        # leaks into the next), and the 500 handler, which Starlette runs outside every
        # middleware, still logs with this request's ids.
        request_id.set(rid)
        workspace_id.set(None)
        conversation_id.set(None)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        await self.app(scope, receive, send_with_id)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            return text if _SANE_REQUEST_ID.fullmatch(text) else None
    return None
