"""Google Calendar sync against a loopback server speaking the Calendar API v3's documented
JSON and Google's OAuth 2.0 endpoints (tests/calendars/google_peer.py): the connect flow,
tokens refreshed on expiry and on a 401, busy times from freeBusy, upsert by our UID with a
Meet link, delete, and which failures a job retries."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from frontdesk.calendars import BusyTime, CalendarEvent
from frontdesk.calendars.google import GoogleCalendar, event_id
from frontdesk.calendars.google_oauth import GoogleOAuth, GoogleTokens
from frontdesk.calendars.sync import CalendarError
from tests.calendars.google_peer import CLIENT_ID, CLIENT_SECRET, GooglePeer, google_peer
from tests.servers import free_port

MADRID = ZoneInfo("Europe/Madrid")
SCOPE = "https://www.googleapis.com/auth/calendar.events"
REDIRECT = "https://desk.example/app/calendar/google/callback"


@pytest.fixture(scope="module")
def peer() -> Iterator[GooglePeer]:
    with google_peer() as running:
        yield running


def oauth_for(
    peer: GooglePeer, client: httpx.AsyncClient, secret: str = CLIENT_SECRET
) -> GoogleOAuth:
    return GoogleOAuth(
        client_id=CLIENT_ID,
        client_secret=secret,
        auth_url=peer.auth_url,
        token_url=peer.token_url,
        scope=SCOPE,
        client=client,
    )


async def connect(peer: GooglePeer, oauth: GoogleOAuth, state: str = "st4te") -> GoogleTokens:
    """The owner's browser follows the consent URL; the peer redirects back with a code."""
    async with httpx.AsyncClient() as browser:
        answer = await browser.get(oauth.consent_url(redirect_uri=REDIRECT, state=state))
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    query = parse_qs(back.query)
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT
    assert query["state"] == [state]
    return await oauth.exchange(query["code"][0], redirect_uri=REDIRECT)


@pytest_asyncio.fixture
async def calendar(peer: GooglePeer) -> AsyncIterator[GoogleCalendar]:
    client = httpx.AsyncClient(timeout=5)
    oauth = oauth_for(peer, client)
    tokens = await connect(peer, oauth)
    adapter = GoogleCalendar(oauth, tokens, api_url=peer.api_url, client=client)
    yield adapter
    await adapter.aclose()


def booking(uid: str | None = None, *, start: datetime | None = None, **changes: object):
    start = start or datetime(2026, 12, 15, 15, 0, tzinfo=MADRID)
    values: dict[str, object] = {
        "uid": uid or f"{uuid.uuid4()}@frontdesk.test",
        "start": start,
        "end": start + timedelta(minutes=45),
        "summary": "Cleaning with Dr Ruiz",
        "timezone": "Europe/Madrid",
        "description": "Booked in the chat",
        "attendee_name": "Ana López",
        "attendee_email": "ana@example.com",
        "url": "https://desk.example/b/manage-token",
        **changes,
    }
    return CalendarEvent(**values)  # type: ignore[arg-type]


# -- OAuth ---------------------------------------------------------------------------------


async def test_consent_url_asks_for_offline_access_with_state(peer: GooglePeer) -> None:
    async with httpx.AsyncClient() as client:
        url = oauth_for(peer, client).consent_url(redirect_uri=REDIRECT, state="abc")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(peer.auth_url + "?")
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [REDIRECT]
    assert query["response_type"] == ["code"]
    assert query["scope"] == [SCOPE]
    assert query["access_type"] == ["offline"]
    assert query["prompt"] == ["consent"]
    assert query["state"] == ["abc"]


async def test_code_exchanged_once_for_tokens(peer: GooglePeer) -> None:
    async with httpx.AsyncClient() as client:
        oauth = oauth_for(peer, client)
        tokens = await connect(peer, oauth)
        form = peer.state.token_requests[-1]
        assert form["grant_type"] == "authorization_code"
        assert form["redirect_uri"] == REDIRECT
        assert form["client_id"] == CLIENT_ID and form["client_secret"] == CLIENT_SECRET
        assert tokens.access_token.startswith("ya29.")
        assert tokens.refresh_token.startswith("1//")
        assert tokens.scope == SCOPE
        assert not tokens.expired()
        assert "ya29" not in repr(tokens) and "1//" not in repr(tokens)
        assert GoogleTokens.from_dict(tokens.to_dict()) == tokens
        # Google spends a code: the second exchange is invalid_grant, and no retry helps.
        with pytest.raises(CalendarError) as spent:
            await oauth.exchange(form["code"], redirect_uri=REDIRECT)
        assert not spent.value.retryable
        assert "connect it again" in spent.value.message


async def test_wrong_client_secret_is_not_retried(peer: GooglePeer) -> None:
    async with httpx.AsyncClient() as client:
        oauth = oauth_for(peer, client, secret="wrong")
        with pytest.raises(CalendarError) as refused:
            await oauth.refresh(
                GoogleTokens("x", "1//nothing", datetime.now(UTC) - timedelta(seconds=1))
            )
    assert not refused.value.retryable
    assert "FRONTDESK_GOOGLE_CLIENT_SECRET" in refused.value.message


