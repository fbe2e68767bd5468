"""The assistant as the conversations see it: one interface (``respond``, ``revise``,
``summarize``) with the local engine (``local_engine.py``) as the default and LLM providers
(``providers/``) behind the same protocol.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from frontdesk.assistant.dialogue import DialogueState
from frontdesk.assistant.intent_models import CustomIntentData
from frontdesk.assistant.prompt import PromptInput
from frontdesk.assistant.tools import ToolBox
from frontdesk.knowledge.answers import KnowledgeAnswer
from frontdesk.knowledge.retrieval import Passage
from frontdesk.nlu.understand import Understanding


@dataclass(frozen=True)
class Turn:
    sender_type: str  # customer, assistant, staff, system
    text: str


@dataclass(frozen=True)
class ReplyContext:
    """Everything a reply may depend on, detached from the database: the persona and business
    profile (exactly what the system-prompt builder renders, including this conversation's
    instructions from staff), who the customer is, and the conversation so far."""

    persona: PromptInput
    customer_name: str = ""
    history: list[Turn] = field(default_factory=list)
    tools: ToolBox | None = None  # None: this reply may not act, only talk
    # Filled by the reply job for the local engine's policy (LLM engines read the history):
    understanding: Understanding | None = None  # of the customer's latest message
    state: DialogueState = field(default_factory=DialogueState)
    faq: list[CustomIntentData] = field(default_factory=list)
    has_attachment: bool = False  # the latest customer message carries a file
    # What the knowledge base holds on the latest message (its topic included, for a
    # follow-up), and the answer quoted from it; LLM engines get the passages in the prompt.
    passages: list[Passage] = field(default_factory=list)
    knowledge: KnowledgeAnswer | None = None

    @property
    def last_customer_text(self) -> str:
        return next((t.text for t in reversed(self.history) if t.sender_type == "customer"), "")


@dataclass(frozen=True)
class Usage:
    """Tokens one call to a language model cost, recorded per workspace."""

    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass
class Reply:
    text: str
    wants_human: bool = False
    usage: list[Usage] = field(default_factory=list)
    engine: str = "local"  # which engine wrote it: local, openai, anthropic
    citations: list[Passage] = field(default_factory=list)  # knowledge the reply used


OnDelta = Callable[[str], Awaitable[None]]


class Assistant(Protocol):
    async def respond(self, context: ReplyContext, on_delta: OnDelta) -> Reply:
        """Produce the reply; engines that stream call ``on_delta`` with each piece."""
        ...

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str: ...

    async def summarize(self, context: ReplyContext) -> str:
        """A few sentences on the conversation in ``context.history``, for staff."""
        ...
