"""Private ICS feeds: the workspace's and each staff member's, read back by two independent
parsers (``icalendar`` and ``vobject``); a rotated or wrong token finds nothing."""

from __future__ import annotations

from datetime import UTC

import httpx
import icalendar
import vobject

from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.factories import Account, add_member, register


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


async def feeds(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    answer = await client.get("/api/calendar/feeds", headers=account.headers)
    assert answer.status_code == 200, answer.text
    found = {feed["scope"]: feed for feed in answer.json()["feeds"]}
    assert found["workspace"]["webcal_url"].startswith("webcal://")
    return {scope: feed["url"] for scope, feed in found.items()}


async def membership_id(client: httpx.AsyncClient, owner: Account, email: str) -> str:
    members = await client.get("/api/workspace/members", headers=owner.headers)
    assert members.status_code == 200
    [found] = [m["id"] for m in members.json()["members"] if m["email"] == email]
    return str(found)


async def test_feeds_carry_the_bookings_and_rotate(client: httpx.AsyncClient) -> None:
    owner = await business(client)
    dentist = await add_member(client, owner, "agent")
    dentist_id = await membership_id(client, owner, dentist.email)
    service = await add_service(
        client, owner, name="Cleaning, deep", duration_minutes=45, staff_ids=[dentist_id]
    )
    monday, tuesday = next_weekday(0), next_weekday(1)
    first = await book(client, owner, service["id"], local(monday, "10:00"))
    second = await book(client, owner, service["id"], local(tuesday, "15:00"))
    gone = await book(client, owner, service["id"], local(tuesday, "09:00"))
    assert {first.status_code, second.status_code, gone.status_code} == {201}
    cancelled = await client.delete(f"/api/appointments/{gone.json()['id']}", headers=owner.headers)
    assert cancelled.status_code == 200

    urls = await feeds(client, owner)
    assert urls == await feeds(client, owner)  # the same URL every time it is asked for
    answer = await client.get(path_of(urls["workspace"]))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["cache-control"].startswith("private, max-age=")
    calendar = icalendar.Calendar.from_ical(answer.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{first.json()['id']}@frontdesk", f"{second.json()['id']}@frontdesk"}
    event = events[f"{first.json()['id']}@frontdesk"]
    assert event.decoded("DTSTART") == local(monday, "10:00")
    assert str(event["SUMMARY"]) == "Cleaning, deep: Ana Silva"
    assert calendar.walk("VTIMEZONE")  # times in the business's zone

    parsed = vobject.readOne(answer.text)
    starts = sorted(e.dtstart.value.astimezone(UTC) for e in parsed.vevent_list)
    assert starts == [local(monday, "10:00"), local(tuesday, "15:00")]
    assert parsed.vevent_list[0].summary.value == "Cleaning, deep: Ana Silva"

    unchanged = await client.get(
        path_of(urls["workspace"]), headers={"If-None-Match": answer.headers["etag"]}
    )
    assert unchanged.status_code == 304

    # The dentist's own feed: their bookings; the owner's own: none.
    dentist_urls = await feeds(client, dentist)
    assert dentist_urls["workspace"] == urls["workspace"]
    mine = await client.get(path_of(dentist_urls["staff"]))
    assert len(icalendar.Calendar.from_ical(mine.content).walk("VEVENT")) == 2
    owners = await client.get(path_of(urls["staff"]))
    assert icalendar.Calendar.from_ical(owners.content).walk("VEVENT") == []

    # Rotating: the workspace's needs the settings permission; the old URL stops at once.
    refused = await client.post(
        "/api/calendar/feeds", headers=dentist.headers, json={"scope": "workspace"}
    )
    assert refused.status_code == 403
    rotated = await client.post(
        "/api/calendar/feeds", headers=dentist.headers, json={"scope": "staff"}
    )
    assert rotated.status_code == 204
    new_staff = (await feeds(client, dentist))["staff"]
    assert new_staff != dentist_urls["staff"]
    assert (await client.get(path_of(dentist_urls["staff"]))).status_code == 404
    assert (await client.get(path_of(new_staff))).status_code == 200
    rotated = await client.post(
        "/api/calendar/feeds", headers=owner.headers, json={"scope": "workspace"}
    )
    assert rotated.status_code == 204
    assert (await client.get(path_of(urls["workspace"]))).status_code == 404
    new_workspace = (await feeds(client, owner))["workspace"]
    assert new_workspace != urls["workspace"]
    assert (await client.get(path_of(new_workspace))).status_code == 200

    # A made-up token, and another workspace's feeds: nothing of this one.
    assert (await client.get("/api/calendar/feed/not-a-real-token.ics")).status_code == 404
    other = await register(client)
    other_urls = await feeds(client, other)
    other_feed = await client.get(path_of(other_urls["workspace"]))
    assert icalendar.Calendar.from_ical(other_feed.content).walk("VEVENT") == []
