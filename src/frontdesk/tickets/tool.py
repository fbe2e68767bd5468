"""The assistant's ``open_ticket`` tool (registered in ``assistant/builtin_tools.py``): the
local policy calls it when a customer reports a problem; an LLM engine sees it as a function.
It opens a ticket for the conversation, or, when one is open already, returns that one."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from frontdesk.assistant.tools import ToolContext, ToolResult
from frontdesk.tickets.intake import Hints, from_chat

OPEN_TICKETS = "tickets:write"


class OpenTicketArgs(BaseModel):
    category: (
        Literal[
            "billing_payment",
            "technical",
            "account",
            "general_inquiry",
            "complaint",
            "feature_request",
        ]
        | None
    ) = Field(None, description="Leave out to have it triaged from the customer's words.")
    priority: Literal["urgent", "high", "medium", "low"] | None = Field(
        None, description="Leave out to have it triaged from the customer's words."
    )
    what_happened: str = Field("", max_length=1000, description="The problem, in brief.")
    customer_wants: str = Field("", max_length=300, description="What the customer wants.")
    tried: str = Field("", max_length=500, description="What the customer already tried.")


class OpenTicket:
    name = "open_ticket"
    description = (
        "Open a support ticket when the customer reports a problem (something broken, a "
        "wrong charge, an account they cannot use, a complaint). If this conversation has an "
        "open ticket, it returns that one instead. Tell the customer the ticket reference "
        "from the result."
    )
    args_model = OpenTicketArgs
    permission = OPEN_TICKETS

    async def run(self, args: OpenTicketArgs, ctx: ToolContext) -> ToolResult:
        hints = Hints(
            category=args.category,
            priority=args.priority,
            summary={
                "what_happened": args.what_happened,
                "customer_wants": args.customer_wants,
                "tried": args.tried,
            },
        )

        async def work(session: Any) -> dict[str, Any] | None:
            outcome = await from_chat(session, ctx.workspace_id, ctx.conversation_id, hints)
            if outcome is None:
                return None
            ticket = outcome.ticket
            return {
                "ticket_id": str(ticket.id),
                "reference": ticket.reference,
                "created": outcome.created,
                "status": ticket.status,
                "category": ticket.category,
                "priority": ticket.priority,
            }

        data = await ctx.run_in_transaction(work)
        if data is None:
            return ToolResult("No ticket: there is no customer message to file.", ok=False)
        if data["created"]:
            content = (
                f"Opened ticket {data['reference']} ({data['category']}, {data['priority']} "
                f"priority). Tell the customer the reference {data['reference']}."
            )
        else:
            content = (
                f"This conversation already has ticket {data['reference']} "
                f"({data['status']}); the customer's message was added to it."
            )
        return ToolResult(content, data=data)
