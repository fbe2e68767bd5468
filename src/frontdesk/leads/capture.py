"""What the assistant's ``capture_lead`` hands over: one person is one contact and one lead.

``contacts.remember`` keeps one contact per conversation and finds a known contact by the
detail a new conversation gives first. A person can still end up as two contacts: the
email in one conversation, the phone in another, then both in a third. When a contact's
email or phone turns out to belong to another contact too, the two are merged into the
older one (the one staff have known longest): every value either gave is kept (the newest
as the field, all of them in the lead's ``captured``), every conversation moves over, and
the two leads become one, keeping what staff wrote on each.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.audit import service as audit
from frontdesk.contacts.models import Contact
from frontdesk.conversations.models import Conversation
from frontdesk.kit.db import utcnow
from frontdesk.leads.models import Lead
from frontdesk.leads.repository import ContactMatchRepository, LeadRepository

IDENTITY_FIELDS = ("name", "email", "phone")
MAX_INTEREST = 2000
MAX_CAPTURED_VALUES = 20  # per field: a history, not a log of every message


def remember_values(captured: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """``captured`` with each non-empty value added to its field's list, once."""
    merged = {field: list(seen) for field, seen in captured.items() if isinstance(seen, list)}
    for field, value in values.items():
        if not value:
            continue
        seen = merged.setdefault(field, [])
        if value.lower() not in (str(v).lower() for v in seen):
            seen.append(value)
            del seen[:-MAX_CAPTURED_VALUES]
    return merged


def remember_lists(captured: dict[str, Any], lists: dict[str, Any]) -> dict[str, Any]:
    """``captured`` with every value of another ``captured`` added."""
    for field, values in lists.items():
        for value in values if isinstance(values, list) else []:
            captured = remember_values(captured, {field: str(value)})
    return captured


def join_interests(*interests: str) -> str:
    joined: list[str] = []
    for interest in interests:
        for part in (p.strip() for p in interest.split(";")):
            if part and part.lower() not in (j.lower() for j in joined):
                joined.append(part)
    return "; ".join(joined)[-MAX_INTEREST:]


async def record_capture(
    session: AsyncSession, conversation: Conversation, contact: Contact
) -> Contact:
    """After ``contacts.remember``: merge the contact with any other that is the same person,
    and make sure the person has a lead. Returns the contact that remains."""
    workspace_id = conversation.workspace_id
    for other in await ContactMatchRepository(session, workspace_id).same_person(contact):
        first = other.created_at <= contact.created_at
        older, newer = (other, contact) if first else (contact, other)
        await merge_contacts(session, conversation, keep=older, absorb=newer, newest=contact)
        contact = older
    if not (contact.email or contact.phone):
        return contact  # nobody to follow up with yet: a lead needs a way to reach them
    leads = LeadRepository(session, workspace_id)
    lead = await leads.for_contact(contact.id)
    if lead is None:
        lead = leads.add(
            Lead(
                contact=contact,
                source_conversation_id=conversation.id,
                channel=conversation.channel,
                interest="",
                captured={},
                status="new",
                notes="",
            )
        )
    lead.interest = join_interests(lead.interest, contact.interest)
    lead.captured = remember_values(
        lead.captured or {}, {field: getattr(contact, field) for field in IDENTITY_FIELDS}
    )
    lead.updated_at = utcnow()
    await session.flush()
    return contact


async def merge_contacts(
    session: AsyncSession,
    conversation: Conversation,
    *,
    keep: Contact,
    absorb: Contact,
    newest: Contact,
) -> None:
    """Fold ``absorb`` into ``keep``: fields, conversations and leads. ``newest`` is the one
    the customer just spoke through (in ``conversation``); its values win where both have
    one (a correction)."""
    workspace_id = conversation.workspace_id
    leads = LeadRepository(session, workspace_id)
    kept_lead, absorbed_lead = await leads.for_contact(keep.id), await leads.for_contact(absorb.id)
    older = keep if newest is absorb else absorb
    given = remember_values({}, {f: getattr(older, f) for f in IDENTITY_FIELDS})
    given = remember_values(given, {f: getattr(newest, f) for f in IDENTITY_FIELDS})
    for field in IDENTITY_FIELDS:
        value = getattr(newest, field) or getattr(older, field)
        setattr(keep, field, value)
    if absorb.phone and not absorb.phone_verified and keep.phone == absorb.phone:
        keep.phone_verified = False
    keep.interest = join_interests(older.interest, newest.interest)
    keep.updated_at = utcnow()

    await session.execute(
        update(Conversation)
        .where(Conversation.workspace_id == workspace_id, Conversation.contact_id == absorb.id)
        .values(contact_id=keep.id)
        .execution_options(synchronize_session="fetch")
    )
    conversation.contact = keep  # the relationship too, not only the column
    if kept_lead is None and absorbed_lead is not None:
        absorbed_lead.contact = keep  # the lead simply changes hands
        kept_lead, absorbed_lead = absorbed_lead, None
    if kept_lead is not None:
        kept_lead.captured = remember_lists(kept_lead.captured or {}, given)
        if absorbed_lead is not None:
            fold_lead(kept_lead, absorbed_lead)
            await session.delete(absorbed_lead)
    await session.flush()
    await session.delete(absorb)
    await session.flush()
    await audit.record(
        session,
        workspace_id,
        None,
        "lead.merged",
        None,
        target=("contact", keep.id),
        details={"merged_contact_id": str(absorb.id)},
    )


def fold_lead(kept: Lead, absorbed: Lead) -> None:
    """Everything staff and the assistant recorded on ``absorbed``, kept on ``kept``."""
    kept.captured = remember_lists(kept.captured or {}, absorbed.captured or {})
    kept.interest = join_interests(kept.interest, absorbed.interest)
    if kept.status == "new":
        kept.status = absorbed.status  # staff worked the other one
    kept.owner_id = kept.owner_id or absorbed.owner_id
    dates = [d for d in (kept.follow_up_on, absorbed.follow_up_on) if d is not None]
    kept.follow_up_on = min(dates) if dates else None  # the earlier promise
    values = [v for v in (kept.value_cents, absorbed.value_cents) if v is not None]
    kept.value_cents = max(values) if values else None
    if absorbed.notes and absorbed.notes not in kept.notes:
        kept.notes = f"{kept.notes}\n\n{absorbed.notes}".strip()
    kept.source_conversation_id = (
        kept.source_conversation_id
        if kept.created_at <= absorbed.created_at
        else absorbed.source_conversation_id or kept.source_conversation_id
    )
    if absorbed.created_at < kept.created_at:
        kept.created_at, kept.channel = absorbed.created_at, absorbed.channel
