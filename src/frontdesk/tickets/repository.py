"""Ticket queries; every one starts from a workspace-scoped statement."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from frontdesk.contacts.models import Contact
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.tickets.models import (
    OPEN_STATUSES,
    RESOLVED_STATUSES,
    Ticket,
    TicketEntry,
    TicketSettings,
)


@dataclass(frozen=True)
class TicketFilter:
    status: str | None = None
    priority: str | None = None
    category: str | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False
    overdue: bool | None = None
    search: str = ""


def _overdue(now: datetime) -> ColumnElement[bool]:
    return and_(Ticket.status.in_(("pending", "in_progress")), Ticket.due_at < now)


class TicketRepository(WorkspaceRepository[Ticket]):
    model = Ticket

    async def open_for_conversation(self, conversation_id: uuid.UUID) -> Ticket | None:
        statement = (
            self.scoped()
            .where(Ticket.conversation_id == conversation_id, Ticket.status.in_(OPEN_STATUSES))
            .order_by(Ticket.created_at.desc())
            .limit(1)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def next_number(self) -> int:
        statement = self.scoped().with_only_columns(func.max(Ticket.number))
        highest = (await self.session.execute(statement)).scalar_one_or_none()
        return max(int(highest or 0) + 1, 1001)

    def filtered(self, f: TicketFilter, now: datetime) -> Select[Ticket]:
        statement = self.scoped()
        if f.status:
            statement = statement.where(Ticket.status == f.status)
        if f.priority:
            statement = statement.where(Ticket.priority == f.priority)
        if f.category:
            statement = statement.where(Ticket.category == f.category)
        if f.assignee_id is not None:
            statement = statement.where(Ticket.assignee_id == f.assignee_id)
        if f.unassigned:
            statement = statement.where(Ticket.assignee_id.is_(None))
        if f.overdue is True:
            statement = statement.where(_overdue(now))
        elif f.overdue is False:
            statement = statement.where(~_overdue(now))
        if f.search:
            statement = statement.outerjoin(
                Contact,
                and_(Contact.id == Ticket.contact_id, Contact.workspace_id == self.workspace_id),
            ).where(self._matches(f.search))
        return statement

    @staticmethod
    def _matches(search: str) -> ColumnElement[bool]:
        like = f"%{search.lower()}%"
        clauses: list[ColumnElement[bool]] = [
            func.lower(Ticket.subject).like(like),
            func.lower(Contact.name).like(like),
            func.lower(Contact.email).like(like),
        ]
        number = search.upper().removeprefix("T-").strip()
        if number.isdigit() and len(number) < 10:
            clauses.append(Ticket.number == int(number))
        return or_(*clauses)

    async def page(
        self, f: TicketFilter, now: datetime, limit: int, offset: int
    ) -> Sequence[Ticket]:
        rank = case({"urgent": 0, "high": 1, "medium": 2, "low": 3}, value=Ticket.priority, else_=4)
        resolved = case((Ticket.status.in_(RESOLVED_STATUSES), 1), else_=0)
        statement = self.filtered(f, now).order_by(resolved, rank, Ticket.due_at, Ticket.id)
        result = await self.session.execute(statement.limit(limit).offset(offset))
        return result.scalars().all()

    async def stats(self, now: datetime) -> dict[str, int]:
        """The page's cards: urgent and new (still pending), in progress, resolved, overdue."""
        open_ = Ticket.status.in_(("pending", "in_progress"))
        counts = self.scoped().with_only_columns(
            func.count(case((and_(Ticket.priority == "urgent", open_), 1))),
            func.count(case((Ticket.status == "pending", 1))),
            func.count(case((Ticket.status == "in_progress", 1))),
            func.count(case((Ticket.status.in_(("fixed", *RESOLVED_STATUSES)), 1))),
            func.count(case((_overdue(now), 1))),
            func.count(Ticket.id),
        )
        row = (await self.session.execute(counts)).one()
        keys = ("urgent", "new", "in_progress", "resolved", "overdue", "total")
        return {key: int(value or 0) for key, value in zip(keys, row, strict=True)}

    async def overdue_unnotified(self, now: datetime, limit: int = 200) -> Sequence[Ticket]:
        statement = (
            self.scoped()
            .where(_overdue(now), Ticket.overdue_notified_at.is_(None))
            .order_by(Ticket.due_at)
            .limit(limit)
        )
        return (await self.session.execute(statement)).scalars().all()


class TicketEntryRepository(WorkspaceRepository[TicketEntry]):
    model = TicketEntry

    async def for_ticket(self, ticket_id: uuid.UUID) -> Sequence[TicketEntry]:
        statement = (
            self.scoped()
            .where(TicketEntry.ticket_id == ticket_id)
            .order_by(TicketEntry.created_at, TicketEntry.id)
        )
        return (await self.session.execute(statement)).scalars().all()


class TicketSettingsRepository(WorkspaceRepository[TicketSettings]):
    model = TicketSettings

    async def current(self) -> TicketSettings | None:
        return (await self.session.execute(self.scoped().limit(1))).scalar_one_or_none()


def workspaces_with_overdue(now: datetime) -> Select[uuid.UUID]:
    """Workspaces that have overdue tickets nobody was told about: the overdue job's only
    cross-workspace read, which then works each workspace through its own repository."""
    return (
        select(Ticket.workspace_id)
        .where(_overdue(now), Ticket.overdue_notified_at.is_(None))
        .distinct()
    )