async def test_token_endpoint_down_is_retryable() -> None:
    async with httpx.AsyncClient() as client:
        oauth = GoogleOAuth(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            auth_url="http://127.0.0.1:9/auth",
            token_url=f"http://127.0.0.1:{free_port()}/token",
            scope=SCOPE,
            client=client,
        )
        with pytest.raises(CalendarError) as down:
            await oauth.exchange("4/code", redirect_uri=REDIRECT)
    assert down.value.retryable


async def test_expired_access_token_is_refreshed_first_and_saved(peer: GooglePeer) -> None:
    saved: list[GoogleTokens] = []

    async def save(tokens: GoogleTokens) -> None:
        saved.append(tokens)

    client = httpx.AsyncClient(timeout=5)
    oauth = oauth_for(peer, client)
    tokens = await connect(peer, oauth)
    stale = GoogleTokens(
        tokens.access_token, tokens.refresh_token, datetime.now(UTC) + timedelta(seconds=30)
    )
    adapter = GoogleCalendar(oauth, stale, api_url=peer.api_url, client=client, on_tokens=save)
    try:
        before = len(peer.state.requests)
        await adapter.busy(datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC))
        assert peer.state.token_requests[-1]["grant_type"] == "refresh_token"
        assert peer.state.token_requests[-1]["refresh_token"] == tokens.refresh_token
        assert len(peer.state.requests) == before + 1  # no 401 on the way: refreshed first
        assert [item.refresh_token for item in saved] == [tokens.refresh_token]
        assert saved[0].access_token != tokens.access_token
    finally:
        await adapter.aclose()


async def test_access_token_refused_midlife_is_refreshed_once(
    peer: GooglePeer, calendar: GoogleCalendar
) -> None:
    peer.state.expire_access_tokens()  # Google no longer takes it, though not yet expired
    event = booking()
    remote = await calendar.upsert(event)
    assert remote.remote_id in peer.state.events
    assert peer.state.token_requests[-1]["grant_type"] == "refresh_token"


async def test_revoked_grant_is_not_retried(peer: GooglePeer) -> None:
    client = httpx.AsyncClient(timeout=5)
    oauth = oauth_for(peer, client)
    adapter = GoogleCalendar(oauth, await connect(peer, oauth), api_url=peer.api_url, client=client)
    try:
        peer.state.revoke_refresh_tokens()
        with pytest.raises(CalendarError) as revoked:
            await adapter.upsert(booking())
        assert not revoked.value.retryable
        assert "connect it again" in revoked.value.message
    finally:
        await adapter.aclose()


# -- events --------------------------------------------------------------------------------


async def test_upsert_creates_with_meet_link_then_patches_the_same_event(
    peer: GooglePeer, calendar: GoogleCalendar
) -> None:
    event = booking()
    created = await calendar.upsert(event, meet_link=True)
    assert created.remote_id == event_id(event.uid)
    assert created.meet_link.startswith("https://meet.google.com/")
    stored = peer.state.events[created.remote_id]
    assert stored["start"] == {"dateTime": "2026-12-15T15:00:00+01:00", "timeZone": "Europe/Madrid"}
    assert stored["summary"] == "Cleaning with Dr Ruiz"
    assert "Ana López <ana@example.com>" in stored["description"]
    assert "attendees" not in stored  # Google would invite the customer a second time
    assert stored["extendedProperties"]["private"]["frontdeskUid"] == event.uid
    assert stored["source"]["url"] == event.url
    method, path, _ = peer.state.requests[-1]
    assert method == "POST"  # after the PATCH answered 404
    assert "conferenceDataVersion=1" in path and "sendUpdates=none" in path

    moved = booking(event.uid, start=datetime(2026, 12, 17, 14, 0, tzinfo=MADRID), sequence=1)
    again = await calendar.upsert(moved, meet_link=True)
    assert again == created  # the same event, the same conference (no second Meet)
    assert peer.state.requests[-1][0] == "PATCH"
    assert peer.state.events[created.remote_id]["start"]["dateTime"] == "2026-12-17T14:00:00+01:00"


async def test_upsert_without_meet_sends_no_conference(
    peer: GooglePeer, calendar: GoogleCalendar
) -> None:
    remote = await calendar.upsert(booking())
    assert remote.meet_link == ""
    assert "conferenceData" not in peer.state.events[remote.remote_id]
    assert "conferenceDataVersion" not in peer.state.requests[-1][1]


async def test_upsert_that_lost_an_insert_race_patches(
    peer: GooglePeer, calendar: GoogleCalendar
) -> None:
    event = booking()
    await calendar.upsert(event)
    remote_id = event_id(event.uid)
    # Another run of the job: its PATCH saw 404 (not yet there), its INSERT then meets 409.
    peer.state.fail_next(f"/calendars/primary/events/{remote_id}", 404, "notFound")
    changed = booking(event.uid, summary="Check-up with Dr Ruiz")
    await calendar.upsert(changed)
    assert [m for m, _, _ in peer.state.requests[-3:]] == ["PATCH", "POST", "PATCH"]
    assert peer.state.events[remote_id]["summary"] == "Check-up with Dr Ruiz"


