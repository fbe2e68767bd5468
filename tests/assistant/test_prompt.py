"""The system-prompt builder, per role and per personality (pure unit tests)."""

from __future__ import annotations

import pytest

from frontdesk.assistant.persona import ALWAYS_GUARDRAILS, PERSONALITIES, ROLES
from frontdesk.assistant.prompt import PromptInput, build_system_prompt
from frontdesk.workspaces.hours import default_hours


def _input(**overrides: object) -> PromptInput:
    values: dict[str, object] = {
        "assistant_name": "Ava",
        "role": "receptionist",
        "personality": "friendly",
        "instructions": "",
        "business_name": "Bright Smile Dental",
        "business_hours": default_hours(),
    }
    values.update(overrides)
    return PromptInput(**values)  # type: ignore[arg-type]


def test_catalogue_has_twelve_roles_and_six_personalities() -> None:
    assert len(ROLES) == 12
    assert set(PERSONALITIES) == {
        "professional",
        "friendly",
        "concise",
        "empathetic",
        "enthusiastic",
        "formal",
    }


@pytest.mark.parametrize("role_key", sorted(ROLES))
def test_each_role_renders_its_duties_guardrails_and_disclaimer(role_key: str) -> None:
    role = ROLES[role_key]
    prompt = build_system_prompt(_input(role=role_key))
    assert prompt.startswith(f"You are Ava, the {role.title} of Bright Smile Dental.")
    for line in (*role.duties, *role.guardrails, *ALWAYS_GUARDRAILS):
        assert f"- {line}" in prompt
    assert ("## Disclaimer" in prompt) is bool(role.disclaimer)
    if role.disclaimer:
        assert role.disclaimer in prompt


def test_medical_and_legal_roles_carry_their_disclaimers() -> None:
    assert "can't give medical advice" in build_system_prompt(_input(role="medical_office"))
    assert "can't give legal advice" in build_system_prompt(_input(role="legal_office"))
    assert "Disclaimer" not in build_system_prompt(_input(role="receptionist"))


@pytest.mark.parametrize("personality_key", sorted(PERSONALITIES))
def test_each_personality_sets_its_own_tone(personality_key: str) -> None:
    prompt = build_system_prompt(_input(personality=personality_key))
    personality = PERSONALITIES[personality_key]
    assert f"{personality.label}: {personality.tone}" in prompt
    others = [p.tone for k, p in PERSONALITIES.items() if k != personality_key]
    assert not any(tone in prompt for tone in others)


def test_business_facts_hours_language_and_instructions() -> None:
    prompt = build_system_prompt(
        _input(
            language="es",
            contact_phone="+1 212 555 0142",
            timezone="America/New_York",
            instructions="  Offer the earliest slot first.  ",
            conversation_instructions="The customer is hard of hearing; keep it written.",
        )
    )
    assert "Reply in Spanish" in prompt
    assert "- Phone: +1 212 555 0142" in prompt
    assert "- Time zone: America/New_York" in prompt
    assert "  - Monday: 09:00-17:00" in prompt
    assert "  - Sunday: closed" in prompt
    assert "## Instructions from the business\nOffer the earliest slot first." in prompt
    assert "## Instructions for this conversation\nThe customer is hard of hearing" in prompt
    assert "- Website:" not in prompt  # empty facts are left out, not shown blank
