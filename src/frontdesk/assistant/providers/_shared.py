"""What every LLM adapter says the same way: the system prompt, the conversation as
user/assistant turns, and the instructions for revising a draft and summarising for staff.
Keeping the wording here means switching vendor never changes what the model is told."""

from __future__ import annotations

import re
from typing import Literal

from frontdesk.assistant.engine import ReplyContext, Turn
from frontdesk.assistant.prompt import build_system_prompt
from frontdesk.knowledge.retrieval import Passage

# One round is one call to the model; a round that asks for tools costs another. Four is
# enough for "look something up, act, confirm" and bounds what a confused model can spend.
MAX_ROUNDS = 4

Role = Literal["user", "assistant"]

# Staff replies are written on the business's behalf, so the model sees them as its own
# side of the conversation; system notes are bookkeeping and never reach the model.
_ROLES: dict[str, Role] = {"customer": "user", "assistant": "assistant", "staff": "assistant"}


class EngineError(RuntimeError):
    """The model answered, but not with something we can send (no text at all)."""


def system_prompt(context: ReplyContext) -> str:
    prompt = build_system_prompt(context.persona)
    if context.customer_name:
        prompt += f"\n\n## The customer\nThe customer's name is {context.customer_name}."
    if context.passages:
        numbered = "\n".join(
            f"[{n}] {p.title or 'Untitled'}"
            + (f" / {p.heading}" if p.heading else "")
            + f": {' '.join(p.text.split())}"
            for n, p in enumerate(context.passages, start=1)
        )
        prompt += (
            "\n\n## From the business's knowledge base\n"
            "These passages were found for the customer's latest message. When one answers "
            "it, answer from it alone and cite it by its number in brackets, like [1]. When "
            "none answers, say plainly that you do not know and offer to ask a person; never "
            f"fill the gap from general knowledge.\n{numbered}"
        )
    return prompt


_CITATION = re.compile(r"\[(\d{1,2})\]")


def cited(context: ReplyContext, text: str) -> list[Passage]:
    """The passages a model's reply cites by number, in the order it cites them."""
    chosen: list[Passage] = []
    for match in _CITATION.finditer(text):
        index = int(match.group(1)) - 1
        if 0 <= index < len(context.passages) and context.passages[index] not in chosen:
            chosen.append(context.passages[index])
    return chosen


def dialogue(history: list[Turn]) -> list[tuple[Role, str]]:
    """The history as (role, text) pairs, in order, without system notes or empty turns
    (a photo with no caption has no words a text model can use)."""
    return [
        (_ROLES[turn.sender_type], turn.text.strip())
        for turn in history
        if turn.sender_type in _ROLES and turn.text.strip()
    ]


def transcript(history: list[Turn]) -> str:
    labels = {"customer": "Customer", "assistant": "Assistant", "staff": "Staff"}
    return "\n".join(
        f"{labels[turn.sender_type]}: {turn.text.strip()}"
        for turn in history
        if turn.sender_type in labels and turn.text.strip()
    )


def revise_request(text: str, instructions: str, context: ReplyContext) -> str:
    """The user message for "revise with AI": the draft, the instruction, and the conversation
    for context. Asking for the text alone spares us parsing quotes or preambles."""
    parts = [
        "A member of staff drafted the reply below to send to the customer. Rewrite it "
        "following their instructions. Keep every fact, price, date and promise in the draft; "
        "do not add new ones. Answer with the revised reply only: no quotes, no preamble, "
        "no explanation.",
        f"Instructions: {instructions.strip()}",
        f"Draft:\n{text.strip()}",
    ]
    conversation = transcript(context.history[-12:])
    if conversation:
        parts.append(f"The conversation so far, for context:\n{conversation}")
    return "\n\n".join(parts)


def summary_request(context: ReplyContext) -> str:
    return (
        "Summarise the conversation below for the staff of the business in two to four plain "
        "sentences: who the customer is, what they want, what has been done or promised, and "
        "what still needs a person. Answer with the summary only.\n\n"
        f"Conversation:\n{transcript(context.history) or '(no messages yet)'}"
    )


def require_text(text: str, what: str) -> str:
    """An empty answer is a failure, not a reply: raising lets the fallback answer instead."""
    if not text.strip():
        raise EngineError(f"the model returned no text for the {what}")
    return text.strip()
