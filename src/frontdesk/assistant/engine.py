"""The assistant as the conversations see it: one interface, ``respond`` and ``revise``.

:class:`LocalAssistant` is the first, deliberately modest implementation: it answers from the
business profile (hours, contact details), greets, thanks, and otherwise tells the customer
honestly that a person will follow up. The NLU engine and LLM providers of the assistant issue
replace it behind the same interface.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from frontdesk.assistant.persona import ROLES
from frontdesk.assistant.prompt import PromptInput
from frontdesk.workspaces.hours import describe_hours


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

    @property
    def last_customer_text(self) -> str:
        return next((t.text for t in reversed(self.history) if t.sender_type == "customer"), "")


@dataclass
class Reply:
    text: str
    wants_human: bool = False


OnDelta = Callable[[str], Awaitable[None]]


class Assistant(Protocol):
    async def respond(self, context: ReplyContext, on_delta: OnDelta) -> Reply:
        """Produce the reply; engines that stream call ``on_delta`` with each piece."""
        ...

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str: ...


_GREETING = re.compile(r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|hola)\b", re.I)
_THANKS = re.compile(r"\b(thanks|thank you|cheers|much appreciated)\b", re.I)
_HOURS = re.compile(r"\b(hours?|open|opening|close|closing|closed|when are you)\b", re.I)
_CONTACT = re.compile(r"\b(where|address|located|location|phone|call you|email|website)\b", re.I)
_HUMAN = re.compile(r"\b(human|person|someone|agent|staff|real people|talk to)\b", re.I)


class LocalAssistant:
    """Answers from the business profile; no model, no network."""

    def decide(self, context: ReplyContext) -> Reply:
        text = context.last_customer_text
        name = f", {context.customer_name.split()[0]}" if context.customer_name else ""
        if not text.strip():  # a file with no words (a photo, a document)
            return Reply(
                f"Thanks{name}, I've received your file. Someone from the team at "
                f"{context.persona.business_name} will take a look and reply here.",
                wants_human=True,
            )
        if _HUMAN.search(text):
            return Reply(
                f"Of course{name}. I've let the team at {context.persona.business_name} "
                "know you'd like to talk to a person; someone will reply here.",
                wants_human=True,
            )
        if _HOURS.search(text):
            hours = "\n".join(
                f"- {line}" for line in describe_hours(context.persona.business_hours or {})
            )
            return Reply(f"Here are our opening hours:\n\n{hours}")
        if _CONTACT.search(text):
            facts = [
                f"- {label}: {value}"
                for label, value in (
                    ("Address", context.persona.address),
                    ("Phone", context.persona.contact_phone),
                    ("Email", context.persona.contact_email),
                    ("Website", context.persona.website),
                )
                if value
            ]
            if facts:
                return Reply("You can reach us here:\n\n" + "\n".join(facts))
        if _THANKS.search(text):
            return Reply(f"You're welcome{name}! Anything else I can help with?")
        if _GREETING.search(text) and len(text.split()) <= 4:
            return Reply(
                f"Hello{name}! I'm {context.persona.assistant_name}, the "
                f"{ROLES[context.persona.role].title} of {context.persona.business_name}. "
                "How can I help you today?"
            )
        return Reply(
            f"Thanks for your message{name}. I don't have a confident answer to that "
            f"myself, so I've passed it to the team at {context.persona.business_name}; a "
            "person will reply here as soon as they can.",
            wants_human=True,
        )

    async def respond(self, context: ReplyContext, on_delta: OnDelta) -> Reply:
        reply = self.decide(context)
        reply.text = _in_tone(reply.text, context.persona.personality)
        return reply

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str:
        return revise_locally(text, instructions)


def _in_tone(text: str, personality: str) -> str:
    if personality == "formal":
        return _formal(text)
    if personality == "concise":
        return _shorter(text)
    if personality == "enthusiastic" and not text.endswith("!"):
        return text.rstrip(".") + "!"
    return text


_CONTRACTIONS = {
    "I'm": "I am",
    "I've": "I have",
    "you'd": "you would",
    "don't": "do not",
    "can't": "cannot",
    "won't": "will not",
    "it's": "it is",
    "Let's": "Let us",
    "you're": "you are",
    "You're": "You are",
    "we're": "we are",
    "that's": "that is",
}
_WARM_OPENERS = ("Thanks so much for reaching out!", "Happy to help!")


def revise_locally(text: str, instructions: str) -> str:
    """Rule-based rewrites for "revise with AI" when no language model is connected.
    Every recognised instruction changes the text; several can combine."""
    wanted = instructions.lower()
    revised = text
    if any(w in wanted for w in ("short", "brief", "concise", "trim")):
        revised = _shorter(revised)
    if any(w in wanted for w in ("formal", "professional", "polite")):
        revised = _formal(revised)
    if any(w in wanted for w in ("warm", "friendl", "kind", "nicer")):
        revised = _warmer(revised)
    if revised == text:
        raise ValueError(
            "I can make a draft shorter, warmer or more formal; "
            "connect a language model for other instructions."
        )
    return revised


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _shorter(text: str) -> str:
    if "\n" in text:  # keep lists whole, drop the chatter around them
        return text
    sentences = _sentences(text)
    keep = sentences[:1] if len(sentences) > 1 else sentences
    shortened = " ".join(keep)
    return shortened if shortened != text else re.sub(r"\s*\([^)]*\)", "", text)


def _formal(text: str) -> str:
    for informal, formal in _CONTRACTIONS.items():
        text = re.sub(rf"\b{re.escape(informal)}", formal, text)
    return text.replace("!", ".").replace("Hi ", "Hello ").replace("Hey", "Hello")


def _warmer(text: str) -> str:
    if text.startswith(_WARM_OPENERS):
        return text
    opener = _WARM_OPENERS[0] if len(text) > 60 else _WARM_OPENERS[1]
    closing = "" if text.rstrip().endswith(("?", "!")) else " Have a lovely day!"
    return f"{opener} {text.rstrip()}{closing}"
