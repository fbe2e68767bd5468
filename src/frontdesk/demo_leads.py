"""Demo leads for Bright Smile Dental: a few patients who wrote in, each with the short chat
they left their details in, so the Leads page and the inbox are not empty on ``make run``.

Kept apart from :func:`frontdesk.demo.create_demo`, which tests use as a clean business: only
the ``frontdesk demo`` command and ``serve --demo`` add these."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from frontdesk.accounts.repository import UserRepository
from frontdesk.contacts.models import Contact
from frontdesk.conversations.models import Conversation, Message
from frontdesk.demo import DEMO_EMAIL
from frontdesk.kit.db import Database, utcnow
from frontdesk.kit.security import hash_opaque_token, new_opaque_token
from frontdesk.leads.capture import remember_values
from frontdesk.leads.models import Lead
from frontdesk.workspaces import service as workspaces

# name, email, phone, channel, status, owned, follow-up in days (None: none), dollars,
# days ago, what they asked, what the assistant answered, the lead's interest, notes.
# fmt: off
DEMO_LEADS = (
    (
        "Sofia Marquez", "sofia.marquez@example.com", "+12125550134", "portal", "new", False,
        0, None, 0,
        "Hi! How much is teeth whitening? I'm Sofia, sofia.marquez@example.com",
        "In-office whitening is $350 and takes about an hour. Shall I find you a time?",
        "Teeth whitening", "",
    ),
    (
        "James O'Connor", "", "+12125550161", "widget", "contacted", True, -1, 95, 3,
        "Need a cleaning for me and my two kids. Call me on 212 555 0161, James",
        "Happy to help, James. Our team will call you to book the three cleanings together.",
        "Family cleaning (3 people)", "Left a voicemail Tuesday; try again after 5 pm.",
    ),
    (
        "Aisha Rahman", "aisha.rahman@example.org", "", "portal", "qualified", True, 2, 1400, 6,
        "Do you do Invisalign? My email is aisha.rahman@example.org",
        "We offer clear aligners after a consultation with Dr. Patel. Want me to book one?",
        "Clear aligners", "Consultation booked; insurance is Cigna, covers part.",
    ),
    (
        "Tom Becker", "tom.becker@example.net", "+12125550178", "portal", "won", True, None, 425,
        12,
        "New patient here, Tom Becker, tom.becker@example.net. Cleaning and check-up?",
        "Welcome, Tom! Your first cleaning comes with a free consultation.",
        "New patient cleaning and check-up", "Came in on the 2nd, booked whitening too.",
    ),
    (
        "Mei Chen", "mei.chen@example.com", "", "widget", "lost", False, None, None, 20,
        "Are you open Sundays? mei.chen@example.com",
        "We're closed on Sundays; Saturdays we're open 9 to 1.",
        "Sunday appointments", "Needed Sundays only.",
    ),
)
# fmt: on


async def add_demo_leads(db: Database) -> int:
    """Add the demo leads to the demo business once; returns how many were added."""
    async with db.unit_of_work() as uow:
        session = uow.session
        owner = await UserRepository(session).by_email(DEMO_EMAIL)
        workspace = await workspaces.home_workspace(session, owner.id) if owner else None
        if owner is None or workspace is None:
            return 0
        count = select(func.count(Lead.id)).where(Lead.workspace_id == workspace.id)
        if (await session.execute(count)).scalar_one():
            return 0
        now = utcnow()
        today = now.date()
        for row in DEMO_LEADS:
            name, email, phone, channel, status, owned, due, dollars, ago = row[:9]
            asked, answered, interest, notes = row[9:]
            when = now - timedelta(days=ago, hours=2)
            contact = Contact(
                workspace_id=workspace.id,
                name=name,
                email=email,
                phone=phone,
                interest=interest,
                source=channel,
                created_at=when,
                updated_at=when,
            )
            chat = Conversation(
                workspace_id=workspace.id,
                session_token_hash=hash_opaque_token(new_opaque_token()),
                customer_name=name,
                customer_email=email,
                channel=channel,
                contact=contact,
                status="closed" if status in ("won", "lost") else "open",
                created_at=when,
                last_message_at=when + timedelta(minutes=1),
                staff_read_at=now,
            )
            session.add_all([contact, chat])
            await session.flush()
            for offset, (sender, text) in enumerate((("customer", asked), ("assistant", answered))):
                session.add(
                    Message(
                        workspace_id=workspace.id,
                        conversation_id=chat.id,
                        sender_type=sender,
                        sender_name="Sunny" if sender == "assistant" else name,
                        text=text,
                        created_at=when + timedelta(seconds=40 * offset),
                    )
                )
            session.add(
                Lead(
                    workspace_id=workspace.id,
                    contact=contact,
                    source_conversation_id=chat.id,
                    channel=channel,
                    interest=interest,
                    status=status,
                    notes=notes,
                    captured=remember_values({}, {"name": name, "email": email, "phone": phone}),
                    owner_id=owner.id if owned else None,
                    follow_up_on=None if due is None else today + timedelta(days=int(due)),
                    value_cents=None if dollars is None else int(dollars) * 100,
                    created_at=when,
                    updated_at=when,
                )
            )
        return len(DEMO_LEADS)
