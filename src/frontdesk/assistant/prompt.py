"""Renders the persona and business profile into the instruction text an LLM receives."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.assistant.persona import ALWAYS_GUARDRAILS, PERSONALITIES, ROLES
from frontdesk.workspaces.hours import WEEKDAYS, describe_hours

LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
}


@dataclass(frozen=True)
class PromptInput:
    """Everything the builder reads, detached from the database rows."""

    assistant_name: str
    role: str
    personality: str
    instructions: str
    business_name: str
    owner_name: str = ""
    occupation: str = ""
    industry: str = ""
    timezone: str = "UTC"
    language: str = "en"
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""
    website: str = ""
    business_hours: dict[str, list[dict[str, str]]] | None = None
    conversation_instructions: str = ""
    country: str = ""  # ISO 3166 alpha-2: how times are written (3 pm or 15:00)


def build_system_prompt(p: PromptInput) -> str:
    role = ROLES[p.role]
    personality = PERSONALITIES[p.personality]
    language = LANGUAGE_NAMES.get(p.language, p.language)
    sections = [
        f"You are {p.assistant_name}, the {role.title} of {p.business_name}. {role.description}",
        _bullets("Your responsibilities", role.duties),
        f"## Tone\n{personality.label}: {personality.tone}",
        f"## Language\nReply in {language} unless the customer writes in another language; "
        "then reply in theirs.",
        _business_facts(p),
        _bullets("Rules you always follow", (*ALWAYS_GUARDRAILS, *role.guardrails)),
    ]
    if role.disclaimer:
        sections.append(
            f'## Disclaimer\nWhen a question touches your limits, say plainly: "{role.disclaimer}"'
        )
    if p.instructions.strip():
        sections.append(f"## Instructions from the business\n{p.instructions.strip()}")
    if p.conversation_instructions.strip():
        sections.append(
            f"## Instructions for this conversation\n{p.conversation_instructions.strip()}"
        )
    return "\n\n".join(s for s in sections if s)


def _bullets(title: str, items: tuple[str, ...]) -> str:
    return f"## {title}\n" + "\n".join(f"- {item}" for item in items)


def _business_facts(p: PromptInput) -> str:
    facts = [
        ("Business", p.business_name),
        ("Owner", p.owner_name),
        ("Occupation", p.occupation),
        ("Industry", p.industry),
        ("Email", p.contact_email),
        ("Phone", p.contact_phone),
        ("Address", p.address),
        ("Website", p.website),
        ("Time zone", p.timezone),
    ]
    lines = [f"- {label}: {value}" for label, value in facts if value]
    if p.business_hours is not None:
        lines.append("- Opening hours:")
        lines.extend(f"  - {line}" for line in describe_hours(p.business_hours))
    return "## About the business\n" + "\n".join(lines)


__all__ = ["WEEKDAYS", "PromptInput", "build_system_prompt"]
