"""The staff's API over conversations: the inbox."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import Response

from frontdesk.conversations import inbox, transfer
from frontdesk.conversations.repository import InboxFilter
from frontdesk.conversations.schemas import (
    ApproveIn,
    ConversationOut,
    ConversationsOut,
    ConversationUpdate,
    EditIn,
    MessageOut,
    MessagesOut,
    ReviseIn,
    StaffMessageIn,
    SummaryOut,
    TypingIn,
)
from frontdesk.conversations.transfer import ConversationImport
from frontdesk.conversations.views import message_view, message_views
from frontdesk.deps import Ctx, Svc, Uow
from frontdesk.kit.params import IsoDatetime
from frontdesk.realtime.events import announce, last_event_id

router = APIRouter(prefix="/api", tags=["inbox"])


@router.get("/conversations", response_model=ConversationsOut)
async def list_conversations(
    uow: Uow,
    ctx: Ctx,
    status_: Literal["open", "closed"] | None = Query(None, alias="status"),
    assigned: Literal["me", "unassigned"] | None = None,
    ai_mode: Literal["auto", "draft", "off"] | None = None,
    channel: str | None = Query(None, max_length=16),
    q: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=200),
    before: IsoDatetime | None = None,
) -> ConversationsOut:
    f = InboxFilter(
        status=status_,
        assignee_id=ctx.user_id if assigned == "me" else None,
        unassigned=assigned == "unassigned",
        ai_mode=ai_mode,
        channel=channel,
        query=q.strip() if q and q.strip() else None,
        limit=limit,
        before=before,
    )
    last = await last_event_id(uow.session, ctx.workspace_id)  # before the read: no gap
    rows = await inbox.list_conversations(uow.session, ctx, f)
    return ConversationsOut(
        last_event_id=last,
        conversations=[ConversationOut.of(r.conversation, r.last_message, r.unread) for r in rows],
    )


@router.get("/conversations/{conversation_id:uuid}", response_model=ConversationOut)
async def get_conversation(conversation_id: uuid.UUID, uow: Uow, ctx: Ctx) -> ConversationOut:
    return ConversationOut.of(await inbox.get(uow.session, ctx, conversation_id))


@router.get("/conversations/{conversation_id:uuid}/messages", response_model=MessagesOut)
async def conversation_messages(conversation_id: uuid.UUID, uow: Uow, ctx: Ctx) -> MessagesOut:
    messages = await inbox.messages(uow.session, ctx, conversation_id)
    return MessagesOut(
        messages=await message_views(uow.session, ctx.workspace_id, messages, staff=True)
    )


@router.post(
    "/conversations/{conversation_id:uuid}/messages",
    response_model=MessageOut,
    status_code=status.HTTP_201_CREATED,
)
async def send_message(
    conversation_id: uuid.UUID, data: StaffMessageIn, uow: Uow, ctx: Ctx
) -> MessageOut:
    message = await inbox.send(
        uow.session, ctx, conversation_id, data.text, data.as_customer, data.client_id
    )
    return await message_view(uow.session, message, staff=True)


@router.patch("/conversations/{conversation_id:uuid}", response_model=ConversationOut)
async def update_conversation(
    conversation_id: uuid.UUID, data: ConversationUpdate, uow: Uow, ctx: Ctx
) -> ConversationOut:
    return ConversationOut.of(await inbox.update(uow.session, ctx, conversation_id, data))


@router.post("/conversations/{conversation_id:uuid}/read", status_code=status.HTTP_204_NO_CONTENT)
async def mark_read(conversation_id: uuid.UUID, uow: Uow, ctx: Ctx) -> None:
    await inbox.mark_read(uow.session, ctx, conversation_id)


@router.post("/conversations/{conversation_id:uuid}/typing", status_code=status.HTTP_204_NO_CONTENT)
async def typing(conversation_id: uuid.UUID, data: TypingIn, uow: Uow, ctx: Ctx, svc: Svc) -> None:
    conversation = await inbox.get(uow.session, ctx, conversation_id)
    await announce(
        svc.bus,
        ctx.workspace_id,
        conversation.id,
        "typing",
        {
            "conversation_id": str(conversation.id),
            "sender_type": "staff",
            "name": ctx.user.full_name,
            "typing": data.typing,
        },
        origin="staff",
    )


@router.get("/conversations/{conversation_id:uuid}/export", response_model=None)
async def export_conversation(
    conversation_id: uuid.UUID, uow: Uow, ctx: Ctx, format: Literal["json", "csv"] = "json"
) -> Response:
    exported = await transfer.export(uow.session, ctx, conversation_id)
    if format == "json":
        return Response(
            exported.model_dump_json(indent=2),
            media_type="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="conversation-{conversation_id}.json"'
            },
        )
    return Response(
        transfer.as_csv(exported),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="conversation-{conversation_id}.csv"'
        },
    )


@router.post(
    "/conversations/import", response_model=ConversationOut, status_code=status.HTTP_201_CREATED
)
async def import_conversation(data: ConversationImport, uow: Uow, ctx: Ctx) -> ConversationOut:
    return ConversationOut.of(await transfer.import_conversation(uow.session, ctx, data))


@router.post("/messages/{message_id:uuid}/approve", response_model=MessageOut)
async def approve_draft(
    message_id: uuid.UUID, uow: Uow, ctx: Ctx, data: ApproveIn | None = None
) -> MessageOut:
    message = await inbox.approve(uow.session, ctx, message_id, data.text if data else None)
    return await message_view(uow.session, message, staff=True)


@router.post("/messages/{message_id:uuid}/revise", response_model=MessageOut)
async def revise_draft(
    message_id: uuid.UUID, data: ReviseIn, uow: Uow, ctx: Ctx, svc: Svc
) -> MessageOut:
    revised = await inbox.revise(uow.session, ctx, svc, message_id, data.instructions)
    return await message_view(uow.session, revised, staff=True)


@router.get("/conversations/{conversation_id:uuid}/summary", response_model=SummaryOut)
async def summarize_conversation(
    conversation_id: uuid.UUID, uow: Uow, ctx: Ctx, svc: Svc
) -> SummaryOut:
    summary, engine = await inbox.summarize(uow.session, ctx, svc, conversation_id)
    return SummaryOut(summary=summary, engine=engine)


@router.patch("/messages/{message_id:uuid}", response_model=MessageOut)
async def edit_message(message_id: uuid.UUID, data: EditIn, uow: Uow, ctx: Ctx) -> MessageOut:
    return await message_view(
        uow.session, await inbox.edit(uow.session, ctx, message_id, data.text), staff=True
    )


@router.delete("/messages/{message_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_message(message_id: uuid.UUID, uow: Uow, ctx: Ctx) -> None:
    await inbox.delete(uow.session, ctx, message_id)
