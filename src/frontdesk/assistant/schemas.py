from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from frontdesk.assistant.persona import PERSONALITIES, ROLES
from frontdesk.kit.params import STRIPPED, WRITTEN, written
from frontdesk.kit.text import CleanInput

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

    name: str | None = Field(
        None, min_length=1, max_length=80, json_schema_extra={"pattern": WRITTEN}
    )
    role: str | None = Field(None, json_schema_extra={"enum": [*ROLES, None]})
    personality: str | None = Field(None, json_schema_extra={"enum": [*PERSONALITIES, None]})
    instructions: str | None = Field(None, max_length=8000)
    greeting: str | None = Field(None, max_length=500)
    # Blank prompts are dropped and the rest trimmed; the limits count what is kept.
    quick_prompts: list[str] | None = Field(
        None,
        json_schema_extra={
            "maxItems": MAX_QUICK_PROMPTS,
            "items": {"type": "string", "maxLength": 120},
        },
    )

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


INTENT_NAME = r"^[a-z0-9][a-z0-9_\- ]{0,79}$"


class CustomIntentIn(BaseModel):
    """An intent the owner teaches: phrases customers use, and the answer (or a handoff)."""

    # The document says what the validators below check: a name of letters, digits, spaces,
    # '-' and '_'; two different examples; an answer unless the intent hands off.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                written("answer"),
                {"properties": {"action": {"const": "handoff"}}, "required": ["action"]},
            ]
        },
    )

    name: str = Field(
        min_length=1,
        max_length=80,
        json_schema_extra={"pattern": r"^ *[A-Za-z0-9][A-Za-z0-9_\- ]*$"},
    )
    examples: list[str] = Field(
        min_length=2,
        max_length=200,
        json_schema_extra={
            "uniqueItems": True,
            "items": {"type": "string", "maxLength": 500, "pattern": STRIPPED},
        },
    )
    answer: str = Field("", max_length=4000)
    action: Literal["answer", "handoff"] = "answer"

    @field_validator("name")
    @classmethod
    def _normalise_name(cls, value: str) -> str:
        name = " ".join(value.strip().lower().split())
        if not re.match(INTENT_NAME, name):
            raise ValueError("use letters, digits, spaces, '-' or '_'")
        return name

    @field_validator("examples")
    @classmethod
    def _clean_examples(cls, values: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
        if len(cleaned) < 2:
            raise ValueError("give at least two different example phrases")
        if any(len(v) > 500 for v in cleaned):
            raise ValueError("an example may be at most 500 characters")
        return cleaned

    @model_validator(mode="after")
    def _answer_when_answering(self) -> CustomIntentIn:
        if self.action == "answer" and not self.answer.strip():
            raise ValueError("an intent that answers needs an answer")
        return self


class CustomIntentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    examples: list[str]
    answer: str
    action: str
    created_at: datetime
    updated_at: datetime


class CustomIntentList(BaseModel):
    intents: list[CustomIntentOut]
    builtin: list[str]  # the labels every workspace has


Provider = Literal["local", "openai", "anthropic"]


class EngineOut(BaseModel):
    provider: Provider
    base_url: str
    model: str
    api_key_set: bool  # the key itself is write-only


class EngineUpdate(CleanInput):
    """``api_key``: omit to keep the stored key, "" to remove it, or a new key."""

    # The document says what the validators below check: a model named for an LLM provider.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [{"properties": {"provider": {"const": "local"}}}, written("model")]
        },
    )

    provider: Provider
    base_url: str = Field(
        "", max_length=300, json_schema_extra={"pattern": r"^(https?://[^\s/]|$)"}
    )
    model: str = Field("", max_length=120)
    api_key: str | None = Field(None, max_length=500)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("base_url must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _model_for_llm(self) -> EngineUpdate:
        if self.provider != "local" and not self.model.strip():
            raise ValueError(f"name the {self.provider} model to use")
        return self


class UsageRow(BaseModel):
    provider: str
    model: str
    calls: int
    input_tokens: int
    output_tokens: int


class UsageOut(BaseModel):
    since: datetime
    rows: list[UsageRow]
