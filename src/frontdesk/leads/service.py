"""Staff working their leads: list, read, add, edit, bulk status, delete, settings."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.audit import service as audit
from frontdesk.contacts.models import Contact
from frontdesk.contacts.repository import ContactRepository
from frontdesk.conversations.models import Conversation
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.kit.db import utcnow
from frontdesk.kit.errors import Conflict, InvalidInput, NotFound
from frontdesk.leads.capture import IDENTITY_FIELDS, remember_values
from frontdesk.leads.export import build_csv, build_xlsx
from frontdesk.leads.models import Lead, LeadSettings
from frontdesk.leads.repository import LeadFilter, LeadRepository, LeadSettingsRepository
from frontdesk.leads.schemas import BulkStatusIn, LeadIn, LeadUpdate
from frontdesk.workspaces import service as workspaces
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

MAX_EXPORT = 50_000
NOT_EMPTIED = ("name", "email", "phone", "interest", "status", "notes")


def local_today(ctx: WorkspaceContext) -> date:
    return utcnow().astimezone(ZoneInfo(ctx.workspace.timezone or "UTC")).date()


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants a local calendar day starts and ends at (DST included)."""
    zone = ZoneInfo(timezone or "UTC")
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start, end


def resolve_filter(
    ctx: WorkspaceContext,
    f: LeadFilter,
    *,
    follow_up_due: bool,
    created_from: date | None,
    created_to: date | None,
) -> LeadFilter:
    """The days staff pick, read in the workspace's time zone."""
    if created_from and created_to and created_from > created_to:
        raise InvalidInput("created_from", "The range starts after it ends.")
    tz = ctx.workspace.timezone
    return replace(
        f,
        due_by=local_today(ctx) if follow_up_due else None,
        created_from=day_bounds(created_from, tz)[0] if created_from else None,
        created_before=day_bounds(created_to, tz)[1] if created_to else None,
    )


async def list_leads(
    session: AsyncSession, ctx: WorkspaceContext, f: LeadFilter, limit: int, offset: int
) -> tuple[Sequence[Lead], int]:
    ctx.require(Permission.VIEW)
    leads = LeadRepository(session, ctx.workspace_id)
    return await leads.page(f, limit, offset), await leads.count(f)


async def _lead(session: AsyncSession, ctx: WorkspaceContext, lead_id: uuid.UUID) -> Lead:
    lead = await LeadRepository(session, ctx.workspace_id).get(lead_id)
    if lead is None:
        raise NotFound("No such lead in this workspace.")
    return lead


async def get(
    session: AsyncSession, ctx: WorkspaceContext, lead_id: uuid.UUID
) -> tuple[Lead, Sequence[Conversation]]:
    ctx.require(Permission.VIEW)
    lead = await _lead(session, ctx, lead_id)
    statement = (
        ConversationRepository(session, ctx.workspace_id)
        .scoped()
        .where(Conversation.contact_id == lead.contact_id)
        .order_by(Conversation.last_message_at.desc())
        .limit(50)
    )
    conversations = (await session.execute(statement)).unique().scalars().all()
    return lead, conversations


