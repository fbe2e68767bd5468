from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from frontdesk.kit.params import written

WEB_ADDRESS = "^[Hh][Tt][Tt][Pp][Ss]?://"


def _kind(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema: when ``kind`` is this one, the body also satisfies ``schema``."""
    return {**schema, "properties": {"kind": {"const": kind}, **schema["properties"]}}


class SourceIn(BaseModel):
    """A source given as JSON: pasted text, a question and its answer, or a web address."""

    # The document says what the validator below checks: each kind's content is given.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                _kind("text", written("text")),
                _kind("qa", written("question", "answer")),
                _kind(
                    "url", {"required": ["url"], "properties": {"url": {"pattern": WEB_ADDRESS}}}
                ),
            ]
        }
    )

    kind: Literal["text", "qa", "url"]
    title: str = Field("", max_length=300)
    text: str = Field("", max_length=200_000)
    question: str = Field("", max_length=2000)
    answer: str = Field("", max_length=20_000)
    url: str = Field("", max_length=2000)
    depth: int = Field(0, ge=0, le=3, description="Same-site link hops to follow from url.")
    max_pages: int = Field(1, ge=1, le=500, description="Most pages to import from url.")
    public: StrictBool = Field(False, description="Customers may see this source's address.")

    @model_validator(mode="after")
    def _needs_content(self) -> SourceIn:
        if self.kind == "text" and not self.text.strip():
            raise ValueError("A text source needs some text.")
        if self.kind == "qa" and not (self.question.strip() and self.answer.strip()):
            raise ValueError("A question-and-answer source needs both a question and an answer.")
        if self.kind == "url" and not self.url.strip().lower().startswith(("http://", "https://")):
            raise ValueError("A web source needs an address starting with http:// or https://.")
        return self


class SourceUpdate(BaseModel):
    title: str | None = Field(None, max_length=300)
    text: str | None = Field(None, max_length=200_000)
    question: str | None = Field(None, max_length=2000)
    answer: str | None = Field(None, max_length=20_000)
    public: StrictBool | None = None


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    title: str
    status: str
    chunks: int
    error: str
    progress: int
    url: str
    filename: str
    public: bool
    imported_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SourceList(BaseModel):
    sources: list[SourceOut]


class PassageOut(BaseModel):
    chunk_id: uuid.UUID
    source_id: uuid.UUID
    title: str
    heading: str
    text: str
    score: float
    relevance: float


class ChunkOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    ordinal: int
    heading: str
    text: str
    url: str


class SourceDetail(SourceOut):
    passages: list[ChunkOut]


class SearchIn(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    limit: int = Field(5, ge=1, le=20)


class Citation(BaseModel):
    source_id: uuid.UUID
    title: str
    passage: str
    url: str = ""


class SearchOut(BaseModel):
    passages: list[PassageOut]
    answer: str  # what the assistant would say (the local engine's wording)
    answered: bool  # false: nothing relevant enough; the assistant would offer a person
    citations: list[Citation]
