"""Limits on what the public (unauthenticated) chat endpoints accept, per IP and per chat.
A refusal is a 429 with Retry-After; nothing of the refused request is stored."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.attachments.service import size_in_mb
from frontdesk.kit.ratelimit import RateLimiter
from frontdesk.settings import Settings


@dataclass(frozen=True)
class PortalGuard:
    limiter: RateLimiter
    settings: Settings
    ip: str | None

    async def starting_session(self) -> None:
        await self.limiter.hit(
            self.settings.portal_sessions_per_ip,
            "portal-session",
            self.ip or "-",
            message="Too many new chats from this address. Try again later.",
        )

    async def sending(self, conversation_id: object) -> None:
        await self.limiter.hit(
            self.settings.portal_messages_per_ip,
            "portal-msg-ip",
            self.ip or "-",
            message="You're sending messages too quickly.",
        )
        await self.limiter.hit(
            self.settings.portal_messages_per_session,
            "portal-msg-chat",
            str(conversation_id),
            message="You're sending messages too quickly.",
        )

    async def uploading(self, conversation_id: object, size: int) -> None:
        await self.limiter.hit(
            self.settings.portal_upload_mb_per_session,
            "portal-upload",
            str(conversation_id),
            cost=size_in_mb(size),
            message="Upload limit reached for this chat. Try again later.",
        )
