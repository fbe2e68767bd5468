"""The built-in tools: ``capture_lead``, ``handoff``, ``answer_faq``, ``open_ticket``
(whose code lives with tickets, in ``tickets/tool.py``) and the booking tools (with
appointments, in ``appointments/tool.py``).

Whichever engine decides (the local policy, or an LLM through function calling), the same
code runs with the same validation, each call in its own transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, Field, field_validator

from frontdesk.appointments.tool import BOOKING_TOOLS
from frontdesk.assistant.intent_models import CustomIntentData
from frontdesk.assistant.tools import Tool, ToolContext, ToolResult, ToolSetup, register_tool
from frontdesk.contacts import service as contacts
from frontdesk.conversations.events import conversation_event
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.leads.capture import record_capture
from frontdesk.tickets.tool import OPEN_TICKETS, OpenTicket
from frontdesk.workspaces.hours import next_opening

CAPTURE_LEADS = "contacts:write"
HAND_OVER = "conversations:handoff"
READ_FAQ = "faq:read"


class CaptureLeadArgs(BaseModel):
    name: str = Field("", max_length=200, description="The customer's name, as they gave it.")
    email: str = Field("", max_length=320, description="The customer's email address.")
    phone: str = Field("", max_length=40, description="The customer's phone number.")
    interest: str = Field("", max_length=300, description="What they want, in a few words.")

    @field_validator("name", "interest")
    @classmethod
    def _tidy(cls, value: str) -> str:
        return " ".join(value.split())


class CaptureLead:
    name = "capture_lead"
    description = (
        "Save the customer's contact details (name, email, phone) and what they are "
        "interested in, so the business can follow up. Call it as soon as the customer "
        "gives any of these."
    )
    args_model = CaptureLeadArgs
    permission = CAPTURE_LEADS

    async def run(self, args: CaptureLeadArgs, ctx: ToolContext) -> ToolResult:
        problems: list[str] = []
        email = _valid_email(args.email, problems)
        phone = _valid_phone(args.phone, ctx.region, problems)
        if not (args.name or email or phone or args.interest):
            return ToolResult("Nothing to save: " + "; ".join(problems or ["no details"]), ok=False)

        async def save(session: Any) -> dict[str, Any]:
            conversation = await ConversationRepository(session, ctx.workspace_id).get(
                ctx.conversation_id
            )
            if conversation is None:
                raise LookupError("conversation gone")
            contact = await contacts.remember(
                session,
                conversation,
                name=args.name,
                email=email,
                phone=phone,
                phone_verified=not phone or phone.startswith("+"),
                interest=args.interest,
            )
            contact = await record_capture(session, conversation, contact)  # one person, one lead
            await conversation_event(session, conversation)
            return {
                "contact_id": str(contact.id),
                "name": contact.name,
                "email": contact.email,
                "phone": contact.phone,
            }

        data = await ctx.run_in_transaction(save)
        saved = ", ".join(f"{k}={v}" for k, v in data.items() if k != "contact_id" and v)
        note = f" Not saved: {'; '.join(problems)}." if problems else ""
        return ToolResult(f"Saved contact details ({saved}).{note}", data=data)


class HandoffArgs(BaseModel):
    reason: str = Field("", max_length=300, description="Why a person should take over.")


class Handoff:
    name = "handoff"
    description = (
        "Hand the conversation to a person on the team: when the customer asks for a human, "
        "is upset, or needs something you cannot do or do not know. The result says when "
        "someone will answer; tell the customer that honestly."
    )
    args_model = HandoffArgs
    permission = HAND_OVER

    async def run(self, args: HandoffArgs, ctx: ToolContext) -> ToolResult:
        async def mark(session: Any) -> None:
            conversation = await ConversationRepository(session, ctx.workspace_id).get(
                ctx.conversation_id
            )
            if conversation is not None and not conversation.needs_human:
                conversation.needs_human = True
                await conversation_event(session, conversation)

        await ctx.run_in_transaction(mark)
        open_now, when = team_availability(ctx)
        if open_now:
            content = "Handed over. The team is in now; a person will reply here shortly."
        elif when is not None:
            content = (
                "Handed over. The business is closed now; a person will reply here from "
                f"{when.strftime('%A')} at {when.strftime('%H:%M')}."
            )
        else:
            content = "Handed over. A person will reply here as soon as they can."
        return ToolResult(
            content, data={"open_now": open_now, "next_opening": when.isoformat() if when else None}
        )


def team_availability(
    ctx: ToolContext, now: datetime | None = None
) -> tuple[bool, datetime | None]:
    if not ctx.business_hours:
        return False, None
    local_now = (now or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(ctx.timezone))
    return next_opening(ctx.business_hours, local_now)


class AnswerFaqArgs(BaseModel):
    topic: str = Field(description="The FAQ topic's name, exactly as listed.")


class AnswerFaq:
    """The business's own answers (custom intents), looked up by topic name."""

    name = "answer_faq"
    args_model = AnswerFaqArgs
    permission = READ_FAQ

    def __init__(self, intents: list[CustomIntentData]) -> None:
        self.intents = {i.name: i for i in intents if i.action == "answer"}
        topics = ", ".join(sorted(self.intents)) or "none yet"
        self.description = (
            "Get the business's own answer to a frequently asked question. Use it whenever "
            f"the customer asks about one of these topics: {topics}."
        )

    async def run(self, args: AnswerFaqArgs, ctx: ToolContext) -> ToolResult:
        intent = self.intents.get(args.topic.strip().lower())
        if intent is None:
            return ToolResult(f"No FAQ answer for {args.topic!r}.", ok=False)
        return ToolResult(intent.answer, data={"topic": intent.name})


@register_tool("capture_lead", permission=CAPTURE_LEADS)
def _capture_lead(setup: ToolSetup) -> Tool[Any]:
    return CaptureLead()


@register_tool("handoff", permission=HAND_OVER)
def _handoff(setup: ToolSetup) -> Tool[Any]:
    return Handoff()


@register_tool("answer_faq", permission=READ_FAQ)
def _answer_faq(setup: ToolSetup) -> Tool[Any]:
    return AnswerFaq(setup.faq)


@register_tool("open_ticket", permission=OPEN_TICKETS)
def _open_ticket(setup: ToolSetup) -> Tool[Any]:
    return OpenTicket()


def _booking_tool(tool: type[Any]) -> None:
    register_tool(tool.name, permission=tool.permission)(lambda setup: tool())


for _tool in BOOKING_TOOLS:
    _booking_tool(_tool)


def _valid_email(raw: str, problems: list[str]) -> str:
    if not raw.strip():
        return ""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        problems.append(f"{raw!r} is not a valid email address")
        return ""


def _valid_phone(raw: str, region: str, problems: list[str]) -> str:
    if not raw.strip():
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        digits = sum(c.isdigit() for c in raw)
        if not 7 <= digits <= 15:
            problems.append(f"{raw!r} is not a valid phone number")
            return ""
        # The customer's data is never dropped: kept as given, flagged for staff to check.
        problems.append(f"{raw!r} could not be checked; kept as given")
        return " ".join(raw.split())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
