"""Keeping the customer informed: every booking, move and cancellation (whoever made it: the
assistant, staff, the customer's manage page) owes the customer a mail with the calendar
invite, and a line in their chat when the booking came from one; a reminder is owed N hours
before (``BookingSettings.reminder_hours``, 0 turns it off).

:func:`owe` is called by ``appointments/service.py`` in the unit of work that made the
change and queues :data:`NOTICE_JOB` after the commit, with ids only. The job claims the
notice by inserting its ``appointment_notices`` row (unique per booking, kind and sequence)
before anything leaves, so a job delivered twice sends once; a claim left ``sending`` by a
dead process, or ``failed`` by a refused mail, goes stale and the sweep in ``tasks.py``
queues it again (for a day). The mail is delivered at least once: a process killed between
the SMTP server's acceptance and the commit of "sent" would send it again.

The assistant's own bookings are confirmed by its reply in the dialogue, so the chat line is
posted only for changes made elsewhere (staff, the manage page) and for reminders.

Each mail carries its own manage link: a new token whose hash is kept on the notice row
(only the booking's first token is on the booking, and it is never stored in clear).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.accounts.models import User
from frontdesk.appointments.models import Appointment, AppointmentNotice, Service
from frontdesk.appointments.notice_words import chat_line
from frontdesk.conversations.events import message_event
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import ConversationRepository, MessageRepository
from frontdesk.kit.db import unit_of, utcnow
from frontdesk.kit.repository import WorkspaceRepository
from frontdesk.kit.security import hash_opaque_token, new_opaque_token
from frontdesk.mail import MailError
from frontdesk.mail.booking_mail import BookingNotice, booking_mail
from frontdesk.mail.booking_words import Kind, Language
from frontdesk.mail.mime import envelope_address
from frontdesk.workspaces.models import Membership, Workspace

log = logging.getLogger("frontdesk.appointments")

NOTICE_JOB = "appointments.notice"
STALE_CLAIM = timedelta(minutes=10)
RETRY_FOR = timedelta(days=1)
KINDS: tuple[Kind, ...] = ("confirmed", "moved", "cancelled", "reminder")


class NoticeRepository(WorkspaceRepository[AppointmentNotice]):
    model = AppointmentNotice

    async def find(self, appointment_id: uuid.UUID, kind: str, sequence: int) -> Any:
        statement = self.scoped().where(
            AppointmentNotice.appointment_id == appointment_id,
            AppointmentNotice.kind == kind,
            AppointmentNotice.sequence == sequence,
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_link_hash(self, token_hash: str) -> AppointmentNotice | None:
        statement = self.scoped().where(AppointmentNotice.link_token_hash == token_hash)
        found: AppointmentNotice | None = (
            await self.session.execute(statement)
        ).scalar_one_or_none()
        return found


async def owe(
    session: AsyncSession,
    appointment: Appointment,
    kind: Kind,
    *,
    post_in_chat: bool,
    previous_start: datetime | None = None,
    base_url: str = "",
) -> None:
    """After the change commits, queue the job that tells the customer about it."""
    uow = unit_of(session)
    kwargs: dict[str, Any] = {
        "workspace_id": str(appointment.workspace_id),
        "appointment_id": str(appointment.id),
        "kind": kind,
        "sequence": appointment.sequence,
        "chat": post_in_chat,
        "base_url": base_url,
        "previous": previous_start.isoformat() if previous_start else "",
    }

    async def enqueue() -> None:
        if uow.jobs is not None:
            await uow.jobs.enqueue(NOTICE_JOB, **kwargs)

    uow.after_commit(enqueue)


async def claim(
    services: Any, workspace_id: uuid.UUID, appointment_id: uuid.UUID, kind: str, sequence: int
) -> bool:
    """True when this run now owns the notice: a new claim, or a stale or failed one."""
    try:
        async with services.unit_of_work() as uow:
            notices = NoticeRepository(uow.session, workspace_id)
            notice = await notices.find(appointment_id, kind, sequence)
            now = utcnow()
            if notice is None:
                if await uow.session.get(Appointment, appointment_id) is None:
                    return False
                notices.add(
                    AppointmentNotice(
                        appointment_id=appointment_id,
                        kind=kind,
                        sequence=sequence,
                        status="sending",
                        claimed_at=now,
                    )
                )
                await uow.session.flush()
                return True
            if notice.status in ("sending", "failed") and notice.claimed_at < now - STALE_CLAIM:
                notice.claimed_at, notice.status = now, "sending"
                return True
            return False
    except IntegrityError:
        return False  # another run inserted the claim first


def still_owed(appointment: Appointment, kind: str, sequence: int) -> bool:
    """A notice about a state the booking has since left is dropped: a newer one follows."""
    if appointment.sequence != sequence:
        return False
    return appointment.status == ("cancelled" if kind == "cancelled" else "booked")


async def send(
    services: Any,
    workspace_id: str,
    appointment_id: str,
    kind: str,
    sequence: int,
    chat: bool = False,
    base_url: str = "",
    previous: str = "",
) -> None:
    """The job: claim, post the chat line and mint the link (committed), mail, mark sent."""
    if kind not in KINDS:
        raise ValueError(f"unknown booking notice {kind!r}")
    wid, aid = uuid.UUID(workspace_id), uuid.UUID(appointment_id)
    if not await claim(services, wid, aid, kind, sequence):
        return
    mail = None
    async with services.unit_of_work() as uow:
        session = uow.session
        appointment = await session.get(Appointment, aid)
        notice = await NoticeRepository(session, wid).find(aid, kind, sequence)
        if appointment is None or appointment.workspace_id != wid or notice is None:
            return
        if not still_owed(appointment, kind, sequence) or (
            kind == "reminder" and not appointment.start > utcnow()
        ):
            notice.status = "skipped"
            return
        if kind == "reminder":
            appointment.reminder_sent_at = utcnow()
        workspace = await session.get(Workspace, wid)
        service = await session.get(Service, appointment.service_id)
        if workspace is None or service is None:  # pragma: no cover - foreign keys keep them
            notice.status = "skipped"
            return
        conversation = await _conversation(session, appointment)
        language = _language(workspace, conversation)
        if conversation is not None and notice.chat_message_id is None and chat:
            text = chat_line(kind, language, service.name, appointment, workspace)
            notice.chat_message_id = (await _post(session, conversation, appointment, text)).id
        if appointment.customer_email:
            token = new_opaque_token()
            notice.link_token_hash = hash_opaque_token(token)
            mail = booking_mail(
                kind,
                BookingNotice(
                    business_name=workspace.name,
                    service_name=service.name,
                    start=appointment.start,
                    end=appointment.end,
                    timezone=workspace.timezone or "UTC",
                    customer_name=appointment.customer_name,
                    customer_email=appointment.customer_email,
                    uid=calendar_uid(appointment),
                    sequence=appointment.sequence,
                    business_address=workspace.address,
                    staff_name=await staff_name(session, appointment.staff_id),
                    manage_url=manage_url(services.settings, base_url, workspace.slug, token),
                    language=language,
                    country=workspace.country,
                    business_email=workspace.contact_email,
                    previous_start=datetime.fromisoformat(previous) if previous else None,
                ),
                organizer_email=envelope_address(services.settings.mail_from),
            )
            notice.mailed_to = appointment.customer_email
        else:
            notice.status, notice.sent_at = "sent", utcnow()
    if mail is None:
        return
    try:
        await services.mail.send(mail)
    except MailError as error:
        log.warning("booking %s mail for %s not sent: %s", kind, aid, error)
        await _mark(services, wid, aid, kind, sequence, "failed")
        return
    await _mark(services, wid, aid, kind, sequence, "sent")


async def _mark(
    services: Any, wid: uuid.UUID, aid: uuid.UUID, kind: str, sequence: int, status: str
) -> None:
    async with services.unit_of_work() as uow:
        notice = await NoticeRepository(uow.session, wid).find(aid, kind, sequence)
        if notice is not None:
            notice.status = status
            if status == "sent":
                notice.sent_at = utcnow()


def calendar_uid(appointment: Appointment) -> str:
    """The booking's UID in every calendar, the same for its whole life."""
    return f"{appointment.id}@frontdesk"


