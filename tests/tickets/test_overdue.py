"""Overdue tickets: shown by a computed flag and a filter, and told to staff once by the
periodic job however many times it runs."""

from __future__ import annotations

import httpx

from frontdesk.services import Services
from frontdesk.tickets.tasks import notify_overdue
from tests.factories import register


async def test_overdue_is_flagged_filtered_and_notified_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    # Urgent is due at once; the workspace gives low tickets a week (its own setting).
    settings = await client.put(
        "/api/tickets/settings",
        headers=owner.headers,
        json={"due_hours": {"urgent": 0, "high": 4, "medium": 24, "low": 168}},
    )
    assert settings.status_code == 200, settings.text
    urgent, calm = [
        (
            await client.post(
                "/api/tickets", headers=owner.headers, json={"subject": s, "priority": p}
            )
        ).json()
        for s, p in (("Till is down", "urgent"), ("Add oat milk", "low"))
    ]
    assert urgent["overdue"] and not calm["overdue"]
    high = await client.patch(
        f"/api/tickets/{calm['id']}", headers=owner.headers, json={"priority": "high"}
    )
    assert high.json()["due_at"] > high.json()["created_at"]  # 4 hours, the workspace's

    overdue = (await client.get("/api/tickets?overdue=true", headers=owner.headers)).json()
    assert [t["id"] for t in overdue["tickets"]] == [urgent["id"]]
    assert overdue["stats"]["overdue"] == 1 and overdue["stats"]["urgent"] == 1

    await notify_overdue(services)
    await notify_overdue(services)  # a second run (or a redelivery) tells nobody again
    detail = (await client.get(f"/api/tickets/{urgent['id']}", headers=owner.headers)).json()
    assert [e["field"] for e in detail["history"]].count("overdue") == 1
    calm_detail = (await client.get(f"/api/tickets/{calm['id']}", headers=owner.headers)).json()
    assert "overdue" not in [e["field"] for e in calm_detail["history"]]

    # Fixed is no longer overdue.
    fixed = await client.patch(
        f"/api/tickets/{urgent['id']}", headers=owner.headers, json={"status": "fixed"}
    )
    assert fixed.json()["overdue"] is False
