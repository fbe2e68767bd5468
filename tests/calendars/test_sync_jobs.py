"""Calendar sync wired into the product, on SQLite and PostgreSQL: a workspace connects
Google (OAuth through the API, against the loopback Google peer) or CalDAV (a real Radicale
server); every booking, move and cancellation reaches the calendar through a job; a failure
never loses the booking, is retried when it can be, and is shown by the API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select, update

from frontdesk.app import create_app
from frontdesk.calendars.google import event_id
from frontdesk.calendars.models import AppointmentSync, CalendarConnection
from frontdesk.calendars.outbox import appointment_uid
from frontdesk.calendars.tasks import SWEEP_JOB
from frontdesk.jobs.queue import handler_for
from frontdesk.kit.db import utcnow
from frontdesk.services import Services
from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.calendars.google_peer import CLIENT_ID, CLIENT_SECRET, GooglePeer, google_peer
from tests.calendars.radicale_server import new_calendar, radicale
from tests.calendars.test_caldav import server_events
from tests.conftest import Backend, client_for, services_of
from tests.factories import Account, add_member

PUBLIC = "http://desk.test"


@pytest.fixture(scope="module")
def peer() -> Iterator[GooglePeer]:
    with google_peer() as running:
        yield running


@pytest.fixture(scope="module")
def caldav_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with radicale(tmp_path_factory.mktemp("radicale")) as base:
        yield base


@pytest_asyncio.fixture
async def desk(
    backend: Backend, client: httpx.AsyncClient, peer: GooglePeer
) -> AsyncIterator[tuple[httpx.AsyncClient, Services]]:
    """The app with Google configured against the peer (``client`` emptied the tables)."""
    settings = backend.settings(
        google_client_id=CLIENT_ID,
        google_client_secret=CLIENT_SECRET,
        google_auth_url=peer.auth_url,
        google_token_url=peer.token_url,
        google_api_url=peer.api_url,
        allow_private_network=True,
        public_url=PUBLIC,
    )
    application = create_app(settings)
    async with client_for(settings, application) as http:
        yield http, services_of(application)
        await services_of(application).jobs.drain()


async def connect_google(http: httpx.AsyncClient, owner: Account, **choice: Any) -> str:
    started = await http.post("/api/calendar/google/start", headers=owner.headers, json=choice)
    assert started.status_code == 200, started.text
    async with httpx.AsyncClient() as browser:  # the owner consents on Google's page
        consent = await browser.get(started.json()["authorize_url"])
    assert consent.status_code == 302
    back = urlsplit(consent.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == PUBLIC + "/api/calendar/google/callback"
    callback = f"{back.path}?{back.query}"
    done = await http.get(callback)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == PUBLIC + "/app/settings?calendar=connected"
    return callback


async def sync_of(services: Services, appointment_id: str) -> AppointmentSync:
    async with services.unit_of_work() as uow:
        rows = await uow.session.execute(select(AppointmentSync))
        found = [row for row in rows.scalars() if str(row.appointment_id) == appointment_id]
    assert len(found) == 1
    return found[0]


async def test_google_connect_book_move_cancel(
    desk: tuple[httpx.AsyncClient, Services], peer: GooglePeer
) -> None:
    http, services = desk
    owner = await business(http)
    callback = await connect_google(http, owner, meet_links=True)
    connection = (await http.get("/api/calendar/connection", headers=owner.headers)).json()
    assert connection["kind"] == "google" and connection["status"] == "connected"
    assert connection["meet_links"] is True and connection["calendar_id"] == "primary"
    assert "google" in connection["available"]

    async with services.unit_of_work() as uow:
        stored = (await uow.session.execute(select(CalendarConnection))).scalar_one()
    assert stored.secret.startswith("sealed:v1:")
    tokens = json.loads(services.secrets.open(stored.secret))
    assert tokens["refresh_token"] in peer.state.refresh
    assert tokens["refresh_token"] not in stored.secret

    again = await http.get(callback)  # the state was single-use
    assert again.status_code == 303 and "calendar_error=" in again.headers["location"]

    service = await add_service(http, owner, name="Cleaning", duration_minutes=45)
    monday = next_weekday(0)
    made = await book(http, owner, service["id"], local(monday, "10:00"), customer_phone="555")
    assert made.status_code == 201, made.text
    appointment = made.json()
    await services.jobs.drain()
    remote_id = event_id(appointment_uid(appointment["id"]))
    event = peer.state.events[remote_id]
    assert event["summary"] == "Cleaning: Ana Silva"
    assert event["start"]["dateTime"] == local(monday, "10:00").isoformat()
    assert "Phone: 555" in event["description"]
    syncs = (await http.get("/api/calendar/syncs", headers=owner.headers)).json()["syncs"]
    assert syncs[0]["status"] == "synced" and syncs[0]["remote_id"] == remote_id
    assert syncs[0]["meet_link"] == event["hangoutLink"]

    path = f"/api/appointments/{appointment['id']}"
    moved = await http.patch(
        path, headers=owner.headers, json={"start": local(monday, "14:00").isoformat()}
    )
    assert moved.status_code == 200, moved.text
    await services.jobs.drain()
    assert peer.state.events[remote_id]["start"]["dateTime"] == local(monday, "14:00").isoformat()
    assert peer.state.events[remote_id]["hangoutLink"] == event["hangoutLink"]

    assert (await http.delete(path, headers=owner.headers)).status_code == 200
    await services.jobs.drain()
    assert peer.state.events[remote_id]["status"] == "cancelled"
    assert (await sync_of(services, appointment["id"])).status == "synced"


async def test_refreshed_google_tokens_are_sealed_back(
    desk: tuple[httpx.AsyncClient, Services], peer: GooglePeer
) -> None:
    http, services = desk
    owner = await business(http)
    peer.state.access_lifetime = 30  # inside the adapter's margin: refreshed before each use
    try:
        await connect_google(http, owner)
        async with services.unit_of_work() as uow:
            before = (await uow.session.execute(select(CalendarConnection))).scalar_one()
        service = await add_service(http, owner)
        made = await book(http, owner, service["id"], local(next_weekday(2), "09:30"))
        assert made.status_code == 201
        await services.jobs.drain()
    finally:
        peer.state.access_lifetime = 3600
    async with services.unit_of_work() as uow:
        after = (await uow.session.execute(select(CalendarConnection))).scalar_one()
    assert (await sync_of(services, made.json()["id"])).status == "synced"
    old, new = (json.loads(services.secrets.open(c.secret)) for c in (before, after))
    assert new["access_token"] != old["access_token"]
    assert new["refresh_token"] == old["refresh_token"]
    assert after.secret.startswith("sealed:v1:")


async def test_a_failing_calendar_never_loses_the_booking(
    desk: tuple[httpx.AsyncClient, Services], peer: GooglePeer
) -> None:
    http, services = desk
    owner = await business(http)
    await connect_google(http, owner)
    service = await add_service(http, owner)
    monday = next_weekday(0)

    # Google is down: the booking stands, the sync waits for another try.
    peer.state.fail_next("/calendars/primary/events", 503)
    made = await book(http, owner, service["id"], local(monday, "09:00"))
    assert made.status_code == 201
    appointment_id = made.json()["id"]
    remote_id = event_id(appointment_uid(appointment_id))
    await services.jobs.drain()
    pending = await sync_of(services, appointment_id)
    assert pending.status == "pending" and pending.attempts == 1
    assert "503" in pending.last_error
    assert pending.next_attempt_at > utcnow()
    listed = await http.get(
        "/api/calendar/syncs", headers=owner.headers, params={"status": "pending"}
    )
    assert [s["appointment_id"] for s in listed.json()["syncs"]] == [appointment_id]
    assert "503" in listed.json()["syncs"][0]["last_error"]

    # The pause is over: the sweep queues it again, and it lands.
    async with services.unit_of_work() as uow:
        await uow.session.execute(
            update(AppointmentSync).values(next_attempt_at=utcnow() - timedelta(minutes=5))
        )
    await handler_for(SWEEP_JOB)(services)
    await services.jobs.drain()
    assert (await sync_of(services, appointment_id)).status == "synced"
    assert remote_id in peer.state.events

    # The grant is revoked: no retry helps; the booking stands, the dashboard says why.
    peer.state.revoke_refresh_tokens()
    second = await book(http, owner, service["id"], local(monday, "11:00"))
    assert second.status_code == 201
    await services.jobs.drain()
    failed = await sync_of(services, second.json()["id"])
    assert failed.status == "failed" and "connect it again" in failed.last_error
    connection = (await http.get("/api/calendar/connection", headers=owner.headers)).json()
    assert connection["status"] == "error" and "connect it again" in connection["last_error"]
    assert connection["syncs"]["failed"] == 1
    assert (
        await http.get(f"/api/appointments/{second.json()['id']}", headers=owner.headers)
    ).json()["status"] == "booked"

    # Connecting again queues what failed.
    await connect_google(http, owner)
    await services.jobs.drain()
    assert (await sync_of(services, second.json()["id"])).status == "synced"


async def test_caldav_connection_syncs_to_radicale(
    desk: tuple[httpx.AsyncClient, Services], caldav_server: str
) -> None:
    http, services = desk
    owner = await business(http)
    url = new_calendar(caldav_server)
    put = await http.put(
        "/api/calendar/connection",
        headers=owner.headers,
        json={"url": url, "username": "alice", "password": "x"},
    )
    assert put.status_code == 200, put.text
    assert put.json()["kind"] == "caldav" and put.json()["url"] == url
    assert "password" not in put.json()

    service = await add_service(http, owner, name="Check-up")
    made = await book(http, owner, service["id"], local(next_weekday(1), "15:00"))
    assert made.status_code == 201
    await services.jobs.drain()
    events = await server_events(url)
    uid = appointment_uid(made.json()["id"])
    assert str(events[uid]["SUMMARY"]) == "Check-up: Ana Silva"

    await http.delete(f"/api/appointments/{made.json()['id']}", headers=owner.headers)
    await services.jobs.drain()
    assert uid not in await server_events(url)

    assert (await http.delete("/api/calendar/connection", headers=owner.headers)).status_code == 204
    gone = (await http.get("/api/calendar/connection", headers=owner.headers)).json()
    assert gone["kind"] == "none" and gone["syncs"] == {"pending": 0, "synced": 0, "failed": 0}
    assert (await http.delete("/api/calendar/connection", headers=owner.headers)).status_code == 404


async def test_refusals(
    client: httpx.AsyncClient, desk: tuple[httpx.AsyncClient, Services]
) -> None:
    http, _services = desk
    owner = await business(http)
    agent = await add_member(http, owner, "agent")
    body = {"url": "https://calendar.example/dav/", "username": "a", "password": "b"}
    refused = await http.put("/api/calendar/connection", headers=agent.headers, json=body)
    assert refused.status_code == 403
    assert (
        await http.post("/api/calendar/google/start", headers=agent.headers, json={})
    ).status_code == 403
    seen = await http.get("/api/calendar/connection", headers=agent.headers)
    assert seen.status_code == 200 and seen.json()["kind"] == "none"

    # The default app: private addresses refused, Google not configured.
    private = await client.put(
        "/api/calendar/connection",
        headers=owner.headers,
        json={"url": "http://127.0.0.1:5232/alice/cal/", "username": "", "password": ""},
    )
    assert private.status_code == 422 and "FRONTDESK_ALLOW_PRIVATE_NETWORK" in private.text
    google = await client.post("/api/calendar/google/start", headers=owner.headers, json={})
    assert google.status_code == 409 and "FRONTDESK_GOOGLE_CLIENT_ID" in google.text

    denied = await http.get("/api/calendar/google/callback", params={"error": "access_denied"})
    assert denied.status_code == 303
    assert parse_qs(urlsplit(denied.headers["location"]).query) == {
        "calendar_error": ["access_denied"]
    }
    forged = await http.get("/api/calendar/google/callback", params={"state": "x", "code": "y"})
    assert forged.status_code == 303 and "calendar_error" in forged.headers["location"]
