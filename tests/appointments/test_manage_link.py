"""The manage link the booking mails carry: a page that works without JavaScript (plain
forms with the page's CSRF token) and the same through the API, to see, move or cancel the
booking; the link names nothing outside its own workspace."""

from __future__ import annotations

import re

import httpx

from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.appointments.test_notices import World, chat_lines, invite_of, world
from tests.conftest import Backend
from tests.factories import Account, register, start_chat

LINK = re.compile(r"https://desk\.example(/c/[\w-]+/booking/[\w-]+)")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def booked(w: World, owner: Account, clock: str = "10:00", **extra: object) -> str:
    """Book for the customer and return the manage link's path from the confirmation."""
    service = await add_service(w.client, owner, name="Cleaning", duration_minutes=30)
    made = await book(w.client, owner, service["id"], local(next_weekday(0), clock), **extra)
    assert made.status_code == 201, made.text
    await w.services.jobs.drain()
    [mail] = await w.sink.arrived(1)
    found = LINK.search(mail.message.get_body(("plain",)).get_content())
    assert found
    return found.group(1)


def form_token(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found
    return found.group(1)


async def test_the_page_moves_then_cancels_the_booking(backend: Backend) -> None:
    async with world(backend) as w:
        owner = await business(w.client)
        chat = await start_chat(w.client, owner.slug)
        path = await booked(w, owner, conversation_id=chat.conversation_id)
        monday = next_weekday(0)

        page = await w.client.get(f"{path}?start={monday.isoformat()}")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "Cleaning" in page.text and "Cancel my booking" in page.text
        assert 'value="' + local(monday, "14:00").isoformat() + '"' in page.text

        # A post without the page's token (another site's form) is refused.
        forged = await w.client.post(
            f"{path}/reschedule", data={"start": local(monday, "14:00").isoformat()}
        )
        assert forged.status_code == 403

        moved = await w.client.post(
            f"{path}/reschedule",
            data={"start": local(monday, "14:00").isoformat(), "csrf_token": form_token(page)},
        )
        assert moved.status_code == 303
        assert moved.headers["location"] == f"{path}?done=moved"
        after = await w.client.get(moved.headers["location"])
        assert "Your booking has been moved" in after.text
        assert "2:00 pm" in after.text
        await w.services.jobs.drain()
        [_, moved_mail] = await w.sink.arrived(2)
        _, event = invite_of(moved_mail)
        assert event.decoded("DTSTART") == local(monday, "14:00")

        # A time outside hours: refused on the page, with free times offered instead.
        outside = await w.client.post(
            f"{path}/reschedule",
            data={"start": local(monday, "12:15").isoformat(), "csrf_token": form_token(after)},
        )
        assert outside.status_code == 422
        assert "outside opening hours" in outside.text
        assert 'data-testid="alternative"' in outside.text

        cancelled = await w.client.post(f"{path}/cancel", data={"csrf_token": form_token(after)})
        assert cancelled.status_code == 303
        final = await w.client.get(cancelled.headers["location"])
        assert "Your booking is cancelled" in final.text
        assert "Cancel my booking" not in final.text  # nothing left to change
        await w.services.jobs.drain()
        [*_, cancel_mail] = await w.sink.arrived(3)
        calendar, _ = invite_of(cancel_mail)
        assert str(calendar["METHOD"]) == "CANCEL"
        # The customer changed it: their chat is told (staff's booking was told first).
        lines = await chat_lines(w.services, chat.conversation_id)
        assert len(lines) == 3
        assert lines[0].startswith("You're booked: Cleaning")
        assert lines[1].startswith("Your Cleaning has been moved to Monday")
        assert lines[2].startswith("Your Cleaning on Monday") and "cancelled" in lines[2]

        # Every mail's link works, the confirmation's too.
        again = await w.client.get(path)
        assert again.status_code == 200 and "Cancelled" in again.text


async def test_the_api_reads_moves_and_cancels_by_the_link(backend: Backend) -> None:
    async with world(backend) as w:
        owner = await business(w.client)
        path = await booked(w, owner)
        slug, token = path.split("/")[2], path.split("/")[4]
        api = f"/api/portal/{slug}/bookings/{token}"
        monday = next_weekday(0)

        read = await w.client.get(api)
        assert read.status_code == 200 and read.headers["cache-control"] == "no-store"
        body = read.json()
        assert body["service_name"] == "Cleaning" and body["status"] == "booked"
        assert body["start"] == local(monday, "10:00").isoformat() and body["changeable"]

        slots = await w.client.get(f"{api}/slots", params={"date": monday.isoformat(), "days": 1})
        assert slots.status_code == 200
        starts = [slot["start"] for slot in slots.json()["slots"]]
        assert local(monday, "15:00").isoformat() in starts
        assert local(monday, "10:00").isoformat() not in starts  # its own time is taken

        moved = await w.client.post(
            f"{api}/reschedule", json={"start": local(monday, "15:00").isoformat()}
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["start"] == local(monday, "15:00").isoformat()
        sunday = next_weekday(6)
        closed = await w.client.post(
            f"{api}/reschedule", json={"start": local(sunday, "11:00").isoformat()}
        )
        assert closed.status_code == 422
        assert closed.json()["error"]["details"]["alternatives"]

        cancelled = await w.client.post(f"{api}/cancel")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        refused = await w.client.post(f"{api}/cancel")
        assert refused.status_code == 409
        await w.services.jobs.drain()
        assert len(w.sink.received) == 3  # confirmed, moved, cancelled

        # A wrong token, or the right token under another business's address: nothing.
        other = await register(w.client)
        assert (
            await w.client.get(f"/api/portal/{slug}/bookings/{token[:-2]}xx")
        ).status_code == 404
        assert (await w.client.get(f"/api/portal/{other.slug}/bookings/{token}")).status_code == 404
        assert (await w.client.get(f"/c/{other.slug}/booking/{token}")).status_code == 404
        assert (
            await w.client.post(f"/api/portal/{other.slug}/bookings/{token}/cancel")
        ).status_code == 404
