"""What the LLM engine tests share: a persona, a conversation, a real ToolBox with a small
lead-capturing tool and a handoff tool, and a recorder for streamed deltas."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from frontdesk.assistant.engine import Reply, ReplyContext, Turn
from frontdesk.assistant.prompt import PromptInput
from frontdesk.assistant.tools import Tool, ToolBox, ToolContext, ToolResult

PERSONA = PromptInput(
    assistant_name="Ava",
    role="receptionist",
    personality="friendly",
    instructions="Offer a free first consultation.",
    business_name="Bright Smile Dental",
    contact_phone="+1 555 0100",
)


class LeadArgs(BaseModel):
    name: str = Field(description="The customer's name")
    phone: str = Field(default="", description="A phone number to call back")
    note: str = Field(default="", description="What they want, in a few words")


@dataclass
class CaptureLead:
    """Writes the lead into a dict instead of a database; otherwise a tool like any other."""

    leads: dict[str, dict[str, Any]] = field(default_factory=dict)
    name: str = "capture_lead"
    description: str = "Save the customer's contact details so the team can follow up."
    args_model: type[LeadArgs] = LeadArgs
    permission: str = ""

    async def run(self, args: LeadArgs, ctx: ToolContext) -> ToolResult:
        self.leads[args.name] = args.model_dump()
        return ToolResult(f"Saved lead for {args.name}.", data={"lead": args.name})


class HandoffArgs(BaseModel):
    reason: str


@dataclass
class Handoff:
    name: str = "handoff"
    description: str = "Pass the conversation to a person on the team."
    args_model: type[HandoffArgs] = HandoffArgs
    permission: str = ""

    async def run(self, args: HandoffArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult("A person has been notified and will reply here.")


async def _in_transaction(work: Callable[[Any], Awaitable[Any]]) -> Any:
    return await work(None)  # no database: the test tools never touch the session


def toolbox(*tools: Tool[Any]) -> ToolBox:
    ctx = ToolContext(
        workspace_id=uuid.uuid4(),
        conversation_id=uuid.uuid4(),
        run_in_transaction=_in_transaction,
        permissions=frozenset(),
    )
    return ToolBox(list(tools), ctx)


def context(
    *turns: tuple[str, str], tools: ToolBox | None = None, customer_name: str = "Ana Ruiz"
) -> ReplyContext:
    history = [Turn(sender, text) for sender, text in turns] or [
        Turn("customer", "Hi, can I book a cleaning next week?")
    ]
    return ReplyContext(PERSONA, customer_name=customer_name, history=history, tools=tools)


@dataclass
class Deltas:
    """An ``on_delta`` that keeps what it was given."""

    pieces: list[str] = field(default_factory=list)

    async def __call__(self, piece: str) -> None:
        self.pieces.append(piece)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class StubLocal:
    """Stands in for the local engine where a test needs its summarize or a fixed answer."""

    answer: str = "A person will reply soon."
    calls: list[str] = field(default_factory=list)

    async def respond(
        self, context: ReplyContext, on_delta: Callable[[str], Awaitable[None]]
    ) -> Reply:
        self.calls.append("respond")
        return Reply(self.answer, wants_human=True)

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str:
        self.calls.append("revise")
        return f"{text} (revised locally)"

    async def summarize(self, context: ReplyContext) -> str:
        self.calls.append("summarize")
        return "Summarised locally."
