from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from frontdesk.assistant.persona import PERSONALITIES, ROLES

MAX_QUICK_PROMPTS = 6


class AssistantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    role: str
    personality: str
    instructions: str
    greeting: str
    quick_prompts: list[str]


class AssistantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=80)
    role: str | None = None
    personality: str | None = None
    instructions: str | None = Field(None, max_length=8000)
    greeting: str | None = Field(None, max_length=500)
    quick_prompts: list[str] | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str | None) -> str | None:
        if value is not None and value not in ROLES:
            raise ValueError(f"unknown role; choose one of {', '.join(ROLES)}")
        return value

    @field_validator("personality")
    @classmethod
    def _known_personality(cls, value: str | None) -> str | None:
        if value is not None and value not in PERSONALITIES:
            raise ValueError(f"unknown personality; choose one of {', '.join(PERSONALITIES)}")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return value.strip() if value else value

    @field_validator("quick_prompts")
    @classmethod
    def _prompts(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        prompts = [p.strip() for p in value if p.strip()]
        if len(prompts) > MAX_QUICK_PROMPTS:
            raise ValueError(f"at most {MAX_QUICK_PROMPTS} quick prompts")
        if any(len(p) > 120 for p in prompts):
            raise ValueError("each quick prompt must be at most 120 characters")
        return prompts


class RoleOut(BaseModel):
    key: str
    label: str
    description: str
    duties: list[str]
    guardrails: list[str]
    disclaimer: str


class PersonalityOut(BaseModel):
    key: str
    label: str
    description: str
    tone: str
    sample: str


class AssistantOptions(BaseModel):
    roles: list[RoleOut]
    personalities: list[PersonalityOut]


class SystemPromptOut(BaseModel):
    prompt: str
