from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StrictBool, model_validator
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm.base import NO_VALUE

from frontdesk.attachments.models import Attachment
from frontdesk.attachments.schemas import AttachmentOut
from frontdesk.contacts.schemas import ContactRef
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.rendering import render
from frontdesk.kit.params import not_null, written
from frontdesk.kit.text import CleanInput

AiMode = Literal["auto", "draft", "off"]
MAX_TEXT = 8000


class MessageOut(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    sender_type: str
    sender_name: str
    text: str
    html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    client_id: str | None
    attachments: list[AttachmentOut] = []
    meta: dict[str, Any] | None = None  # staff only
    sender_user_id: uuid.UUID | None = None  # staff only: which teammate wrote it

    @classmethod
    def of(
        cls, message: Message, staff: bool = False, attachments: Sequence[Attachment] = ()
    ) -> MessageOut:
        deleted = message.status == "deleted"
        return cls(
            id=message.id,
            conversation_id=message.conversation_id,
            sender_type=message.sender_type,
            sender_name=message.sender_name,
            text="" if deleted else message.text,
            html="" if deleted else render(message.text),
            status=message.status,
            created_at=message.created_at,
            edited_at=message.edited_at,
            client_id=message.client_id,
            meta=message.meta if staff else None,
            sender_user_id=message.sender_user_id if staff else None,
            attachments=[] if deleted else [AttachmentOut.of(a) for a in attachments],
        )


class ConversationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer_name: str
    customer_email: str
    channel: str
    status: str
    ai_mode: str
    ai_paused: bool
    needs_human: bool
    contact_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    client_description: str
    instructions: str
    created_at: datetime
    last_message_at: datetime
    last_message: MessageOut | None = None
    unread_count: int = 0
    contact: ContactRef | None = None

    @classmethod
    def of(
        cls, conversation: Conversation, last: Message | None = None, unread: int = 0
    ) -> ConversationOut:
        out = cls.model_validate(conversation)
        out.last_message = MessageOut.of(last, staff=True) if last else None
        out.unread_count = unread
        # Read the contact only if it is loaded (every query joins it): touching an unloaded
        # relationship would start lazy I/O, which async sessions forbid.
        contact = sa_inspect(conversation).attrs.contact.loaded_value
        out.contact = (
            ContactRef.model_validate(contact) if contact not in (None, NO_VALUE) else None
        )
        return out


class AssistantCard(BaseModel):
    name: str
    greeting: str
    quick_prompts: list[str]


class SessionIn(CleanInput):
    name: str | None = Field(None, max_length=200)
    email: EmailStr | None = None
    channel: Literal["portal", "widget"] = "portal"


class SessionOut(BaseModel):
    session_token: str
    conversation_id: uuid.UUID
    assistant: AssistantCard
    business_name: str


class SessionState(BaseModel):
    conversation_id: uuid.UUID
    last_event_id: int  # connect the socket with after=this to miss nothing
    assistant: AssistantCard
    business_name: str
    customer_name: str
    needs_human: bool = False  # a person was asked for and has not answered yet
    messages: list[MessageOut]


class TextIn(CleanInput):
    """A message: text, uploads (ids from POST /api/portal/uploads), or both."""

    # The document says what the validator below checks: something written, or a file.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                written("text"),
                {"required": ["attachment_ids"], "properties": {"attachment_ids": {"minItems": 1}}},
            ]
        }
    )

    text: str = Field("", max_length=MAX_TEXT)
    client_id: str | None = Field(None, max_length=64)
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _something_to_send(self) -> TextIn:
        self.text = self.text.strip()
        if not self.text and not self.attachment_ids:
            raise ValueError("write something or attach a file")
        return self


class StaffMessageIn(TextIn):
    as_customer: StrictBool = False


class MessagesOut(BaseModel):
    messages: list[MessageOut]


class TypingIn(BaseModel):
    typing: StrictBool


class ReadIn(BaseModel):
    message_id: uuid.UUID


class ConversationUpdate(CleanInput):
    # The service refuses to empty these (inbox.update): null is no value for them.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=not_null(
            "ai_mode", "ai_paused", "status", "needs_human", "client_description", "instructions"
        ),
    )

    ai_mode: AiMode | None = None
    ai_paused: StrictBool | None = None
    assignee_id: uuid.UUID | None = None
    status: Literal["open", "closed"] | None = None
    client_description: str | None = Field(None, max_length=4000)
    instructions: str | None = Field(None, max_length=4000)
    needs_human: StrictBool | None = None


class ConversationsOut(BaseModel):
    conversations: list[ConversationOut]
    last_event_id: int  # connect the socket with after=this to miss nothing


class ApproveIn(CleanInput):
    text: str | None = Field(None, min_length=1, max_length=MAX_TEXT)


class ReviseIn(CleanInput):
    instructions: str = Field(min_length=1, max_length=500)


class EditIn(CleanInput):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class SummaryOut(BaseModel):
    summary: str
    engine: str  # local (extractive) or llm (generated)
