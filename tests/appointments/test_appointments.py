"""Bookings through the API: book, refuse with alternatives, move, change status, cancel,
list with filters, stay within the workspace; each change audited and sent to staff."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select

from frontdesk.realtime.models import ConversationEvent
from frontdesk.services import Services
from tests.appointments.helpers import add_service, book, business, local, next_weekday, slots
from tests.factories import add_member, register


async def test_book_move_change_status_and_cancel(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await business(client)
    service = await add_service(client, owner, duration_minutes=30)
    monday = next_weekday(0)
    agent = await add_member(client, owner, "agent")

    made = await book(client, agent, service["id"], local(monday, "10:00"), notes="first visit")
    assert made.status_code == 201, made.text
    appointment = made.json()
    assert appointment["start"] == local(monday, "10:00").isoformat()
    assert appointment["end"] == local(monday, "10:30").isoformat()
    assert appointment["status"] == "booked" and appointment["staff_id"] is None
    assert appointment["customer_email"] == "ana@example.com"
    path = f"/api/appointments/{appointment['id']}"
    assert (await client.get(path, headers=owner.headers)).json() == appointment

    # The business has no staff: it is one resource, booked once at a time.
    overlapping = await book(client, owner, service["id"], local(monday, "10:15"))
    assert overlapping.status_code == 409
    alternatives = overlapping.json()["error"]["details"]["alternatives"]
    assert [a["start"][11:16] for a in alternatives] == ["10:30", "10:45", "09:30"]
    taken = await book(client, owner, service["id"], alternatives[0]["start"])
    assert taken.status_code == 201  # an offered alternative is really free

    moved = await client.patch(
        path, headers=agent.headers, json={"start": local(monday, "14:00").isoformat()}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["start"] == local(monday, "14:00").isoformat()
    assert "10:00" in [s["start"][11:16] for s in await slots(client, owner, service["id"], monday)]
    onto_taken = await client.patch(
        path, headers=agent.headers, json={"start": local(monday, "10:30").isoformat()}
    )
    assert onto_taken.status_code == 409
    outside = await client.patch(
        path, headers=agent.headers, json={"start": local(monday, "12:15").isoformat()}
    )
    assert outside.status_code == 422 and outside.json()["error"]["code"] == "outside_hours"

    no_show = await client.patch(path, headers=agent.headers, json={"status": "no_show"})
    assert no_show.status_code == 200 and no_show.json()["status"] == "no_show"
    assert (await client.delete(path, headers=agent.headers)).status_code == 409
    back = await client.patch(path, headers=agent.headers, json={"status": "booked"})
    assert back.status_code == 200
    cancelled = await client.delete(path, headers=agent.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await client.delete(path, headers=agent.headers)).status_code == 200  # again: same

    # Someone takes the freed time; the cancelled booking cannot come back onto it.
    assert (await book(client, owner, service["id"], local(monday, "14:00"))).status_code == 201
    revived = await client.patch(path, headers=agent.headers, json={"status": "booked"})
    assert revived.status_code == 409

    viewer = await add_member(client, owner, "viewer")
    assert (await book(client, viewer, service["id"], local(monday, "15:00"))).status_code == 403

    workspace_id = uuid.UUID(owner.workspace_id)
    async with services.db.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(ConversationEvent.type, ConversationEvent.audience)
            .where(ConversationEvent.workspace_id == workspace_id)
            .order_by(ConversationEvent.id)
        )
        types = [row[0] for row in rows if row[1] == "staff"]
    assert types[:3] == ["appointment:created", "appointment:created", "appointment:moved"]
    assert "appointment:cancelled" in types and "appointment:updated" in types
    audit = (await client.get("/api/audit", headers=owner.headers)).json()["events"]
    actions = {event["action"] for event in audit}
    assert {"appointment.created", "appointment.moved", "appointment.cancelled"} <= actions


async def test_list_filters_and_pages(client: httpx.AsyncClient) -> None:
    owner = await business(client)
    cleaning = await add_service(client, owner)
    whitening = await add_service(client, owner, name="Whitening", duration_minutes=60)
    monday = next_weekday(0)
    tuesday = monday + timedelta(days=1)
    for service, day, clock in (
        (cleaning, monday, "09:00"),
        (cleaning, monday, "10:00"),
        (whitening, tuesday, "09:00"),
    ):
        assert (await book(client, owner, service["id"], local(day, clock))).status_code == 201
    everything = (await client.get("/api/appointments", headers=owner.headers)).json()
    assert len(everything["appointments"]) == 3 and everything["next_offset"] is None

    def listed(params: dict[str, str]) -> object:
        return client.get("/api/appointments", headers=owner.headers, params=params)

    by_service = (await listed({"service_id": whitening["id"]})).json()["appointments"]  # type: ignore[attr-defined]
    assert [a["start"] for a in by_service] == [local(tuesday, "09:00").isoformat()]
    window = {"from": local(monday, "09:30").isoformat(), "to": local(tuesday, "00:00").isoformat()}
    in_window = (await listed(window)).json()["appointments"]  # type: ignore[attr-defined]
    assert [a["start"][11:16] for a in in_window] == ["10:00"]
    first_page = (await listed({"limit": "2"})).json()  # type: ignore[attr-defined]
    assert len(first_page["appointments"]) == 2 and first_page["next_offset"] == 2
    await client.delete(
        f"/api/appointments/{first_page['appointments'][0]['id']}", headers=owner.headers
    )
    cancelled = (await listed({"status": "cancelled"})).json()["appointments"]  # type: ignore[attr-defined]
    assert len(cancelled) == 1
    bad = await listed({"from": "12345"})
    assert bad.status_code == 422  # type: ignore[attr-defined]


async def test_another_workspaces_bookings_are_not_found(client: httpx.AsyncClient) -> None:
    owner = await business(client)
    service = await add_service(client, owner)
    made = (await book(client, owner, service["id"], local(next_weekday(0), "10:00"))).json()
    intruder = await register(client)
    path = f"/api/appointments/{made['id']}"
    for method, body in (("GET", None), ("PATCH", {"status": "cancelled"}), ("DELETE", None)):
        answer = await client.request(method, path, headers=intruder.headers, json=body)
        assert answer.status_code == 404, (method, answer.text)
    assert (await client.get("/api/appointments", headers=intruder.headers)).json()[
        "appointments"
    ] == []
    # Nor can their service be booked or searched from elsewhere.
    day = next_weekday(0).isoformat()
    search = await client.get(
        "/api/availability",
        headers=intruder.headers,
        params={"service_id": service["id"], "date": day},
    )
    assert search.status_code == 404
    assert (
        await book(client, intruder, service["id"], local(next_weekday(0), "11:00"))
    ).status_code == 404
    assert (await client.get(path, headers=owner.headers)).json()["status"] == "booked"