def test_event_ids_are_what_google_accepts() -> None:
    for uid in ("a", f"{uuid.uuid4()}@frontdesk", "ÜñíçødéÜID/+=" * 3):
        remote = event_id(uid)
        assert 5 <= len(remote) <= 1024
        assert set(remote) <= set("abcdefghijklmnopqrstuv0123456789")
    assert event_id("x@y") != event_id("x@z")


async def test_delete_tolerates_gone_and_missing(
    peer: GooglePeer, calendar: GoogleCalendar
) -> None:
    event = booking()
    await calendar.upsert(event)
    await calendar.delete(event.uid)
    assert peer.state.events[event_id(event.uid)]["status"] == "cancelled"
    await calendar.delete(event.uid)  # 410 Gone: already deleted
    assert peer.state.requests[-1][0] == "DELETE"
    await calendar.delete(f"{uuid.uuid4()}@never-written")  # 404


async def test_busy_from_free_busy_merged_and_clipped(
    peer: GooglePeer, calendar: GoogleCalendar
) -> None:
    day = datetime(2027, 1, 12, tzinfo=UTC)
    peer.state.busy = [
        {"start": "2027-01-12T08:00:00Z", "end": "2027-01-12T09:00:00Z"},
        {"start": "2027-01-12T08:30:00Z", "end": "2027-01-12T10:00:00Z"},
        {"start": "2027-01-11T22:00:00Z", "end": "2027-01-12T01:00:00Z"},
    ]
    ours = booking(start=datetime(2027, 1, 12, 15, 0, tzinfo=MADRID))
    await calendar.upsert(ours)
    cancelled = booking(start=datetime(2027, 1, 12, 17, 0, tzinfo=MADRID))
    await calendar.upsert(cancelled)
    await calendar.delete(cancelled.uid)
    try:
        busy = await calendar.busy(day, day + timedelta(days=1))
    finally:
        peer.state.busy = []
    assert busy == [
        BusyTime(day, datetime(2027, 1, 12, 1, 0, tzinfo=UTC)),
        BusyTime(datetime(2027, 1, 12, 8, 0, tzinfo=UTC), datetime(2027, 1, 12, 10, 0, tzinfo=UTC)),
        BusyTime(
            datetime(2027, 1, 12, 14, 0, tzinfo=UTC), datetime(2027, 1, 12, 14, 45, tzinfo=UTC)
        ),
    ]
    method, path, body = peer.state.requests[-1]
    assert (method, path) == ("POST", "/freeBusy")
    assert body == {
        "timeMin": "2027-01-12T00:00:00+00:00",
        "timeMax": "2027-01-13T00:00:00+00:00",
        "items": [{"id": "primary"}],
    }


async def test_unreadable_calendar_in_free_busy_is_an_error(peer: GooglePeer) -> None:
    client = httpx.AsyncClient(timeout=5)
    oauth = oauth_for(peer, client)
    adapter = GoogleCalendar(
        oauth,
        await connect(peer, oauth),
        api_url=peer.api_url,
        client=client,
        calendar_id="someone-else@example.com",
    )
    try:
        with pytest.raises(CalendarError) as unreadable:
            await adapter.busy(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC))
        assert not unreadable.value.retryable
        assert "notFound" in unreadable.value.message
    finally:
        await adapter.aclose()


# -- failures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "retryable"),
    [
        (429, "rateLimitExceeded", True),
        (500, "backendError", True),
        (503, "backendError", True),
        (403, "rateLimitExceeded", True),
        (403, "userRateLimitExceeded", True),
        (403, "forbiddenForNonOrganizer", False),
        (400, "invalid", False),
        (404, "notFound", False),  # on freeBusy: not a "gone is fine" case
    ],
)
async def test_which_failures_a_job_retries(
    peer: GooglePeer, calendar: GoogleCalendar, status: int, reason: str, retryable: bool
) -> None:
    peer.state.fail_next("/freeBusy", status, reason)
    with pytest.raises(CalendarError) as failed:
        await calendar.busy(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC))
    assert failed.value.retryable is retryable
    assert str(status) in failed.value.message


async def test_server_error_on_write_is_retryable_and_then_succeeds(
    peer: GooglePeer, calendar: GoogleCalendar
) -> None:
    event = booking()
    peer.state.fail_next(f"/calendars/primary/events/{event_id(event.uid)}", 503)
    with pytest.raises(CalendarError) as failed:
        await calendar.upsert(event)
    assert failed.value.retryable
    assert (await calendar.upsert(event)).remote_id in peer.state.events


async def test_unreachable_api_is_retryable(peer: GooglePeer) -> None:
    client = httpx.AsyncClient(timeout=5)
    oauth = oauth_for(peer, client)
    adapter = GoogleCalendar(
        oauth,
        await connect(peer, oauth),
        api_url=f"http://127.0.0.1:{free_port()}/calendar/v3",
        client=client,
    )
    try:
        with pytest.raises(CalendarError) as down:
            await adapter.delete("someone@frontdesk")
        assert down.value.retryable
    finally:
        await adapter.aclose()
