"""The customer's API: the portal page's and the widget's chat."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUpload

from frontdesk.attachments.schemas import AttachmentOut
from frontdesk.conversations import portal
from frontdesk.conversations.abuse import PortalGuard
from frontdesk.conversations.schemas import (
    AssistantCard,
    MessageOut,
    MessagesOut,
    ReadIn,
    SessionIn,
    SessionOut,
    SessionState,
    TextIn,
    TypingIn,
)
from frontdesk.conversations.views import message_view, message_views
from frontdesk.deps import Svc, Uow
from frontdesk.kit.body_limits import MULTIPART_SLACK, restrict_body
from frontdesk.kit.errors import InvalidInput, NotAuthenticated
from frontdesk.kit.http import RequestMeta
from frontdesk.observability.logging import bind
from frontdesk.realtime.events import announce, last_event_id
from frontdesk.services import Services

router = APIRouter(prefix="/api/portal", tags=["portal chat"])
_bearer = HTTPBearer(
    auto_error=False, description="Session token from POST /api/portal/{slug}/sessions"
)
_FILE_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}},
}


async def get_customer(
    uow: Uow, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> portal.Customer:
    if credentials is None:
        raise NotAuthenticated("Start a chat session first.", code="invalid_session")
    customer = await portal.resolve(uow.session, credentials.credentials)
    bind(workspace_id=customer.workspace.id, conversation_id=customer.conversation.id)
    return customer


def get_guard(request: Request, svc: Svc) -> PortalGuard:
    return PortalGuard(svc.limiter, svc.settings, RequestMeta.of(request).ip)


Customer = Annotated[portal.Customer, Depends(get_customer)]
Guard = Annotated[PortalGuard, Depends(get_guard)]


def _card(profile: object) -> AssistantCard:
    return AssistantCard.model_validate(profile, from_attributes=True)


@router.post("/{slug}/sessions", response_model=SessionOut, status_code=status.HTTP_201_CREATED)
async def start_session(slug: str, data: SessionIn, uow: Uow, guard: Guard) -> SessionOut:
    token, customer, profile = await portal.start_session(uow.session, guard, slug, data)
    return SessionOut(
        session_token=token,
        conversation_id=customer.conversation.id,
        business_name=customer.workspace.name,
        assistant=_card(profile),
    )


@router.get("/session", response_model=SessionState)
async def session_state(uow: Uow, customer: Customer) -> SessionState:
    # The event id is read before the history, so a socket opened with it misses nothing.
    last = await last_event_id(uow.session, customer.workspace.id, customer.conversation.id)
    profile, history = await portal.state(uow.session, customer)
    return SessionState(
        conversation_id=customer.conversation.id,
        last_event_id=last,
        business_name=customer.workspace.name,
        customer_name=customer.conversation.customer_name,
        needs_human=customer.conversation.needs_human,
        assistant=_card(profile),
        messages=await message_views(uow.session, customer.workspace.id, history),
    )


@router.post(
    "/messages",
    response_model=MessageOut,
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": TextIn.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "text": {"type": "string"},
                            "client_id": {"type": "string"},
                        },
                    }
                },
            }
        }
    },
)
async def send_message(
    request: Request, uow: Uow, customer: Customer, guard: Guard, svc: Svc
) -> MessageOut:
    """JSON `{text, client_id?, attachment_ids?}`, or multipart with `file` (and `text`)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with _upload_form(request, customer, svc) as (form, upload):
            stored = await portal.upload(
                uow.session, guard, svc.storage, customer, *_spooled(upload)
            )
            fields = {
                "text": str(form.get("text") or ""),
                "attachment_ids": [stored.id],
                "client_id": form.get("client_id") or None,
            }
        data = _text_in(fields)
    else:
        try:
            raw = await request.json()
        except ValueError:
            raise InvalidInput("body", "Send JSON, or multipart/form-data with a file.") from None
        data = _text_in(raw)
    message = await portal.send(uow.session, guard, customer, data)
    return await message_view(uow.session, message)


@router.post(
    "/uploads",
    response_model=AttachmentOut,
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": _FILE_FORM}},
        }
    },
)
async def upload_file(
    request: Request, uow: Uow, customer: Customer, guard: Guard, svc: Svc
) -> AttachmentOut:
    """Store a file (for a message sent next, naming it in `attachment_ids`)."""
    # The form is read here, not by FastAPI: after the session is known, so its workspace's
    # limit applies while the body streams in.
    async with _upload_form(request, customer, svc) as (_, upload):
        stored = await portal.upload(uow.session, guard, svc.storage, customer, *_spooled(upload))
    return AttachmentOut.of(stored)


@router.get("/messages", response_model=MessagesOut)
async def messages_after(
    uow: Uow, customer: Customer, after: uuid.UUID | None = None
) -> MessagesOut:
    messages = await portal.messages_after(uow.session, customer, after)
    return MessagesOut(messages=await message_views(uow.session, customer.workspace.id, messages))


@router.post("/typing", status_code=status.HTTP_204_NO_CONTENT)
async def typing(data: TypingIn, customer: Customer, svc: Svc) -> None:
    await announce(
        svc.bus,
        customer.workspace.id,
        customer.conversation.id,
        "typing",
        {
            "conversation_id": str(customer.conversation.id),
            "sender_type": "customer",
            "name": customer.name,
            "typing": data.typing,
        },
        origin="customer",
    )


@router.post("/read", status_code=status.HTTP_204_NO_CONTENT)
async def read(data: ReadIn, uow: Uow, customer: Customer) -> None:
    await portal.mark_read(uow.session, customer, data.message_id)


@asynccontextmanager
async def _upload_form(
    request: Request, customer: portal.Customer, svc: Services
) -> AsyncIterator[tuple[FormData, StarletteUpload]]:
    """The multipart form with its file, the body limited to the workspace's upload size
    before a byte of it is read (a larger declared length is refused unread)."""
    limit_mb = customer.workspace.upload_limit_mb or svc.settings.upload_limit_mb
    restrict_body(
        request, limit_mb * 1_000_000 + MULTIPART_SLACK, f"Files can be at most {limit_mb} MB."
    )
    async with request.form() as form:  # closes the spooled files
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload):
            raise InvalidInput("file", "Attach a file in the 'file' field.")
        yield form, upload


def _spooled(upload: StarletteUpload) -> tuple[str | None, BinaryIO, int]:
    """Name, spooled file and size: the file is stored from where the form parser put it."""
    size = upload.size if upload.size is not None else upload.file.seek(0, 2)
    return upload.filename, upload.file, size


def _text_in(raw: object) -> TextIn:
    try:
        return TextIn.model_validate(raw)
    except ValidationError as error:
        details = [
            {
                "field": ".".join(str(p) for p in e["loc"]) or "body",
                "message": e["msg"].removeprefix("Value error, "),
            }
            for e in error.errors()
        ]
        raise InvalidInput(details[0]["field"], details[0]["message"]) from None
