"""Google's OAuth 2.0 for web server applications: the consent URL, the authorization code
exchanged for tokens, the access token refreshed when it expires.

Nothing here stores anything: :class:`GoogleTokens` goes back to the caller, which keeps it
sealed (kit/secrets.py) with the workspace's calendar connection and hands it back later.
The endpoints are settings, so tests point them at a peer on loopback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from frontdesk.calendars.sync import CalendarError

# Refresh this long before Google's expiry, so a token does not run out mid-request.
EXPIRY_MARGIN = timedelta(seconds=60)


@dataclass(frozen=True)
class GoogleTokens:
    access_token: str
    refresh_token: str
    expires_at: datetime  # timezone-aware
    scope: str = ""

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.expires_at - EXPIRY_MARGIN

    def to_dict(self) -> dict[str, str]:
        values = asdict(self)
        values["expires_at"] = self.expires_at.isoformat()
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> GoogleTokens:
        try:
            return cls(
                access_token=str(values.get("access_token", "")),
                refresh_token=str(values["refresh_token"]),
                expires_at=datetime.fromisoformat(str(values["expires_at"])),
                scope=str(values.get("scope", "")),
            )
        except (KeyError, ValueError) as error:
            raise CalendarError(
                f"the stored Google connection is incomplete ({error}): connect it again",
                retryable=False,
            ) from None

    def __repr__(self) -> str:  # tokens are secrets: never in a log line
        return f"GoogleTokens(expires_at={self.expires_at.isoformat()}, <tokens hidden>)"


class GoogleOAuth:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        auth_url: str,
        token_url: str,
        scope: str,
        client: httpx.AsyncClient,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.auth_url = auth_url
        self.token_url = token_url
        self.scope = scope
        self._client = client

    def consent_url(self, *, redirect_uri: str, state: str, login_hint: str = "") -> str:
        """Where to send the business owner. ``access_type=offline`` asks for a refresh
        token; ``prompt=consent`` makes Google issue one again on a reconnect (it only sends
        it on the first consent otherwise). ``state`` ties the answer to this request."""
        params = {
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
            "state": state,
        }
        if login_hint:
            params["login_hint"] = login_hint
        return f"{self.auth_url}?{urlencode(params)}"

    async def exchange(self, code: str, *, redirect_uri: str) -> GoogleTokens:
        """The code from the redirect, exchanged for tokens (once: Google spends it)."""
        answer = await self._token_request(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )
        if not answer.get("refresh_token"):
            raise CalendarError(
                "Google gave no refresh token: remove Frontdesk's access in the Google "
                "account's security settings and connect again",
                retryable=False,
            )
        return _tokens(answer, refresh_token=str(answer["refresh_token"]))

    async def refresh(self, tokens: GoogleTokens) -> GoogleTokens:
        answer = await self._token_request(
            {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
        )
        # Google usually keeps the refresh token; when it sends a new one, that one counts.
        return _tokens(
            answer, refresh_token=str(answer.get("refresh_token") or tokens.refresh_token)
        )

    async def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        form = {"client_id": self.client_id, "client_secret": self.client_secret, **form}
        try:
            response = await self._client.post(
                self.token_url, data=form, headers={"Accept": "application/json"}
            )
        except httpx.TimeoutException:
            raise CalendarError("Google's token endpoint did not answer in time") from None
        except httpx.TransportError as error:
            raise CalendarError(
                f"Google's token endpoint cannot be reached ({type(error).__name__})"
            ) from None
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        if response.status_code == 200 and answer.get("access_token"):
            return answer
        code = str(answer.get("error", "")) or f"HTTP {response.status_code}"
        detail = str(answer.get("error_description", ""))
        if code == "invalid_grant":
            raise CalendarError(
                "Google no longer accepts this calendar connection (access revoked, expired "
                f"or the code was already used: {detail or code}): connect it again",
                retryable=False,
            )
        if code in ("invalid_client", "unauthorized_client"):
            raise CalendarError(
                f"Google refused this server's client id or secret ({code}): check "
                "FRONTDESK_GOOGLE_CLIENT_ID and FRONTDESK_GOOGLE_CLIENT_SECRET",
                retryable=False,
            )
        raise CalendarError(
            f"Google's token endpoint answered {response.status_code} ({code}"
            f"{': ' + detail if detail else ''})",
            retryable=response.status_code >= 500 or response.status_code == 429,
        )


def _tokens(answer: dict[str, Any], *, refresh_token: str) -> GoogleTokens:
    try:
        lifetime = int(answer.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600
    return GoogleTokens(
        access_token=str(answer["access_token"]),
        refresh_token=refresh_token,
        expires_at=datetime.now(UTC) + timedelta(seconds=lifetime),
        scope=str(answer.get("scope", "")),
    )
