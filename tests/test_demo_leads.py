"""The demo's sample leads: added once to Bright Smile Dental, each with the chat it came
from, with follow-ups due today and overdue so the Leads page has something to show."""

from __future__ import annotations

import httpx

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo
from frontdesk.demo_leads import DEMO_LEADS, add_demo_leads
from frontdesk.services import Services


async def test_demo_leads_are_added_once_with_their_chats(
    client: httpx.AsyncClient, services: Services
) -> None:
    assert await add_demo_leads(services.db) == 0  # no demo business yet
    await create_demo(services.db)
    assert await add_demo_leads(services.db) == len(DEMO_LEADS)
    assert await add_demo_leads(services.db) == 0

    signed_in = await client.post(
        "/api/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    listed = (await client.get("/api/leads", headers=headers)).json()
    assert listed["total"] == len(DEMO_LEADS)
    assert {lead["status"] for lead in listed["leads"]} == {
        "new",
        "contacted",
        "qualified",
        "won",
        "lost",
    }
    due = (await client.get("/api/leads?follow_up=due", headers=headers)).json()
    assert [lead["name"] for lead in due["leads"]] == ["James O'Connor", "Sofia Marquez"]
    detail = (await client.get(f"/api/leads/{due['leads'][0]['id']}", headers=headers)).json()
    assert len(detail["conversations"]) == 1
    page = await client.get(
        f"/api/conversations/{detail['conversations'][0]['id']}/messages", headers=headers
    )
    assert page.status_code == 200, page.text
    assert "212 555 0161" in page.text
