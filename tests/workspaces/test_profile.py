from __future__ import annotations

import httpx

from tests.factories import add_member, register


async def test_profile_round_trip_with_hours_and_breaks(client: httpx.AsyncClient) -> None:
    owner = await register(client, business="Glow Studio")
    hours = {
        "mon": [{"start": "13:00", "end": "18:00"}, {"start": "09:00", "end": "12:00"}],
        "sat": [{"start": "10:00", "end": "14:00"}],
    }
    response = await client.put(
        "/api/workspace",
        headers=owner.headers,
        json={
            "owner_name": "Lena Park",
            "occupation": "Esthetician",
            "industry": "Beauty & wellness",
            "timezone": "Europe/Paris",
            "language": "fr",
            "contact_email": "Hello@Glow.example",
            "contact_phone": "+33 1 23 45 67 89",
            "website": "glow.example",
            "business_hours": hours,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timezone"] == "Europe/Paris"
    assert body["contact_email"] == "Hello@glow.example"
    assert body["website"] == "https://glow.example"
    # Intervals are sorted; the gap between them is the lunch break; unnamed days are closed.
    assert body["business_hours"]["mon"] == [
        {"start": "09:00", "end": "12:00"},
        {"start": "13:00", "end": "18:00"},
    ]
    assert body["business_hours"]["sun"] == []
    again = await client.get("/api/workspace", headers=owner.headers)
    assert again.json() == body


async def test_profile_rejects_bad_values_with_field_details(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    cases = [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"language": "xx"}, "language"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"business_hours": {"mon": [{"start": "18:00", "end": "09:00"}]}}, "business_hours"),
        (
            {
                "business_hours": {
                    "mon": [{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "17:00"}]
                }
            },
            "business_hours",
        ),
        ({"business_hours": {"funday": []}}, "business_hours"),
        ({"name": None}, "name"),
        ({"unknown_field": 1}, "unknown_field"),
    ]
    for payload, field in cases:
        response = await client.put("/api/workspace", headers=owner.headers, json=payload)
        assert response.status_code == 422, (payload, response.text)
        fields = {d["field"] for d in response.json()["error"]["details"]}
        assert field in fields, (payload, fields)
    unchanged = await client.get("/api/workspace", headers=owner.headers)
    assert unchanged.json()["timezone"] == "UTC"


async def test_only_owner_and_admin_change_settings(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    admin = await add_member(client, owner, "admin")
    agent = await add_member(client, owner, "agent")
    viewer = await add_member(client, owner, "viewer")
    for account, allowed in ((admin, True), (agent, False), (viewer, False)):
        response = await client.put(
            "/api/workspace", headers=account.headers, json={"occupation": "changed"}
        )
        assert (response.status_code == 200) is allowed, response.text
        if not allowed:
            assert response.json()["error"]["code"] == "permission_denied"
        assert (await client.get("/api/workspace", headers=account.headers)).status_code == 200
