"""Background jobs of tickets: telling staff about overdue tickets.

Every few minutes the job finds open tickets past their due time that nobody was told
about, and for each, in one transaction: stamps ``overdue_notified_at``, writes a history
line and sends a staff event (the inbox and ticket page show it live). Mail to the assignee
(or, for an unassigned ticket, the owners and admins) goes after the commit. The stamp is
what makes a second run, or two workers at once, tell staff only once: a row is stamped
under a lock, and a ticket already stamped is skipped.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.accounts.models import User
from frontdesk.jobs.queue import every, job
from frontdesk.kit.db import utcnow
from frontdesk.mail import MailError, OutgoingMail
from frontdesk.tickets.models import Ticket, TicketEntry
from frontdesk.tickets.repository import (
    TicketEntryRepository,
    TicketRepository,
    workspaces_with_overdue,
)
from frontdesk.tickets.views import ticket_event
from frontdesk.workspaces.models import Workspace
from frontdesk.workspaces.repository import MembershipRepository

log = logging.getLogger(__name__)

OVERDUE_JOB = "tickets.overdue"
OVERDUE_INTERVAL_SECONDS = 300


@job(OVERDUE_JOB)
async def notify_overdue(services: Any) -> None:
    now = utcnow()
    async with services.unit_of_work() as uow:
        workspace_ids = list((await uow.session.execute(workspaces_with_overdue(now))).scalars())
    for workspace_id in workspace_ids:
        await _notify_workspace(services, workspace_id)


async def _notify_workspace(services: Any, workspace_id: uuid.UUID) -> None:
    now = utcnow()
    async with services.unit_of_work() as uow:
        session = uow.session
        tickets = TicketRepository(session, workspace_id)
        statement = (
            tickets.scoped()
            .where(Ticket.id.in_([t.id for t in await tickets.overdue_unnotified(now)]))
            .where(Ticket.overdue_notified_at.is_(None))
            .with_for_update(of=Ticket, skip_locked=True)
        )
        due = list((await session.execute(statement)).unique().scalars())
        if not due:
            return
        entries = TicketEntryRepository(session, workspace_id)
        for ticket in due:
            ticket.overdue_notified_at = now
            entries.add(
                TicketEntry(
                    ticket_id=ticket.id,
                    kind="change",
                    actor_type="system",
                    field="overdue",
                    new_value=ticket.due_at.isoformat(),
                    text=f"Overdue: was due {ticket.due_at:%Y-%m-%d %H:%M} UTC",
                    created_at=now,
                )
            )
        await session.flush()
        for ticket in due:
            await ticket_event(session, ticket, "ticket:overdue")
        mails = await _mails(session, workspace_id, due)

        async def send() -> None:
            for mail in mails:
                try:
                    await services.mail.send(mail)
                except MailError as error:  # the stamp stands: staff see it on the page
                    log.warning("overdue ticket mail not sent: %s", error)

        uow.after_commit(send)


async def _mails(session: Any, workspace_id: uuid.UUID, due: list[Ticket]) -> list[OutgoingMail]:
    workspace = await session.get(Workspace, workspace_id)
    members = await MembershipRepository(session, workspace_id).with_users()
    managers = [u.email for m, u in members if m.role in ("owner", "admin")]
    mails = []
    for ticket in due:
        to: list[str] = managers
        if ticket.assignee_id is not None:
            assignee = (
                await session.execute(select(User.email).where(User.id == ticket.assignee_id))
            ).scalar_one_or_none()
            to = [assignee] if assignee else managers
        if not to:
            continue
        name = workspace.name if workspace is not None else "Frontdesk"
        mails.append(
            OutgoingMail(
                to=tuple(to),
                subject=f"[{name}] Ticket {ticket.reference} is overdue",
                text=(
                    f"Ticket {ticket.reference} ({ticket.priority} priority, {ticket.category}) "
                    f"was due {ticket.due_at:%Y-%m-%d %H:%M} UTC and is still {ticket.status}.\n\n"
                    f"{ticket.subject}\n"
                ),
            )
        )
    return mails


every(OVERDUE_INTERVAL_SECONDS, OVERDUE_JOB)
