"""Sockets for customers and staff, and Server-Sent Events for clients without sockets.

Handlers stay thin: authenticate, build the stream spec, pump frames out and client frames in.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse

from frontdesk.accounts import service as accounts
from frontdesk.conversations import inbox, portal
from frontdesk.kit.body_limits import JSON_DEPTH_LIMIT, json_too_deep
from frontdesk.kit.errors import FrontdeskError, NotAuthenticated
from frontdesk.kit.http import RequestMeta
from frontdesk.observability.logging import bind
from frontdesk.observability.metrics import open_stream
from frontdesk.realtime.events import ALL, announce, conversation_channel, staff_channel
from frontdesk.realtime.streams import StreamSpec, event_stream
from frontdesk.services import Services
from frontdesk.workspaces.permissions import WorkspaceContext

router = APIRouter(tags=["realtime"])
UNAUTHORIZED = 4401  # WebSocket close code: the token was refused
ClientHandler = Callable[[dict[str, Any]], Awaitable[None]]


def _services(connection: WebSocket | Request) -> Services:
    services: Services = connection.app.state.services
    return services


def customer_spec(customer: portal.Customer) -> StreamSpec:
    return StreamSpec(
        customer.workspace.id,
        conversation_channel(customer.conversation.id),
        customer.conversation.id,
        lambda e: e.audience == ALL and e.origin != "customer",
    )


def staff_spec(ctx: WorkspaceContext) -> StreamSpec:
    return StreamSpec(ctx.workspace_id, staff_channel(ctx.workspace_id), None, lambda e: True)


async def _customer(services: Services, token: str) -> portal.Customer:
    async with services.unit_of_work() as uow:
        return await portal.resolve(uow.session, token)


async def _staff(services: Services, token: str, meta: RequestMeta) -> WorkspaceContext:
    async with services.unit_of_work() as uow:
        return await accounts.authenticate(uow.session, services.settings, token, meta)


@router.websocket("/ws/portal")
async def portal_socket(websocket: WebSocket, token: str = "", after: int | None = None) -> None:
    services = _services(websocket)
    try:
        customer = await _customer(services, token)
    except NotAuthenticated:
        await _refuse(websocket)
        return
    await websocket.accept()
    conversation = customer.conversation
    bind(workspace_id=customer.workspace.id, conversation_id=conversation.id)

    async def presence(state: str) -> None:
        await announce(
            services.bus,
            customer.workspace.id,
            conversation.id,
            "presence",
            {
                "conversation_id": str(conversation.id),
                "who": "customer",
                "name": customer.name,
                "state": state,
            },
            origin="customer",
            to_customer=False,
        )

    async def handle(message: dict[str, Any]) -> None:
        data = message.get("data") or {}
        if message.get("type") == "typing":
            await announce(
                services.bus,
                customer.workspace.id,
                conversation.id,
                "typing",
                {
                    "conversation_id": str(conversation.id),
                    "sender_type": "customer",
                    "name": customer.name,
                    "typing": bool(data.get("typing")),
                },
                origin="customer",
            )
        elif message.get("type") == "read":
            async with services.unit_of_work() as uow:
                await portal.mark_read(uow.session, customer, uuid.UUID(str(data["message_id"])))

    await presence("joined")
    try:
        with open_stream("customer", "websocket"):
            await _pump(
                websocket,
                event_stream(services, customer_spec(customer), after),
                handle,
                services.settings.socket_idle_seconds,
            )
    finally:
        await presence("left")


@router.websocket("/ws/staff")
async def staff_socket(websocket: WebSocket, token: str = "", after: int | None = None) -> None:
    services = _services(websocket)
    meta = RequestMeta(ip=websocket.client.host if websocket.client else None, user_agent=None)
    try:
        ctx = await _staff(services, token, meta)
    except NotAuthenticated:
        await _refuse(websocket)
        return
    await websocket.accept()
    bind(workspace_id=ctx.workspace_id)

    async def handle(message: dict[str, Any]) -> None:
        data = message.get("data") or {}
        conversation_id = uuid.UUID(str(data["conversation_id"]))
        async with services.unit_of_work() as uow:
            conversation = await inbox.get(uow.session, ctx, conversation_id)
            if message.get("type") == "read":
                await inbox.mark_read(uow.session, ctx, conversation.id)
        if message.get("type") == "typing":
            await announce(
                services.bus,
                ctx.workspace_id,
                conversation.id,
                "typing",
                {
                    "conversation_id": str(conversation.id),
                    "sender_type": "staff",
                    "name": ctx.user.full_name,
                    "typing": bool(data.get("typing")),
                },
                origin="staff",
            )

    with open_stream("staff", "websocket"):
        await _pump(
            websocket,
            event_stream(services, staff_spec(ctx), after),
            handle,
            services.settings.socket_idle_seconds,
        )


async def _refuse(websocket: WebSocket) -> None:
    """Accept, then close with 4401: a close before accepting reaches browsers only as a
    failed handshake (1006), and the client could not tell "sign in again" from "offline"."""
    await websocket.accept()
    await websocket.close(code=UNAUTHORIZED, reason="token refused")


async def _pump(
    websocket: WebSocket, frames: AsyncIterator[str], handle: ClientHandler, idle_seconds: float
) -> None:
    """Send frames until the client leaves or falls silent; answer its frames meanwhile.

    Liveness is the client's job (it pings every 25 s): the server only keeps a timer per
    socket, so thousands of sockets cost no periodic traffic, and a dead one is closed after
    ``idle_seconds``."""

    async def send_all() -> None:
        async for frame in frames:
            await websocket.send_text(frame)

    async def receive_all() -> None:
        while True:
            try:
                raw = await asyncio.wait_for(websocket.receive_text(), idle_seconds)
            except TimeoutError:
                return  # silent for too long: presumed gone
            try:
                if json_too_deep(raw.encode()):
                    # json.loads would recurse until RecursionError, past this handler.
                    raise ValueError(f"JSON nested deeper than {JSON_DEPTH_LIMIT} levels.")
                message = json.loads(raw)
                if message.get("type") == "ping":
                    await websocket.send_text('{"type":"pong","data":{}}')
                else:
                    await handle(message)
            except (ValueError, KeyError, TypeError, AttributeError, FrontdeskError) as error:
                # A bad frame is answered, not fatal: the client gets to know what was wrong.
                await websocket.send_text(
                    json.dumps({"type": "error", "data": {"message": str(error)[:200]}})
                )

    sender = asyncio.create_task(send_all())
    receiver = asyncio.create_task(receive_all())
    try:
        await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sender, receiver):
            task.cancel()
        for task in (sender, receiver):
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close()  # already gone when the client left first


def _sse(frames: AsyncIterator[str], audience: str) -> StreamingResponse:
    async def body() -> AsyncIterator[str]:
        with open_stream(audience, "sse"):
            async for frame in frames:
                event_id = json.loads(frame).get("id")
                yield (f"id: {event_id}\n" if event_id else "") + f"data: {frame}\n\n"

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/api/portal/events", include_in_schema=True)
async def portal_events(
    request: Request, token: str = Query(...), after: int | None = None
) -> StreamingResponse:
    """The customer's events as Server-Sent Events (EventSource cannot send headers, so the
    session token comes in the query)."""
    services = _services(request)
    customer = await _customer(services, token)
    return _sse(event_stream(services, customer_spec(customer), after), "customer")


@router.get("/api/events", include_in_schema=True)
async def staff_events(
    request: Request, token: str = Query(...), after: int | None = None
) -> StreamingResponse:
    services = _services(request)
    ctx = await _staff(services, token, RequestMeta.of(request))
    return _sse(event_stream(services, staff_spec(ctx), after), "staff")
