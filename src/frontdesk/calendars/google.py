"""Google Calendar sync over its REST API (v3) with httpx: freeBusy.query for busy times,
events.patch / events.insert / events.delete for bookings, a Google Meet link on request.

Our UID addresses the event: its Google id is derived from the UID (a hash in base32hex,
the alphabet Google's ids take), so an upsert is one PATCH, or a PATCH answered 404 and then an
INSERT, with no search first; the UID itself rides along in the event's private extended
properties. No attendees are written and ``sendUpdates=none``: the customer gets our own
confirmation, not a second invitation from Google.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from frontdesk.calendars import BusyTime, CalendarEvent
from frontdesk.calendars.google_oauth import GoogleOAuth, GoogleTokens
from frontdesk.calendars.sync import (
    CalendarError,
    RemoteEvent,
    description_with_customer,
    merged,
)

TokensSaver = Callable[[GoogleTokens], Awaitable[None]]
UID_PROPERTY = "frontdeskUid"
# Google answers 403 with these reasons when it wants us to slow down: worth a retry.
RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"}
# freeBusy reports a calendar it could not read inside a 200 answer, with these reasons
# when trying again later can help.
TRANSIENT_REASONS = {"backendError", "internalError", *RATE_LIMIT_REASONS}


def event_id(uid: str) -> str:
    """The Google event id for our UID: its SHA-256 in base32hex, lower case, unpadded (52
    characters of a-v and 0-9). Google takes 5 to 1024 of those; the UID encoded itself would
    be too short for a short UID and too long for a long one."""
    digest = hashlib.sha256(uid.encode()).digest()
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


class GoogleCalendar:
    def __init__(
        self,
        oauth: GoogleOAuth,
        tokens: GoogleTokens,
        *,
        api_url: str,
        client: httpx.AsyncClient,
        calendar_id: str = "primary",
        on_tokens: TokensSaver | None = None,
    ) -> None:
        self.oauth = oauth
        self.tokens = tokens
        self.api_url = api_url.rstrip("/")
        self.calendar_id = calendar_id
        self._client = client
        self._on_tokens = on_tokens

    async def aclose(self) -> None:
        await self._client.aclose()

    async def busy(self, start: datetime, end: datetime) -> list[BusyTime]:
        answer = await self._call(
            "POST",
            "/freeBusy",
            json={
                "timeMin": _rfc3339(start),
                "timeMax": _rfc3339(end),
                "items": [{"id": self.calendar_id}],
            },
        )
        calendar = (answer.get("calendars") or {}).get(self.calendar_id)
        if not isinstance(calendar, dict):
            raise CalendarError(f"Google's freeBusy answer has no calendar {self.calendar_id!r}")
        if calendar.get("errors"):
            reasons = [str(item.get("reason", "?")) for item in calendar["errors"]]
            raise CalendarError(
                f"Google cannot read the busy times of calendar {self.calendar_id!r} "
                f"({', '.join(reasons)})",
                retryable=bool(set(reasons) & TRANSIENT_REASONS),
            )
        try:
            intervals = [
                BusyTime(_parse_time(item["start"]), _parse_time(item["end"]))
                for item in calendar.get("busy", [])
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise CalendarError(f"Google's freeBusy answer is malformed ({error})") from None
        return merged(intervals, start, end)

    async def upsert(self, event: CalendarEvent, *, meet_link: bool = False) -> RemoteEvent:
        remote_id = event_id(event.uid)
        body = _event_body(event)
        params = {"sendUpdates": "none"}
        if meet_link:
            # A requestId of our own, stable per event: repeating the request (a job run
            # twice, a later move) never makes a second conference.
            body["conferenceData"] = {
                "createRequest": {
                    "requestId": f"{remote_id}-meet",
                    "conferenceSolutionKey": {"type": "hangoutsMeet"},
                }
            }
            params["conferenceDataVersion"] = "1"
        path = f"/calendars/{quote(self.calendar_id, safe='')}/events"
        answer = await self._call(
            "PATCH", f"{path}/{remote_id}", params=params, json=body, missing_ok=True
        )
        if answer is None:
            answer = await self._call(
                "POST", path, params=params, json={"id": remote_id, **body}, conflict_ok=True
            )
        if answer is None:  # inserted meanwhile by another run of the same job
            answer = await self._call("PATCH", f"{path}/{remote_id}", params=params, json=body)
        return RemoteEvent(remote_id=remote_id, meet_link=_meet_link(answer))

    async def delete(self, uid: str) -> None:
        path = f"/calendars/{quote(self.calendar_id, safe='')}/events/{event_id(uid)}"
        await self._call("DELETE", path, params={"sendUpdates": "none"}, missing_ok=True)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        missing_ok: bool = False,
        conflict_ok: bool = False,
    ) -> Any:
        """One API request with a fresh access token; a 401 (revoked or expired early) is
        answered by one refresh and one retry. ``None`` for a tolerated 404/410 or 409."""
        if self.tokens.expired():
            await self._refresh()
        response = await self._send(method, path, params, json)
        if response.status_code == 401:
            await self._refresh()
            response = await self._send(method, path, params, json)
        status = response.status_code
        if (missing_ok and status in (404, 410)) or (conflict_ok and status == 409):
            return None
        if status == 204:
            return {}
        if status < 300:
            try:
                return response.json()
            except ValueError:
                raise CalendarError(f"Google answered {method} {path} with no JSON") from None
        raise _api_error(response, f"{method} {path}")

    async def _send(
        self, method: str, path: str, params: dict[str, str] | None, json: dict[str, Any] | None
    ) -> httpx.Response:
        try:
            return await self._client.request(
                method,
                self.api_url + path,
                params=params,
                json=json,
                headers={"Authorization": f"Bearer {self.tokens.access_token}"},
            )
        except httpx.TimeoutException:
            raise CalendarError("Google Calendar did not answer in time") from None
        except httpx.TransportError as error:
            raise CalendarError(
                f"Google Calendar cannot be reached ({type(error).__name__})"
            ) from None

    async def _refresh(self) -> None:
        self.tokens = await self.oauth.refresh(self.tokens)
        if self._on_tokens is not None:
            await self._on_tokens(self.tokens)


def _event_body(event: CalendarEvent) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": event.summary,
        "description": description_with_customer(event),
        "location": event.location,
        "start": {"dateTime": _rfc3339(event.start), "timeZone": event.timezone},
        "end": {"dateTime": _rfc3339(event.end), "timeZone": event.timezone},
        "status": "cancelled" if event.status.upper() == "CANCELLED" else "confirmed",
        "transparency": "opaque",
        "extendedProperties": {"private": {UID_PROPERTY: event.uid}},
    }
    if event.url:
        body["source"] = {"title": "Manage booking", "url": event.url}
    return body


def _meet_link(answer: dict[str, Any]) -> str:
    if answer.get("hangoutLink"):
        return str(answer["hangoutLink"])
    for entry in (answer.get("conferenceData") or {}).get("entryPoints", []):
        if entry.get("entryPointType") == "video" and entry.get("uri"):
            return str(entry["uri"])
    return ""  # not made, or still pending: the next upsert of the event reads it again


def _api_error(response: httpx.Response, doing: str) -> CalendarError:
    """Google's error body is ``{"error": {"code", "message", "errors": [{"reason"}]}}``."""
    status = response.status_code
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict):
        error = {"message": str(error)}
    message = str(error.get("message") or response.reason_phrase)
    reasons = {
        str(item.get("reason")) for item in error.get("errors") or [] if isinstance(item, dict)
    }
    if status == 401:
        return CalendarError(
            f"Google refused the calendar connection's credentials ({message}): connect it again",
            retryable=False,
        )
    retryable = status >= 500 or status == 429 or bool(reasons & RATE_LIMIT_REASONS)
    return CalendarError(
        f"Google Calendar answered {status} to {doing}: {message}", retryable=retryable
    )


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.isoformat()


def _parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
