"""A loopback HTTP server speaking the documented JSON of Google Calendar API v3 (events
insert/patch/get/delete, freeBusy.query) and Google's OAuth 2.0 endpoints (the consent
redirect, the token endpoint with the authorization_code and refresh_token grants).

It behaves as the documentation says, not as our adapter would like: event ids are checked
against base32hex (a-v, 0-9, 5 to 1024 long), a second insert of an id is 409 ``duplicate``,
a deleted event is 410 ``deleted`` to a second delete, conference data is ignored unless
``conferenceDataVersion=1``, the same conference ``requestId`` is not made twice, an expired
or unknown bearer token is 401 ``authError``, errors are ``{"error": {"errors": [...],
"code", "message"}}``, token errors ``{"error", "error_description"}``. ``fail_next`` makes
the next requests to a path answer a given status (429, 503, 403 rateLimitExceeded...).
"""

from __future__ import annotations

import json
import re
import secrets
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
CLIENT_ID = "frontdesk-test.apps.googleusercontent.com"
CLIENT_SECRET = "peer-client-secret"


@dataclass
class Forced:
    path_prefix: str
    status: int
    body: dict[str, Any]


@dataclass
class PeerState:
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> event
    deleted: set[str] = field(default_factory=set)
    # access token -> expiry; refresh token -> granted scope
    access: dict[str, datetime] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri
    requests: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    forced: list[Forced] = field(default_factory=list)
    busy: list[dict[str, str]] = field(default_factory=list)  # what freeBusy reports
    access_lifetime: int = 3600
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, path_prefix: str, status: int, reason: str = "", times: int = 1) -> None:
        body = google_error(status, reason or "backendError", f"Forced {status}")
        self.forced.extend(Forced(path_prefix, status, body) for _ in range(times))

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working (as a revoked or lapsed one)."""
        with self.lock:
            self.access.clear()

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self.refresh.clear()
            self.access.clear()


def google_error(status: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "errors": [{"domain": "global", "reason": reason, "message": message}],
            "code": status,
            "message": message,
        }
    }


class _Handler(BaseHTTPRequestHandler):
    server: _PeerServer

    def log_message(self, format: str, *args: Any) -> None:
        return None

    # -- plumbing --------------------------------------------------------------------------

    def _answer(self, status: int, body: dict[str, Any] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _json(self) -> dict[str, Any] | None:
        raw = self._body()
        try:
            value = json.loads(raw or b"{}")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def _dispatch(self, method: str) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path == "/o/oauth2/auth" and method == "GET":
            return self._consent(query)
        if url.path == "/token" and method == "POST":
            return self._token()
        if not url.path.startswith("/calendar/v3/"):
            return self._answer(404, google_error(404, "notFound", "Not Found"))
        path = url.path[len("/calendar/v3") :]
        body = self._json() if method in ("POST", "PATCH", "PUT") else None
        with state.lock:
            state.requests.append((method, path + (f"?{url.query}" if url.query else ""), body))
            forced = next((f for f in state.forced if path.startswith(f.path_prefix)), None)
            if forced is not None:
                state.forced.remove(forced)
        if not self._authorized():
            return self._answer(401, google_error(401, "authError", "Invalid Credentials"))
        if forced is not None:
            return self._answer(forced.status, forced.body)
        if method in ("POST", "PATCH") and body is None:
            return self._answer(400, google_error(400, "parseError", "Parse Error"))
        if path == "/freeBusy" and method == "POST":
            return self._free_busy(body or {})
        match = re.fullmatch(r"/calendars/([^/]+)/events(?:/([^/]+))?", path)
        if match is None:
            return self._answer(404, google_error(404, "notFound", "Not Found"))
        event_id = match.group(2)
        with state.lock:
            if event_id is None and method == "POST":
                return self._insert(body or {}, query)
            if event_id is not None and method == "PATCH":
                return self._patch(event_id, body or {}, query)
            if event_id is not None and method == "GET":
                return self._get(event_id)
            if event_id is not None and method == "DELETE":
                return self._delete(event_id)
        return self._answer(405, google_error(405, "methodNotAllowed", "Method Not Allowed"))

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # -- OAuth -----------------------------------------------------------------------------

    def _consent(self, query: dict[str, str]) -> None:
        """The person consents at once: back to redirect_uri with a code and the state."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return self._answer(400, {"error": "invalid_request"})
        code = "4/" + secrets.token_urlsafe(12)
        with self.server.state.lock:
            self.server.state.codes[code] = query.get("redirect_uri", "")
        target = (
            query.get("redirect_uri", "")
            + "?"
            + urlencode(
                {"code": code, "state": query.get("state", ""), "scope": query.get("scope", "")}
            )
        )
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _token(self) -> None:
        state = self.server.state
        form = {key: values[-1] for key, values in parse_qs(self._body().decode()).items()}
        with state.lock:
            state.token_requests.append(form)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return self._answer(
                401, {"error": "invalid_client", "error_description": "Unauthorized"}
            )
        grant = form.get("grant_type")
        with state.lock:
            if grant == "authorization_code":
                redirect = state.codes.pop(form.get("code", ""), None)
                if redirect is None or redirect != form.get("redirect_uri"):
                    return self._answer(
                        400, {"error": "invalid_grant", "error_description": "Bad Request"}
                    )
                refresh = "1//" + secrets.token_urlsafe(16)
                state.refresh[refresh] = "https://www.googleapis.com/auth/calendar.events"
                answer = self._issue(refresh)
                answer["refresh_token"] = refresh
                return self._answer(200, answer)
            if grant == "refresh_token":
                refresh = form.get("refresh_token", "")
                if refresh not in state.refresh:
                    return self._answer(
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "Token has been expired or revoked.",
                        },
                    )
                return self._answer(200, self._issue(refresh))
        return self._answer(400, {"error": "unsupported_grant_type"})

    def _issue(self, refresh: str) -> dict[str, Any]:
        state = self.server.state
        token = "ya29." + secrets.token_urlsafe(16)
        state.access[token] = datetime.now(UTC) + timedelta(seconds=state.access_lifetime)
        return {
            "access_token": token,
            "expires_in": state.access_lifetime,
            "scope": state.refresh[refresh],
            "token_type": "Bearer",
        }

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        with self.server.state.lock:
            expiry = self.server.state.access.get(header[len("Bearer ") :])
        return expiry is not None and expiry > datetime.now(UTC)

    # -- Calendar --------------------------------------------------------------------------

    def _free_busy(self, body: dict[str, Any]) -> None:
        try:
            start = _time(body["timeMin"])
            end = _time(body["timeMax"])
        except (KeyError, ValueError):
            return self._answer(400, google_error(400, "badRequest", "Bad Request"))
        if end <= start:
            return self._answer(
                400, google_error(400, "timeRangeEmpty", "The specified time range is empty.")
            )
        calendars: dict[str, Any] = {}
        for item in body.get("items") or []:
            calendar_id = str(item.get("id"))
            if calendar_id != "primary":
                calendars[calendar_id] = {"errors": [{"domain": "global", "reason": "notFound"}]}
                continue
            busy = [
                window
                for window in self._busy_windows()
                if _time(window["end"]) > start and _time(window["start"]) < end
            ]
            calendars[calendar_id] = {"busy": busy}
        self._answer(
            200,
            {
                "kind": "calendar#freeBusy",
                "timeMin": body["timeMin"],
                "timeMax": body["timeMax"],
                "calendars": calendars,
            },
        )

    def _busy_windows(self) -> list[dict[str, str]]:
        state = self.server.state
        with state.lock:
            windows = list(state.busy)
            for event in state.events.values():
                if event["status"] != "cancelled" and event.get("transparency") != "transparent":
                    windows.append(
                        {
                            "start": _utc(event["start"]["dateTime"]),
                            "end": _utc(event["end"]["dateTime"]),
                        }
                    )
        return windows

    def _insert(self, body: dict[str, Any], query: dict[str, str]) -> None:
        state = self.server.state
        event_id = str(body.get("id") or secrets.token_hex(13))
        if not EVENT_ID.match(event_id):
            return self._answer(400, google_error(400, "invalid", "Invalid resource id value."))
        if event_id in state.events:
            return self._answer(
                409, google_error(409, "duplicate", "The requested identifier already exists.")
            )
        problem = _check_times(body)
        if problem:
            return self._answer(400, google_error(400, problem, "Bad Request"))
        event = {"kind": "calendar#event", "id": event_id, "status": "confirmed", **body}
        event.pop("conferenceData", None)
        self._conference(event, body, query)
        event["htmlLink"] = f"https://calendar.example/event?eid={event_id}"
        state.events[event_id] = event
        self._answer(200, event)

    def _patch(self, event_id: str, body: dict[str, Any], query: dict[str, str]) -> None:
        state = self.server.state
        event = state.events.get(event_id)
        if event is None:
            return self._answer(404, google_error(404, "notFound", "Not Found"))
        merged = {**event, **{k: v for k, v in body.items() if k != "conferenceData"}}
        problem = _check_times(merged)
        if problem:
            return self._answer(400, google_error(400, problem, "Bad Request"))
        self._conference(merged, body, query)
        if merged.get("status") != "cancelled":
            state.deleted.discard(event_id)
        state.events[event_id] = merged
        self._answer(200, merged)

    def _conference(
        self, event: dict[str, Any], body: dict[str, Any], query: dict[str, str]
    ) -> None:
        """Conference data counts only with conferenceDataVersion=1; a createRequest whose
        requestId made the event's conference already is ignored (no second conference)."""
        request = (body.get("conferenceData") or {}).get("createRequest")
        if query.get("conferenceDataVersion") != "1" or not request:
            return
        current = event.get("conferenceData") or {}
        if (current.get("createRequest") or {}).get("requestId") == request.get("requestId"):
            return
        code = "-".join(
            "".join(secrets.choice(string.ascii_lowercase) for _ in range(n)) for n in (3, 4, 3)
        )
        uri = f"https://meet.google.com/{code}"
        event["conferenceData"] = {
            "createRequest": {**request, "status": {"statusCode": "success"}},
            "entryPoints": [{"entryPointType": "video", "uri": uri, "label": uri[8:]}],
            "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
            "conferenceId": code,
        }
        event["hangoutLink"] = uri

    def _get(self, event_id: str) -> None:
        event = self.server.state.events.get(event_id)
        if event is None:
            return self._answer(404, google_error(404, "notFound", "Not Found"))
        self._answer(200, event)

    def _delete(self, event_id: str) -> None:
        state = self.server.state
        if event_id in state.deleted:
            return self._answer(410, google_error(410, "deleted", "Resource has been deleted"))
        event = state.events.get(event_id)
        if event is None:
            return self._answer(404, google_error(404, "notFound", "Not Found"))
        event["status"] = "cancelled"  # Google keeps a deleted event, cancelled
        state.deleted.add(event_id)
        self._answer(204)


class _PeerServer(ThreadingHTTPServer):
    daemon_threads = True
    state: PeerState


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("RFC 3339 times carry an offset")
    return moment


def _utc(value: str) -> str:
    return _time(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_times(event: dict[str, Any]) -> str:
    try:
        start = _time(event["start"]["dateTime"])
        end = _time(event["end"]["dateTime"])
    except (KeyError, TypeError, ValueError):
        return "required"
    return "timeRangeEmpty" if end <= start else ""


@dataclass(frozen=True)
class GooglePeer:
    base: str
    state: PeerState

    @property
    def api_url(self) -> str:
        return f"{self.base}/calendar/v3"

    @property
    def auth_url(self) -> str:
        return f"{self.base}/o/oauth2/auth"

    @property
    def token_url(self) -> str:
        return f"{self.base}/token"


@contextmanager
def google_peer() -> Iterator[GooglePeer]:
    server = _PeerServer(("127.0.0.1", 0), _Handler)
    server.state = PeerState()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield GooglePeer(f"http://127.0.0.1:{server.server_address[1]}", server.state)
    finally:
        server.shutdown()
        server.server_close()
