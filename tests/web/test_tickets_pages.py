"""The tickets pages without scripts: the list's counts, filters and search as a GET form,
and a ticket worked through its own forms (note, assignment, status, a rejection that needs a
reason), each change in the history and the status lines in the customer's chat."""

from __future__ import annotations

import re

import httpx

from frontdesk.services import Services
from tests.factories import PASSWORD, say, start_chat
from tests.web.forms import post_form

COMPLAINT = (
    "You charged my card twice for last week's visit and nobody has replied to my emails. "
    "This is unacceptable, I want my money back."
)


async def _owner_with_ticket(client: httpx.AsyncClient, services: Services) -> dict[str, str]:
    signed_up = await post_form(
        client,
        "/register",
        data={
            "full_name": "Lena Park",
            "business_name": "Glow",
            "email": "lena@glow.example",
            "password": PASSWORD,
        },
    )
    assert signed_up.status_code == 303, signed_up.text
    login = await client.post(
        "/api/auth/login", json={"email": "lena@glow.example", "password": PASSWORD}
    )
    body = login.json()
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    chat = await start_chat(client, body["workspace"]["slug"], name="Dana Ortiz")
    await say(client, chat, COMPLAINT)
    await services.jobs.drain()
    [ticket] = (await client.get("/api/tickets", headers=headers)).json()["tickets"]
    return {"id": ticket["id"], "reference": ticket["reference"], "token": chat.token}


def _rows(page: str) -> int:
    return len(re.findall(r'data-testid="ticket-row"', page))


async def test_the_list_counts_filters_and_searches(
    client: httpx.AsyncClient, services: Services
) -> None:
    ticket = await _owner_with_ticket(client, services)
    page = (await client.get("/app/tickets")).text
    assert _rows(page) == 1 and ticket["reference"] in page and "Dana Ortiz" in page
    assert re.search(r'data-testid="stat-urgent">.*?<span class="tk-stat-count">1<', page, re.S)
    assert "prio prio--urgent" in page
    assert _rows((await client.get("/app/tickets?priority=urgent")).text) == 1
    assert _rows((await client.get("/app/tickets?priority=low")).text) == 0
    assert _rows((await client.get("/app/tickets?category=technical")).text) == 0
    assert _rows((await client.get("/app/tickets?assignee=unassigned")).text) == 1
    assert _rows((await client.get("/app/tickets?assignee=me")).text) == 0
    assert _rows((await client.get(f"/app/tickets?q={ticket['reference']}")).text) == 1
    assert _rows((await client.get("/app/tickets?q=nothing-like-it")).text) == 0
    # Unknown filter values are ignored, never an error.
    odd = await client.get("/app/tickets?priority=bogus&status=x&assignee=someone&offset=-4")
    assert odd.status_code == 200 and _rows(odd.text) == 1


async def test_a_ticket_is_worked_through_its_forms(
    client: httpx.AsyncClient, services: Services
) -> None:
    ticket = await _owner_with_ticket(client, services)
    url = f"/app/tickets/{ticket['id']}"
    page = (await client.get(url)).text
    assert "charged my card twice" in page and "Summary for staff" in page
    me = re.search(r'<option value="([0-9a-f-]{36})">Lena Park</option>', page)
    assert me, "the assignee list names the members"

    steps = [
        {"assignee": me.group(1), "priority": "high", "category": "billing_payment"},
        {"note": "Refund the second charge."},
        {"status": "in_progress"},
    ]
    for data in steps:
        response = await post_form(client, url, data=data)
        assert response.status_code == 303, response.text
    page = (await client.get(url)).text
    assert "assigned the ticket to Lena Park" in page
    assert "changed the priority from Urgent to High" in page
    assert "Refund the second charge." in page
    assert "changed the status from Pending to In progress" in page
    assert 'data-testid="ticket-status">In progress<' in page

    refused = await post_form(client, url, data={"status": "rejected"})
    assert refused.status_code == 422 and "Say why the ticket is rejected." in refused.text
    rejected = await post_form(
        client, url, data={"status": "rejected", "rejection_reason": "A pre-authorisation."}
    )
    assert rejected.status_code == 303
    page = (await client.get(url)).text
    assert "Rejected: “A pre-authorisation.”" in page

    chat = await client.get(
        "/api/portal/messages", headers={"Authorization": f"Bearer {ticket['token']}"}
    )
    lines = [m["text"] for m in chat.json()["messages"] if m["sender_type"] == "system"]
    assert len(lines) == 2 and "working on it" in lines[0]
    assert "A pre-authorisation." in lines[1]
