"""Demo data: a sample dental practice, so a new user meets a living product at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from frontdesk.accounts.models import User
from frontdesk.accounts.repository import UserRepository
from frontdesk.appointments.models import Service
from frontdesk.appointments.repository import ServiceRepository
from frontdesk.assistant.models import CustomIntent
from frontdesk.assistant.repository import CustomIntentRepository
from frontdesk.assistant.service import get_for_workspace
from frontdesk.kit.db import Database, utcnow
from frontdesk.kit.security import hash_password
from frontdesk.workspaces import service as workspaces
from frontdesk.workspaces.models import Workspace

DEMO_EMAIL = "owner@brightsmile.example"
DEMO_PASSWORD = "brightsmile-demo"  # noqa: S105 - printed on the console on purpose


@dataclass(frozen=True)
class DemoResult:
    created: bool
    email: str
    password: str | None
    slug: str


async def database_is_empty(db: Database) -> bool:
    async with db.unit_of_work() as uow:
        return int((await uow.session.execute(select(func.count(Workspace.id)))).scalar_one()) == 0


async def create_demo(db: Database) -> DemoResult:
    """Create Bright Smile Dental with its owner; does nothing if the owner already exists."""
    async with db.unit_of_work() as uow:
        session = uow.session
        users = UserRepository(session)
        existing = await users.by_email(DEMO_EMAIL)
        if existing is not None:
            home = await workspaces.home_workspace(session, existing.id)
            return DemoResult(False, DEMO_EMAIL, None, home.slug if home else "")
        owner = users.add(
            User(
                email=DEMO_EMAIL,
                password_hash=hash_password(DEMO_PASSWORD),
                full_name="Maya Patel",
            )
        )
        await session.flush()
        workspace = await workspaces.create_workspace(session, "Bright Smile Dental", owner)
        workspace.owner_name = "Dr. Maya Patel"
        workspace.occupation = "Dentist"
        workspace.industry = "Healthcare & dental"
        workspace.timezone = "America/New_York"
        workspace.contact_email = "hello@brightsmile.example"
        workspace.contact_phone = "+1 212 555 0142"
        workspace.address = "210 Grand Street, New York, NY 10013"
        workspace.website = "https://brightsmile.example"
        workspace.business_hours = {
            "mon": [{"start": "08:30", "end": "12:30"}, {"start": "13:30", "end": "18:00"}],
            "tue": [{"start": "08:30", "end": "12:30"}, {"start": "13:30", "end": "18:00"}],
            "wed": [{"start": "08:30", "end": "12:30"}, {"start": "13:30", "end": "18:00"}],
            "thu": [{"start": "08:30", "end": "12:30"}, {"start": "13:30", "end": "19:00"}],
            "fri": [{"start": "08:30", "end": "15:00"}],
            "sat": [{"start": "09:00", "end": "13:00"}],
            "sun": [],
        }
        workspace.setup_completed_at = utcnow()
        assistant = await get_for_workspace(session, workspace.id)
        assistant.name = "Sunny"
        assistant.role = "medical_office"
        assistant.personality = "friendly"
        assistant.greeting = (
            "Hi, I'm Sunny from Bright Smile Dental! I can book a check-up, "
            "answer questions about treatments, or get you to our team."
        )
        assistant.instructions = (
            "New patients get a free consultation with their first cleaning. "
            "We accept Delta Dental, Cigna and Aetna. For dental pain after hours, give the "
            "emergency line +1 212 555 0199. Always offer the earliest available slot first."
        )
        assistant.quick_prompts = [
            "Book a check-up",
            "Do you take my insurance?",
            "How much is teeth whitening?",
            "I have a toothache",
        ]
        # The owner's own answers, which the local engine gives word for word.
        faq = CustomIntentRepository(session, workspace.id)
        for name, examples, answer in DEMO_INTENTS:
            faq.add(CustomIntent(name=name, examples=list(examples), answer=answer))
        catalogue = ServiceRepository(session, workspace.id)
        for name, minutes, after, price, about in DEMO_SERVICES:
            catalogue.add(
                Service(
                    name=name,
                    duration_minutes=minutes,
                    buffer_after_minutes=after,
                    price_cents=price * 100,
                    description=about,
                )
            )
        return DemoResult(True, DEMO_EMAIL, DEMO_PASSWORD, workspace.slug)


# What a patient can book (name, minutes, minutes to clean up after, dollars, description).
DEMO_SERVICES = (
    ("Cleaning", 30, 10, 95, "Scale and polish by our hygienist."),
    ("Check-up", 20, 10, 75, "Exam with X-rays when due."),
    ("Teeth whitening", 60, 15, 350, "In-office whitening, about an hour."),
    ("New patient consultation", 45, 15, 0, "Free with your first cleaning."),
)


DEMO_INTENTS = (
    (
        "insurance",
        (
            "do you take my insurance",
            "which insurance do you accept",
            "are you in network with cigna",
            "do you take delta dental",
            "can I use my dental plan",
            "is aetna accepted",
        ),
        "We accept Delta Dental, Cigna and Aetna. Bring your insurance card to your visit and "
        "we'll handle the claim for you.",
    ),
    (
        "new patients",
        (
            "are you taking new patients",
            "I'm a new patient",
            "first visit what should I expect",
            "do new patients get a discount",
            "never been to your practice before",
        ),
        "Yes, we're welcoming new patients! Your first cleaning comes with a free "
        "consultation with Dr. Patel.",
    ),
    (
        "dental emergency",
        (
            "I have a toothache",
            "my tooth is killing me",
            "broke a tooth",
            "dental emergency after hours",
            "my face is swollen from a tooth",
            "severe tooth pain",
        ),
        "I'm sorry you're in pain. For dental pain after hours, call our emergency line on "
        "+1 212 555 0199; during opening hours, call +1 212 555 0142 and we'll see you as soon "
        "as we can.",
    ),
)
