"""The daily lead report: yesterday's new leads as an XLSX, mailed to the workspace's owners
when they opted in (``PUT /api/leads/settings``).

A sweep every 15 minutes (and at start) finds opted-in workspaces whose local yesterday has
no report yet and queues one job per workspace and day. The job is safe to run twice: it
claims the day by inserting its ``lead_reports`` row (unique per workspace and day; the
claim commits before any mail leaves), sends, then marks the row sent. A job that died after
claiming leaves the row ``sending``; the sweep queues the day again once the claim is
``STALE_CLAIM`` old. Mail is delivered at least once: a process killed between the SMTP
server's acceptance and the commit of "sent" would send the day again.

The sweep's query is one of the few that reads across workspaces (like ``recovery.py``):
each row found carries its workspace id into a job that then works inside that workspace.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from frontdesk.jobs.queue import every, job
from frontdesk.kit.db import utcnow
from frontdesk.leads.export import XLSX_TYPE, build_xlsx
from frontdesk.leads.models import LeadReport, LeadSettings
from frontdesk.leads.repository import (
    LeadFilter,
    LeadReportRepository,
    LeadRepository,
    LeadSettingsRepository,
)
from frontdesk.leads.service import day_bounds
from frontdesk.mail import MailAttachment, OutgoingMail
from frontdesk.workspaces.models import Workspace
from frontdesk.workspaces.permissions import Role
from frontdesk.workspaces.repository import MembershipRepository

log = logging.getLogger("frontdesk.leads")
REPORT_SWEEP = "leads.report_sweep"
REPORT_JOB = "leads.daily_report"
SWEEP_SECONDS = 15 * 60
STALE_CLAIM = timedelta(minutes=30)
MAX_REPORT_ROWS = 50_000


def local_yesterday(timezone: str, now: datetime | None = None) -> date:
    return ((now or utcnow()).astimezone(ZoneInfo(timezone or "UTC")) - timedelta(days=1)).date()


@job(REPORT_SWEEP)
async def sweep(services: Any) -> None:
    async with services.db.unit_of_work() as uow:  # reads only; jobs leave below
        opted_in = (
            await uow.session.execute(
                select(Workspace.id, Workspace.timezone)
                .join(LeadSettings, LeadSettings.workspace_id == Workspace.id)
                .where(LeadSettings.daily_report.is_(True))
            )
        ).all()
        owed: list[tuple[uuid.UUID, date]] = []
        stale = utcnow() - STALE_CLAIM
        for workspace_id, timezone in opted_in:
            day = local_yesterday(timezone)
            done = await uow.session.execute(
                select(LeadReport.id).where(
                    LeadReport.workspace_id == workspace_id,
                    LeadReport.day == day,
                    or_(
                        LeadReport.status != "sending",
                        and_(LeadReport.status == "sending", LeadReport.claimed_at >= stale),
                    ),
                )
            )
            if done.first() is None:
                owed.append((workspace_id, day))
    for workspace_id, day in owed:
        await services.jobs.enqueue(REPORT_JOB, workspace_id=str(workspace_id), day=day.isoformat())


async def _claim(services: Any, workspace_id: uuid.UUID, day: date) -> bool:
    """True when this job now owns the day's report (a new claim, or a stale one)."""
    try:
        async with services.unit_of_work() as uow:
            reports = LeadReportRepository(uow.session, workspace_id)
            report = await reports.for_day(day)
            if report is None:
                reports.add(LeadReport(day=day, status="sending", claimed_at=utcnow()))
                await uow.session.flush()
                return True
            if report.status == "sending" and report.claimed_at < utcnow() - STALE_CLAIM:
                report.claimed_at = utcnow()
                return True
            return False
    except IntegrityError:
        return False  # another run inserted the claim first


@job(REPORT_JOB)
async def daily_report(services: Any, workspace_id: str, day: str) -> None:
    wid, report_day = uuid.UUID(workspace_id), date.fromisoformat(day)
    async with services.unit_of_work() as uow:
        settings = await LeadSettingsRepository(uow.session, wid).current()
        workspace = await uow.session.get(Workspace, wid)
        if settings is None or not settings.daily_report or workspace is None:
            return
        timezone, name = workspace.timezone, workspace.name
    if not await _claim(services, wid, report_day):
        return
    async with services.unit_of_work() as uow:
        start, end = day_bounds(report_day, timezone)
        leads = LeadRepository(uow.session, wid)
        statement = leads.export_rows(
            LeadFilter(created_from=start, created_before=end), MAX_REPORT_ROWS
        )
        rows = (await uow.session.execute(statement)).all()
        members = await MembershipRepository(uow.session, wid).with_users()
        owners = tuple(user.email for member, user in members if member.role == Role.OWNER)
        report = await LeadReportRepository(uow.session, wid).for_day(report_day)
        if report is None:
            return
        if not rows or not owners:
            report.status, report.leads = "empty", len(rows)
            return
    mail = OutgoingMail(
        to=owners,
        subject=f"{name}: {len(rows)} new lead{'s' if len(rows) != 1 else ''} on {day}",
        text=_summary(name, day, rows),
        attachments=(MailAttachment(f"leads-{day}.xlsx", XLSX_TYPE, build_xlsx(rows, timezone)),),
    )
    await services.mail.send(mail)  # a MailError leaves the claim to go stale and retry
    async with services.unit_of_work() as uow:
        report = await LeadReportRepository(uow.session, wid).for_day(report_day)
        if report is not None:
            report.status, report.sent_at = "sent", utcnow()
            report.leads, report.recipients = len(rows), ", ".join(owners)
    log.info("lead report for %s on %s sent to %d owners", wid, day, len(owners))


def _summary(name: str, day: str, rows: list[Any]) -> str:
    lines = [f"New leads for {name} on {day}: {len(rows)}.", ""]
    for row in rows[:20]:
        who = row.name or row.email or row.phone
        contact = " · ".join(v for v in (row.email, row.phone) if v and v != who)
        interest = f" — {row.interest}" if row.interest else ""
        lines.append(f"- {who}{f' ({contact})' if contact else ''}{interest}")
    if len(rows) > 20:
        lines.append(f"…and {len(rows) - 20} more in the attached spreadsheet.")
    lines += ["", "Every lead of the day is in the attached spreadsheet."]
    return "\n".join(lines)


every(SWEEP_SECONDS, REPORT_SWEEP)