def _email(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidInput("email", f"Not a valid email address: {error}") from None


def _phone(value: str, region: str) -> tuple[str, bool]:
    """E.164 when the number reads as valid; otherwise kept as typed, marked unverified."""
    if not value.strip():
        return "", True
    try:
        number = phonenumbers.parse(value, region or None)
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True
    except phonenumbers.NumberParseException:
        pass
    if not 7 <= sum(c.isdigit() for c in value) <= 15:
        raise InvalidInput("phone", "Not a phone number.")
    return " ".join(value.split()), False


async def _check_owner(session: AsyncSession, ctx: WorkspaceContext, owner: uuid.UUID) -> None:
    if await workspaces.role_of(session, owner, ctx.workspace_id) is None:
        raise InvalidInput("owner_id", "Not a member of this workspace.")


async def _refuse_duplicate(
    session: AsyncSession, ctx: WorkspaceContext, email: str, phone: str, own: uuid.UUID | None
) -> None:
    """One person is one lead: a detail that already belongs to another contact is refused,
    naming the lead to open instead."""
    other = await ContactRepository(session, ctx.workspace_id).find_by_email_or_phone(email, phone)
    if other is None or other.id == own:
        return
    existing = await LeadRepository(session, ctx.workspace_id).for_contact(other.id)
    raise Conflict(
        "Someone with this email or phone is already known.",
        details={"contact_id": str(other.id), "lead_id": str(existing.id) if existing else None},
    )


def _cents(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


async def create(session: AsyncSession, ctx: WorkspaceContext, data: LeadIn) -> Lead:
    ctx.require(Permission.RESPOND)
    email = _email(data.email)
    phone, verified = _phone(data.phone, ctx.workspace.country)
    if not (email or phone):
        raise InvalidInput("email", "Give an email or a phone number to follow up on.")
    await _refuse_duplicate(session, ctx, email, phone, None)
    if data.owner_id:
        await _check_owner(session, ctx, data.owner_id)
    name = " ".join(data.name.split())
    contact = ContactRepository(session, ctx.workspace_id).add(
        Contact(
            name=name,
            email=email,
            phone=phone,
            phone_verified=verified,
            interest=data.interest.strip(),
            source="manual",
        )
    )
    lead = LeadRepository(session, ctx.workspace_id).add(
        Lead(
            contact=contact,
            channel="manual",
            interest=data.interest.strip(),
            captured=remember_values({}, {"name": name, "email": email, "phone": phone}),
            status=data.status,
            owner_id=data.owner_id,
            follow_up_on=data.follow_up_on,
            value_cents=_cents(data.value),
            notes=data.notes.strip(),
        )
    )
    await session.flush()
    await audit.record_by(session, ctx, "lead.created", target=("lead", lead.id))
    return lead


async def update_lead(
    session: AsyncSession, ctx: WorkspaceContext, lead_id: uuid.UUID, data: LeadUpdate
) -> Lead:
    ctx.require(Permission.RESPOND)
    lead = await _lead(session, ctx, lead_id)
    changes = data.model_dump(exclude_unset=True)
    for field in NOT_EMPTIED:
        if field in changes and changes[field] is None:
            raise InvalidInput(field, "cannot be null")
    contact = lead.contact
    if "email" in changes:
        changes["email"] = _email(changes["email"])
    if "phone" in changes:
        changes["phone"], contact.phone_verified = _phone(changes["phone"], ctx.workspace.country)
    if not (changes.get("email", contact.email) or changes.get("phone", contact.phone)):
        raise InvalidInput("email", "A lead keeps an email or a phone number.")
    await _refuse_duplicate(
        session, ctx, changes.get("email", ""), changes.get("phone", ""), contact.id
    )
    if changes.get("owner_id") is not None:
        await _check_owner(session, ctx, changes["owner_id"])
    identity = {f: " ".join(changes[f].split()) for f in IDENTITY_FIELDS if f in changes}
    for field, value in identity.items():
        setattr(contact, field, value)
    lead.captured = remember_values(lead.captured or {}, identity)
    if "value" in changes:
        lead.value_cents = _cents(changes.pop("value"))
    for field in ("interest", "status", "owner_id", "follow_up_on", "notes"):
        if field in changes:
            setattr(lead, field, changes[field])
    lead.updated_at = contact.updated_at = utcnow()
    await session.flush()
    await audit.record_by(
        session, ctx, "lead.updated", target=("lead", lead.id), details={"fields": sorted(changes)}
    )
    return lead


async def export(session: AsyncSession, ctx: WorkspaceContext, f: LeadFilter, format: str) -> bytes:
    ctx.require(Permission.VIEW)
    statement = LeadRepository(session, ctx.workspace_id).export_rows(f, MAX_EXPORT)
    rows = (await session.execute(statement)).all()
    build = build_xlsx if format == "xlsx" else build_csv
    # CPU work of a second at most, off the event loop so other requests go on meanwhile.
    return await asyncio.to_thread(build, rows, ctx.workspace.timezone)


async def bulk_status(session: AsyncSession, ctx: WorkspaceContext, data: BulkStatusIn) -> int:
    ctx.require(Permission.RESPOND)
    found = await LeadRepository(session, ctx.workspace_id).many(data.ids)
    ids = [lead.id for lead in found if lead.status != data.status]
    if ids:
        await session.execute(
            update(Lead)
            .where(Lead.workspace_id == ctx.workspace_id, Lead.id.in_(ids))
            .values(status=data.status, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        await audit.record_by(
            session,
            ctx,
            "lead.bulk_status",
            details={"status": data.status, "lead_ids": [str(i) for i in ids]},
        )
    return len(ids)


async def delete(session: AsyncSession, ctx: WorkspaceContext, lead_id: uuid.UUID) -> None:
    """The lead goes; the contact and their conversations stay (details given again later
    make a new lead)."""
    ctx.require(Permission.MANAGE_SETTINGS)
    lead = await _lead(session, ctx, lead_id)
    await LeadRepository(session, ctx.workspace_id).delete(lead)
    await audit.record_by(session, ctx, "lead.deleted", target=("lead", lead_id))


async def settings(session: AsyncSession, ctx: WorkspaceContext) -> LeadSettings:
    ctx.require(Permission.VIEW)
    found = await LeadSettingsRepository(session, ctx.workspace_id).current()
    return found or LeadSettings(daily_report=False)


async def update_settings(
    session: AsyncSession, ctx: WorkspaceContext, daily_report: bool
) -> LeadSettings:
    ctx.require(Permission.MANAGE_SETTINGS)
    repository = LeadSettingsRepository(session, ctx.workspace_id)
    found = await repository.current() or repository.add(LeadSettings(daily_report=False))
    found.daily_report = daily_report
    await session.flush()
    await audit.record_by(session, ctx, "lead.settings", details={"daily_report": daily_report})
    return found
