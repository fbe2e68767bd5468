from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

if TYPE_CHECKING:
    from frontdesk.accounts.service import IssuedTokens

PASSWORD_MIN = 8


def _normalise_email(value: str) -> str:
    return value.strip().lower()


class RegisterIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=PASSWORD_MIN, max_length=256)
    full_name: str = Field(min_length=1, max_length=200)
    business_name: str = Field(min_length=1, max_length=200)

    _email = field_validator("email")(_normalise_email)

    @field_validator("full_name", "business_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class LoginIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)

    _email = field_validator("email")(_normalise_email)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class SwitchIn(BaseModel):
    workspace_id: uuid.UUID


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str


class WorkspaceRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type
    expires_in: int
    user: UserOut
    workspace: WorkspaceRef

    @classmethod
    def of(cls, issued: IssuedTokens) -> TokenOut:
        return cls(
            access_token=issued.access_token,
            refresh_token=issued.refresh_token,
            expires_in=issued.expires_in,
            user=UserOut.model_validate(issued.user),
            workspace=WorkspaceRef.model_validate(issued.workspace),
        )


class MembershipOut(BaseModel):
    workspace: WorkspaceRef
    role: str


class MeOut(BaseModel):
    user: UserOut
    workspace: WorkspaceRef
    role: str
    memberships: list[MembershipOut]
