"""What the customer sees of their ticket: its reference in the assistant's reply, and a short
line in their chat at every status change (a system message, sent with the same realtime
events as any message, so an open portal shows it at once).

Wordings are per language (the conversation's, else the workspace's); English otherwise.
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.conversations.events import message_event
from frontdesk.conversations.models import Conversation, Message
from frontdesk.conversations.repository import MessageRepository
from frontdesk.kit.db import utcnow
from frontdesk.tickets.models import Ticket

WORDINGS: dict[str, dict[str, str]] = {
    "en": {
        "opened": "I've opened ticket {reference} for this, so the team can follow it up; "
        "you'll see updates here.",
        "in_progress": "Update on ticket {reference}: the team is working on it now.",
        "fixed": "Update on ticket {reference}: the team has marked it fixed. Is everything "
        "working for you now? Reply here to confirm, or tell us if it isn't.",
        "confirmed": "Ticket {reference} is closed: thanks for confirming it's sorted.",
        "rejected": "Update on ticket {reference}: the team has closed it without a change. "
        "{reason}",
        "pending": "Update on ticket {reference}: it's back in the queue for the team.",
        "reopened": "Thanks for telling us. Ticket {reference} is open again and the team "
        "will keep working on it.",
    },
    "es": {
        "opened": "He abierto el ticket {reference} para esto, así el equipo le da "
        "seguimiento; verás las novedades aquí.",
        "in_progress": "Novedad del ticket {reference}: el equipo ya está trabajando en ello.",
        "fixed": "Novedad del ticket {reference}: el equipo lo marcó como resuelto. ¿Ya "
        "funciona todo? Respóndenos aquí para confirmarlo, o dinos si no.",
        "confirmed": "El ticket {reference} está cerrado: gracias por confirmar que quedó "
        "resuelto.",
        "rejected": "Novedad del ticket {reference}: el equipo lo cerró sin cambios. {reason}",
        "pending": "Novedad del ticket {reference}: vuelve a estar en la cola del equipo.",
        "reopened": "Gracias por avisarnos. El ticket {reference} vuelve a estar abierto y el "
        "equipo seguirá con él.",
    },
}

# "yes it works now", "all good thanks", "sí, ya funciona": the customer confirms the fix.
_CONFIRMS = re.compile(
    r"\b(?:works?\s+(?:now|fine|again|perfectly)|working\s+(?:now|fine|again)|"
    r"(?:all\s+)?(?:good|sorted|fixed|resolved)\s+(?:now|thanks|thank\s+you)|"
    r"(?:it'?s|it\s+is|that'?s|all)\s+(?:fixed|sorted|resolved|working|good)|"
    r"yes,?\s+(?:it\s+)?(?:does|is|works?|thanks)|problem\s+solved|"
    r"ya\s+funciona|funciona\s+(?:bien|perfecto)|(?:está|quedó)\s+resuelto|"
    r"s[ií],?\s+(?:ya\s+)?funciona)\b",
    re.I,
)
_STILL_BROKEN = re.compile(
    r"\b(?:still\s+(?:not|doesn'?t|isn'?t|broken|the\s+same|happening)|not\s+(?:fixed|"
    r"working)|doesn'?t\s+work|isn'?t\s+(?:fixed|working)|no,?\s+(?:it\s+)?(?:doesn'?t|"
    r"isn'?t|still)|sigue\s+sin|todav[ií]a\s+no|no\s+funciona)\b",
    re.I,
)


def confirms_fixed(text: str) -> bool:
    return bool(_CONFIRMS.search(text)) and not _STILL_BROKEN.search(text)


def still_broken(text: str) -> bool:
    return bool(_STILL_BROKEN.search(text))


def language_of(conversation: Conversation, default: str = "en") -> str:
    spoken = (conversation.dialogue_state or {}).get("language") or default
    return spoken if spoken in WORDINGS else "en"


def say(language: str, key: str, reference: str, reason: str = "") -> str:
    book = WORDINGS.get(language, WORDINGS["en"])
    return book[key].format(reference=reference, reason=reason).strip()


async def post_update(
    session: AsyncSession, conversation: Conversation, ticket: Ticket, text: str
) -> Message:
    """A line in the customer's chat about their ticket. It is a system message: it neither
    takes the conversation over from the assistant nor asks the assistant to answer."""
    message = MessageRepository(session, conversation.workspace_id).add(
        Message(
            conversation_id=conversation.id,
            sender_type="system",
            sender_name="",
            text=text,
            created_at=utcnow(),
            meta={"ticket_id": str(ticket.id), "ticket": ticket.reference},
        )
    )
    conversation.last_message_at = message.created_at
    await session.flush()
    await message_event(session, "message:new", message)
    return message
