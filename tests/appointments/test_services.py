"""Services through the API: who may change them, what they accept, deleting with bookings."""

from __future__ import annotations

import uuid

import httpx

from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.factories import add_member, register


async def test_create_list_update_delete(client: httpx.AsyncClient) -> None:
    owner = await business(client)
    dentist = await add_member(client, owner, "agent")
    members = (await client.get("/api/workspace/members", headers=owner.headers)).json()
    dentist_id = next(m["id"] for m in members["members"] if m["email"] == dentist.email)
    cleaning = await add_service(
        client, owner, price=80, buffer_after_minutes=10, staff_ids=[dentist_id]
    )
    assert cleaning["price"] == 80 and cleaning["staff_ids"] == [dentist_id]
    await add_service(client, owner, name="Whitening", duration_minutes=60)

    listed = (await client.get("/api/services", headers=dentist.headers)).json()["services"]
    assert [s["name"] for s in listed] == ["Cleaning", "Whitening"]

    patched = await client.patch(
        f"/api/services/{cleaning['id']}",
        headers=owner.headers,
        json={"duration_minutes": 45, "price": None, "description": "With polish"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["duration_minutes"] == 45 and patched.json()["price"] is None

    # Agents book; they do not change the catalogue.
    refused = await client.post(
        "/api/services", headers=dentist.headers, json={"name": "X", "duration_minutes": 30}
    )
    assert refused.status_code == 403
    # Null is no value for a required field; a stranger is no staff member.
    nulled = await client.patch(
        f"/api/services/{cleaning['id']}", headers=owner.headers, json={"name": None}
    )
    assert nulled.status_code == 422
    stranger = await add_service_answer(client, owner, staff_ids=[str(uuid.uuid4())])
    assert stranger.status_code == 422

    # A service with a booking is kept for it, and gone from the list.
    day = next_weekday(0)
    assert (await book(client, owner, cleaning["id"], local(day, "10:00"))).status_code == 201
    deleted = await client.delete(f"/api/services/{cleaning['id']}", headers=owner.headers)
    assert deleted.status_code == 204
    listed = (await client.get("/api/services", headers=owner.headers)).json()["services"]
    assert [s["name"] for s in listed] == ["Whitening"]
    again = await client.delete(f"/api/services/{cleaning['id']}", headers=owner.headers)
    assert again.status_code == 404
    kept = (await client.get("/api/appointments", headers=owner.headers)).json()
    assert kept["appointments"][0]["service_id"] == cleaning["id"]


async def add_service_answer(
    client: httpx.AsyncClient, owner: object, **fields: object
) -> httpx.Response:
    body = {"name": "Check-up", "duration_minutes": 30, **fields}
    return await client.post("/api/services", headers=owner.headers, json=body)  # type: ignore[attr-defined]


async def test_another_workspaces_staff_cannot_be_assigned(client: httpx.AsyncClient) -> None:
    owner = await business(client)
    other = await register(client)
    members = (await client.get("/api/workspace/members", headers=other.headers)).json()
    foreign = members["members"][0]["id"]
    answer = await add_service_answer(client, owner, staff_ids=[foreign])
    assert answer.status_code == 422