def manage_url(settings: Any, base_url: str, slug: str, token: str) -> str:
    base = settings.public_url or base_url or f"http://{settings.host}:{settings.port}"
    return f"{base.rstrip('/')}/c/{slug}/booking/{token}"


async def staff_name(session: AsyncSession, membership_id: uuid.UUID | None) -> str:
    if membership_id is None:
        return ""
    statement = (
        select(User.full_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == membership_id)
    )
    return (await session.execute(statement)).scalar_one_or_none() or ""


async def _conversation(session: AsyncSession, appointment: Appointment) -> Conversation | None:
    if appointment.conversation_id is None:
        return None
    found: Conversation | None = await ConversationRepository(
        session, appointment.workspace_id
    ).get(appointment.conversation_id)
    return found


def _language(workspace: Workspace, conversation: Conversation | None) -> Language:
    spoken = ((conversation.dialogue_state or {}) if conversation else {}).get("language")
    chosen = spoken or workspace.language or "en"
    return "es" if str(chosen).startswith("es") else "en"


async def _post(
    session: AsyncSession, conversation: Conversation, appointment: Appointment, text: str
) -> Message:
    """A system line in the customer's chat: it neither takes the conversation over nor asks
    the assistant to answer (as tickets' status lines)."""
    message = MessageRepository(session, conversation.workspace_id).add(
        Message(
            conversation_id=conversation.id,
            sender_type="system",
            sender_name="",
            text=text,
            created_at=utcnow(),
            meta={"appointment_id": str(appointment.id)},
        )
    )
    conversation.last_message_at = message.created_at
    await session.flush()
    await message_event(session, "message:new", message)
    return message
