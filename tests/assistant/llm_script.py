"""The scripting and serving half of the LLM stand-ins (the wire formats are in
``llm_servers``): the steps a test queues, one per request — :class:`Say`, :class:`UseTools`,
:class:`Fail`, :class:`Hang` — the record of what arrived, and uvicorn on a loopback port."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Say:
    """A text answer, streamed in these pieces. ``stall_after``: send that many pieces, then
    nothing more (the connection stays open) — a model that stops mid-answer."""

    pieces: list[str]
    input_tokens: int = 21
    output_tokens: int = 9
    stall_after: int | None = None

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class Call:
    name: str
    arguments: dict[str, Any] | str  # a str is sent verbatim, e.g. JSON that does not parse
    id: str = ""

    @property
    def json(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)


@dataclass
class UseTools:
    """The model calls these tools, after saying ``preface`` (if any)."""

    calls: list[Call]
    preface: str = ""
    input_tokens: int = 30
    output_tokens: int = 12


@dataclass
class Fail:
    status: int = 500
    # Both SDKs honour retry-after-ms, so a retry costs a millisecond, not their backoff.
    retry_after_ms: int | None = 1


@dataclass
class Hang:
    seconds: float = 30.0  # or until the server stops, whichever comes first


Step = Say | UseTools | Fail | Hang
STALL = "<stall>"  # in a stream: stop sending here, keep the connection open


@dataclass
class Received:
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 200


@dataclass
class ScriptedAPI:
    """The shared machinery: the script, the record, the server lifecycle."""

    api_key: str = ""  # when set, requests must carry exactly this key
    script: deque[Step] = field(default_factory=deque)
    repeat: Step | None = None  # played when the script is exhausted
    requests: list[Received] = field(default_factory=list)
    path = ""
    _release: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    def play(self, *steps: Step) -> None:
        self.script.extend(steps)

    def always(self, step: Step) -> None:
        self.repeat = step

    def reset(self) -> None:
        self.script.clear()
        self.repeat = None
        self.requests.clear()
        self.api_key = ""

    def app(self) -> Starlette:
        @asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            self._loop = asyncio.get_running_loop()
            self._release = asyncio.Event()
            yield

        return Starlette(
            routes=[Route(self.path, self._handle, methods=["POST"])], lifespan=lifespan
        )

    def release(self) -> None:
        """End every hang now (called from the test thread when the server stops)."""
        if self._loop is not None and self._release is not None:
            self._loop.call_soon_threadsafe(self._release.set)

    async def hang(self, seconds: float) -> None:
        assert self._release is not None
        with suppress(TimeoutError):
            await asyncio.wait_for(self._release.wait(), seconds)

    async def _handle(self, request: Request) -> Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        body = json.loads(await request.body())
        received = Received(headers, body)
        self.requests.append(received)
        rejected = self.check(headers, body)
        if rejected is not None:
            received.status = rejected.status_code
            return rejected
        step = self.script.popleft() if self.script else self.repeat
        if step is None:
            received.status = 500
            return self.error(500, "the test script has no step for this request")
        if isinstance(step, Fail):
            received.status = step.status
            response = self.error(step.status, "scripted failure")
            if step.retry_after_ms is not None:
                response.headers["retry-after-ms"] = str(step.retry_after_ms)
            return response
        if isinstance(step, Hang):
            await self.hang(step.seconds)
            return self.error(500, "hung")
        if body.get("stream"):
            return StreamingResponse(self._sse(step, body), media_type="text/event-stream")
        if not isinstance(step, Say):
            return self.error(500, "the test scripted tool calls for a request without stream")
        return JSONResponse(self.complete(step, body))

    async def _sse(self, step: Say | UseTools, body: dict[str, Any]) -> AsyncIterator[bytes]:
        for event in self.stream(step, body):
            if event is STALL:
                await self.hang(30)
                return
            yield event.encode()
            await asyncio.sleep(0)  # separate writes, as a real model's tokens are

    # Implemented per vendor: validation as the real API does it, and its formats.
    def check(self, headers: dict[str, str], body: dict[str, Any]) -> Response | None:
        raise NotImplementedError

    def error(self, status: int, message: str) -> JSONResponse:
        raise NotImplementedError

    def stream(self, step: Say | UseTools, body: dict[str, Any]) -> list[str]:
        """The events of a streamed answer; ``STALL`` where a stalling answer stops."""
        raise NotImplementedError

    def complete(self, step: Say, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


def fragments(text: str, size: int = 7) -> list[str]:
    """Arguments arrive in pieces that split words and JSON tokens, as real streams do."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:24]}"


@contextmanager
def serve(api: ScriptedAPI) -> Iterator[str]:
    """Run ``api`` under uvicorn on an ephemeral loopback port in a thread of its own;
    yields ``http://127.0.0.1:<port>``."""
    server = uvicorn.Server(
        uvicorn.Config(
            api.app(),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        api.release()
        server.should_exit = True
        thread.join(timeout=10)
