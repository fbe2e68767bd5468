"""Queries on leads: every one starts from a workspace-scoped statement."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from frontdesk.accounts.models import User
from frontdesk.contacts.models import Contact
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.leads.models import CLOSED_STATUSES, Lead, LeadReport, LeadSettings

PHONE_PUNCTUATION = frozenset(" +-().")


@dataclass(frozen=True)
class LeadFilter:
    """What the list, the export and the page narrow leads by; empty means everything."""

    status: str | None = None
    owner_id: uuid.UUID | None = None
    unowned: bool = False
    due_by: date | None = None  # open leads whose follow-up is on or before this day
    channel: str | None = None
    created_from: datetime | None = None  # UTC bounds, from the workspace's local days
    created_before: datetime | None = None
    query: str = ""


class LeadRepository(WorkspaceRepository[Lead]):
    model = Lead

    def filtered(self, f: LeadFilter, statement: Any = None) -> Select[Any]:
        statement = self.scoped() if statement is None else statement
        if f.status:
            statement = statement.where(Lead.status == f.status)
        if f.owner_id:
            statement = statement.where(Lead.owner_id == f.owner_id)
        if f.unowned:
            statement = statement.where(Lead.owner_id.is_(None))
        if f.due_by:
            statement = statement.where(
                Lead.follow_up_on <= f.due_by, Lead.status.not_in(CLOSED_STATUSES)
            )
        if f.channel:
            statement = statement.where(Lead.channel == f.channel)
        if f.created_from:
            statement = statement.where(Lead.created_at >= f.created_from)
        if f.created_before:
            statement = statement.where(Lead.created_at < f.created_before)
        if f.query:
            needle = f.query.lower()
            clauses = [
                func.lower(Contact.name).contains(needle, autoescape=True),
                func.lower(Contact.email).contains(needle, autoescape=True),
                Contact.phone.contains(f.query, autoescape=True),
                func.lower(Lead.interest).contains(needle, autoescape=True),
                func.lower(Lead.notes).contains(needle, autoescape=True),
            ]
            # Phones are stored as E.164 (+12125550187); "555-0187" or "(212) 555 0187"
            # as staff type them find it by their digits.
            digits = "".join(c for c in f.query if c.isdigit())
            if len(digits) >= 4 and all(c.isdigit() or c in PHONE_PUNCTUATION for c in f.query):
                clauses.append(Contact.phone.contains(digits, autoescape=True))
            statement = statement.where(or_(*clauses))
        return statement

    @staticmethod
    def ordered(statement: Select[Any], f: LeadFilter) -> Select[Any]:
        if f.due_by:  # the follow-ups view: the most overdue first
            return statement.order_by(Lead.follow_up_on, Lead.created_at, Lead.id)
        return statement.order_by(Lead.created_at.desc(), Lead.id)

    async def page(self, f: LeadFilter, limit: int, offset: int) -> Sequence[Lead]:
        # The contact is joined eagerly already; the search reads its columns from that join.
        statement = self.filtered(f, self.scoped().join(Lead.contact))
        statement = self.ordered(statement, f).limit(limit).offset(offset)
        return (await self.session.execute(statement)).unique().scalars().all()

    async def count(self, f: LeadFilter) -> int:
        base = select(func.count(Lead.id)).where(Lead.workspace_id == self.workspace_id)
        statement = self.filtered(f, base.join(Contact, Contact.id == Lead.contact_id))
        return int((await self.session.execute(statement)).scalar_one())

    async def for_contact(self, contact_id: uuid.UUID) -> Lead | None:
        statement = self.scoped().where(Lead.contact_id == contact_id)
        return (await self.session.execute(statement)).unique().scalar_one_or_none()

    async def many(self, ids: Sequence[uuid.UUID]) -> Sequence[Lead]:
        statement = self.scoped().where(Lead.id.in_(ids))
        return (await self.session.execute(statement)).unique().scalars().all()

    def export_rows(self, f: LeadFilter, limit: int) -> Select[Any]:
        """Plain columns, one statement, no objects: what a spreadsheet of thousands needs."""
        statement = (
            select(
                Contact.name,
                Contact.email,
                Contact.phone,
                Lead.status,
                User.full_name.label("owner"),
                Lead.interest,
                Lead.channel,
                Lead.value_cents,
                Lead.follow_up_on,
                Lead.created_at,
                Lead.notes,
            )
            .select_from(Lead)
            .join(Contact, Contact.id == Lead.contact_id)
            .outerjoin(User, User.id == Lead.owner_id)
            .where(Lead.workspace_id == self.workspace_id)
        )
        return self.ordered(self.filtered(f, statement), f).limit(limit)


class ContactMatchRepository(WorkspaceRepository[Contact]):
    """The contacts that are the same person as one who just gave a detail."""

    model = Contact

    async def same_person(self, contact: Contact) -> Sequence[Contact]:
        clauses = []
        if contact.email:
            clauses.append(func.lower(Contact.email) == contact.email.lower())
        if contact.phone:
            clauses.append(Contact.phone == contact.phone)
        if not clauses:
            return []
        statement = (
            self.scoped()
            .where(Contact.id != contact.id, or_(*clauses))
            .order_by(Contact.created_at, Contact.id)
        )
        return (await self.session.execute(statement)).scalars().all()


class LeadSettingsRepository(WorkspaceRepository[LeadSettings]):
    model = LeadSettings

    async def current(self) -> LeadSettings | None:
        return (await self.session.execute(self.scoped())).scalar_one_or_none()


class LeadReportRepository(WorkspaceRepository[LeadReport]):
    model = LeadReport

    async def for_day(self, day: date) -> LeadReport | None:
        statement = self.scoped().where(LeadReport.day == day).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()
