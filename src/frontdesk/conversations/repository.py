from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.conversations.models import Conversation, Message
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.workspaces.models import Workspace

# Drafts are for staff only; a discarded draft is gone for everyone; a deleted message keeps
# its place as a marker.
CUSTOMER_VISIBLE = ("sent", "deleted")
STAFF_VISIBLE = ("sent", "deleted", "draft")


# Built once: every customer request runs it, and building costs more than running it.
_BY_TOKEN = (
    select(Conversation, Workspace)
    .join(Workspace, Workspace.id == Conversation.workspace_id)
    .where(Conversation.session_token_hash == bindparam("token_hash"))
)


class ConversationTokens:
    """Session tokens are global secrets: the token alone names its conversation."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_hash(self, token_hash: str) -> tuple[Conversation, Workspace] | None:
        result = await self.session.execute(_BY_TOKEN, {"token_hash": token_hash})
        row = result.first()
        return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class InboxFilter:
    status: str | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False
    ai_mode: str | None = None
    channel: str | None = None
    query: str | None = None
    limit: int = 50
    before: datetime | None = None


class ConversationRepository(WorkspaceRepository[Conversation]):
    model = Conversation

    async def inbox(self, f: InboxFilter) -> Sequence[Conversation]:
        statement = self.scoped()
        if f.status:
            statement = statement.where(Conversation.status == f.status)
        if f.unassigned:
            statement = statement.where(Conversation.assignee_id.is_(None))
        elif f.assignee_id:
            statement = statement.where(Conversation.assignee_id == f.assignee_id)
        if f.ai_mode:
            statement = statement.where(Conversation.ai_mode == f.ai_mode)
        if f.channel:
            statement = statement.where(Conversation.channel == f.channel)
        if f.before:
            statement = statement.where(Conversation.last_message_at < f.before)
        if f.query:
            pattern = f"%{f.query.lower()}%"
            matching = select(Message.conversation_id).where(
                Message.workspace_id == self.workspace_id,
                Message.status != "deleted",
                func.lower(Message.text).like(pattern),
            )
            statement = statement.where(
                or_(
                    func.lower(Conversation.customer_name).like(pattern),
                    func.lower(Conversation.customer_email).like(pattern),
                    Conversation.id.in_(matching),
                )
            )
        statement = statement.order_by(Conversation.last_message_at.desc()).limit(f.limit)
        return (await self.session.execute(statement)).scalars().all()

    async def last_messages(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Message]:
        if not ids:
            return {}
        newest = (
            select(Message.conversation_id, func.max(Message.created_at).label("at"))
            .where(
                Message.workspace_id == self.workspace_id,
                Message.conversation_id.in_(ids),
                Message.status.in_(STAFF_VISIBLE),  # a discarded draft is no preview
            )
            .group_by(Message.conversation_id)
            .subquery()
        )
        result = await self.session.execute(
            select(Message).join(
                newest,
                and_(
                    Message.conversation_id == newest.c.conversation_id,
                    Message.created_at == newest.c.at,
                ),
            )
        )
        return {m.conversation_id: m for m in result.scalars().all()}

    async def unread_counts(self, conversations: Sequence[Conversation]) -> dict[uuid.UUID, int]:
        if not conversations:
            return {}
        epoch = datetime(1970, 1, 1).astimezone()
        conditions = [
            and_(Message.conversation_id == c.id, Message.created_at > (c.staff_read_at or epoch))
            for c in conversations
        ]
        result = await self.session.execute(
            select(Message.conversation_id, func.count(Message.id))
            .where(
                Message.workspace_id == self.workspace_id,
                Message.sender_type == "customer",
                or_(*conditions),
            )
            .group_by(Message.conversation_id)
        )
        return {row[0]: int(row[1]) for row in result.all()}


class MessageRepository(WorkspaceRepository[Message]):
    model = Message

    def in_conversation(
        self, conversation_id: uuid.UUID, *, customer_view: bool
    ) -> Select[Message]:
        visible = CUSTOMER_VISIBLE if customer_view else STAFF_VISIBLE
        return self.scoped().where(
            Message.conversation_id == conversation_id, Message.status.in_(visible)
        )

    async def history(
        self,
        conversation_id: uuid.UUID,
        *,
        customer_view: bool,
        after: Message | None = None,
        limit: int = 500,
    ) -> Sequence[Message]:
        statement = self.in_conversation(conversation_id, customer_view=customer_view)
        if after is not None:
            statement = statement.where(
                or_(
                    Message.created_at > after.created_at,
                    and_(Message.created_at == after.created_at, Message.id > after.id),
                )
            )
        statement = statement.order_by(Message.created_at, Message.id).limit(limit)
        return (await self.session.execute(statement)).scalars().all()

    async def add_once(self, message: Message) -> tuple[Message, bool]:
        """Insert ``message``, or, when its ``client_id`` is already in the conversation (a
        retry), return the message that has it and False.

        One ``INSERT ... ON CONFLICT DO NOTHING`` on both databases rather than "look, then
        insert": two retries arriving together both look before either inserts. PostgreSQL
        makes the second insert wait for the first's commit and then skip it, so every
        attempt gets the first message and none fails on the unique constraint."""
        message.workspace_id = self.workspace_id
        if message.client_id is None:
            self.session.add(message)
            await self.session.flush()
            return message, True
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        values = {
            column.key: getattr(message, column.key)
            for column in Message.__table__.columns
            if getattr(message, column.key) is not None  # unset: the column default applies
        }
        statement = (
            insert(Message)
            .values(values)
            .on_conflict_do_nothing(index_elements=["conversation_id", "client_id"])
            .returning(Message)
        )
        inserted = (await self.session.scalars(statement)).one_or_none()
        if inserted is not None:
            return inserted, True
        earlier = await self.by_client_id(message.conversation_id, message.client_id)
        if earlier is None:  # cannot happen: the conflicting row is committed before we skip
            raise RuntimeError("client_id conflict without a message to show for it")
        return earlier, False

    async def by_client_id(self, conversation_id: uuid.UUID, client_id: str) -> Message | None:
        result = await self.session.execute(
            self.scoped().where(
                Message.conversation_id == conversation_id, Message.client_id == client_id
            )
        )
        return result.scalar_one_or_none()

    async def latest(
        self, conversation_id: uuid.UUID, *, statuses: tuple[str, ...]
    ) -> Message | None:
        result = await self.session.execute(
            self.scoped()
            .where(Message.conversation_id == conversation_id, Message.status.in_(statuses))
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()
