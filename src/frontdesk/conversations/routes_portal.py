"""The customer's API: the portal page's and the widget's chat."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from frontdesk.conversations import portal
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
from frontdesk.deps import Svc, Uow
from frontdesk.kit.errors import NotAuthenticated
from frontdesk.realtime.events import announce, last_event_id

router = APIRouter(prefix="/api/portal", tags=["portal chat"])
_bearer = HTTPBearer(
    auto_error=False, description="Session token from POST /api/portal/{slug}/sessions"
)


async def get_customer(
    uow: Uow, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> portal.Customer:
    if credentials is None:
        raise NotAuthenticated("Start a chat session first.", code="invalid_session")
    return await portal.resolve(uow.session, credentials.credentials)


Customer = Annotated[portal.Customer, Depends(get_customer)]


@router.post("/{slug}/sessions", response_model=SessionOut, status_code=status.HTTP_201_CREATED)
async def start_session(slug: str, data: SessionIn, uow: Uow) -> SessionOut:
    token, customer, profile = await portal.start_session(uow.session, slug, data)
    return SessionOut(
        session_token=token,
        conversation_id=customer.conversation.id,
        business_name=customer.workspace.name,
        assistant=AssistantCard(
            name=profile.name, greeting=profile.greeting, quick_prompts=profile.quick_prompts
        ),
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
        assistant=AssistantCard(
            name=profile.name, greeting=profile.greeting, quick_prompts=profile.quick_prompts
        ),
        messages=[MessageOut.of(m) for m in history],
    )


@router.post("/messages", response_model=MessageOut, status_code=status.HTTP_201_CREATED)
async def send_message(data: TextIn, uow: Uow, customer: Customer) -> MessageOut:
    return MessageOut.of(await portal.send(uow.session, customer, data.text, data.client_id))


@router.get("/messages", response_model=MessagesOut)
async def messages_after(
    uow: Uow, customer: Customer, after: uuid.UUID | None = None
) -> MessagesOut:
    messages = await portal.messages_after(uow.session, customer, after)
    return MessagesOut(messages=[MessageOut.of(m) for m in messages])


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
