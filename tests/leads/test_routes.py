"""The leads API: staff add, filter, edit, bulk-change, export and delete leads."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime
from typing import Any

import httpx
from openpyxl import load_workbook

from frontdesk.services import Services
from tests.factories import Account, add_member, register, say, start_chat


async def _add(client: httpx.AsyncClient, owner: Account, **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/leads", headers=owner.headers, json=fields)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _list(client: httpx.AsyncClient, owner: Account, query: str = "") -> dict[str, Any]:
    response = await client.get(f"/api/leads{query}", headers=owner.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_add_filter_search_and_page(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    agent = await add_member(client, owner, "agent")
    members = (await client.get("/api/workspace/members", headers=owner.headers)).json()
    agent_id = next(m["user_id"] for m in members["members"] if m["email"] == agent.email)
    ana = await _add(client, owner, name="Ana Silva", email="ana@example.com", interest="implants")
    await _add(
        client,
        owner,
        name="Ben Okafor",
        phone="+14155550123",
        status="qualified",
        owner_id=agent_id,
        follow_up_on="2020-01-02",
        value=1200.5,
    )
    await _add(client, owner, name="Cy Young", email="cy@example.com", status="won")

    assert _names(await _list(client, owner)) == ["Cy Young", "Ben Okafor", "Ana Silva"]
    assert _names(await _list(client, owner, "?status=qualified")) == ["Ben Okafor"]
    assert _names(await _list(client, owner, f"?owner_id={agent_id}")) == ["Ben Okafor"]
    assert _names(await _list(client, owner, "?follow_up=due")) == ["Ben Okafor"]
    assert _names(await _list(client, owner, "?q=IMPLANT")) == ["Ana Silva"]
    assert _names(await _list(client, owner, "?q=%25")) == []  # a wildcard is a character
    assert _names(await _list(client, owner, "?source=manual&q=cy")) == ["Cy Young"]
    today = date.today().isoformat()
    assert (
        len((await _list(client, owner, f"?created_from=2000-01-01&created_to={today}"))["leads"])
        == 3
    )
    assert _names(await _list(client, owner, "?created_to=2000-01-01")) == []
    page = await _list(client, owner, "?limit=2")
    assert len(page["leads"]) == 2 and page["total"] == 3 and page["next_offset"] == 2
    assert (await _list(client, owner, "?limit=2&offset=2"))["next_offset"] is None

    ben = (await _list(client, owner, "?status=qualified"))["leads"][0]
    assert ben["value"] == 1200.5 and ben["follow_up_on"] == "2020-01-02"
    assert ben["channel"] == "manual" and ben["captured"]["phone"] == ["+14155550123"]

    duplicate = await client.post(
        "/api/leads", headers=owner.headers, json={"email": "ana@example.com"}
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["details"]["lead_id"] == ana["id"]

    for bad in (
        "?created_from=1700000000",
        "?created_from=2026-02-30",
        "?status=maybe",
        "?follow_up=soon",
        "?created_from=2026-02-02&created_to=2026-02-01",
    ):
        answer = await client.get(f"/api/leads{bad}", headers=owner.headers)
        assert answer.status_code == 422, (bad, answer.text)


def _names(page: dict[str, Any]) -> list[str]:
    return [lead["name"] for lead in page["leads"]]


async def test_edit_bulk_and_delete(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    viewer = await add_member(client, owner, "viewer")
    one = await _add(client, owner, name="Dee", email="dee@example.com")
    two = await _add(client, owner, name="Eve", email="eve@example.com")

    changed = await client.patch(
        f"/api/leads/{one['id']}",
        headers=owner.headers,
        json={"email": "dee@new.example", "value": 99.99, "notes": "Call back Monday"},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["email"] == "dee@new.example" and body["value"] == 99.99
    assert body["captured"]["email"] == ["dee@example.com", "dee@new.example"]
    cleared = await client.patch(
        f"/api/leads/{one['id']}", headers=owner.headers, json={"value": None}
    )
    assert cleared.json()["value"] is None
    taken = await client.patch(
        f"/api/leads/{one['id']}", headers=owner.headers, json={"email": "eve@example.com"}
    )
    assert taken.status_code == 409
    for bad in (
        {"status": None},
        {"follow_up_on": 1700000000},
        {"value": -1},
        {"value": "12"},
        {"owner_id": str(uuid.uuid4())},
        {"email": "not an email"},
        {"email": "", "phone": ""},
        {"colour": "red"},
    ):
        answer = await client.patch(f"/api/leads/{one['id']}", headers=owner.headers, json=bad)
        assert answer.status_code == 422, (bad, answer.text)

    refused = await client.patch(
        f"/api/leads/{one['id']}", headers=viewer.headers, json={"notes": "x"}
    )
    assert refused.status_code == 403

    bulk = await client.post(
        "/api/leads/bulk",
        headers=owner.headers,
        json={"ids": [one["id"], two["id"], str(uuid.uuid4())], "status": "contacted"},
    )
    assert bulk.status_code == 200 and bulk.json() == {"updated": 2}
    assert {x["status"] for x in (await _list(client, owner))["leads"]} == {"contacted"}

    gone = await client.delete(f"/api/leads/{two['id']}", headers=owner.headers)
    assert gone.status_code == 204
    assert (await client.get(f"/api/leads/{two['id']}", headers=owner.headers)).status_code == 404


async def test_export_xlsx_and_csv(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    await _add(
        client,
        owner,
        name='=HYPERLINK("http://evil.example")',
        email="mallory@example.com",
        value=1500,
        follow_up_on="2026-12-24",
        status="qualified",
        notes="+1 prefers email",
    )
    await _add(client, owner, name="Zoë Ng", phone="+14155550199")

    response = await client.get("/api/leads/export?format=xlsx", headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K3"
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Name", "Email", "Phone", "Status"] and sheet["A1"].font.b
    assert sheet.column_dimensions["B"].width >= 20
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    mallory = rows['=HYPERLINK("http://evil.example")']
    assert mallory[0].data_type == "s"  # text, never a formula
    assert mallory[3].value == "Qualified"
    assert mallory[7].value == 1500 and mallory[7].data_type == "n"
    assert mallory[7].number_format == "#,##0.00"
    assert mallory[8].value == datetime(2026, 12, 24) and mallory[8].is_date
    assert isinstance(mallory[9].value, datetime) and mallory[9].is_date
    assert rows["Zoë Ng"][2].value == "+14155550199"

    filtered = await client.get(
        "/api/leads/export?format=xlsx&status=qualified", headers=owner.headers
    )
    assert load_workbook(io.BytesIO(filtered.content)).active.max_row == 2

    text = await client.get("/api/leads/export?format=csv", headers=owner.headers)
    assert text.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Name", "Email", "Phone"] and len(table) == 3
    by_email = {row[1]: row for row in table[1:]}
    assert by_email["mallory@example.com"][0].startswith("'=")
    assert by_email["mallory@example.com"][10] == "'+1 prefers email"
    assert by_email["mallory@example.com"][7] == "1500.00"
    assert by_email[""][0] == "Zoë Ng" and by_email[""][2] == "'+14155550199"

    bad = await client.get("/api/leads/export?format=pdf", headers=owner.headers)
    assert bad.status_code == 422


async def test_another_workspaces_lead_is_not_found(
    client: httpx.AsyncClient, services: Services
) -> None:
    mine = await register(client)
    theirs = await register(client)
    chat = await start_chat(client, theirs.slug)
    await say(client, chat, "I'm Quinn, quinn@example.com")
    await services.jobs.drain()
    [lead] = (await _list(client, theirs))["leads"]
    for method, body in (("GET", None), ("PATCH", {"notes": "x"}), ("DELETE", None)):
        answer = await client.request(
            method, f"/api/leads/{lead['id']}", headers=mine.headers, json=body
        )
        assert answer.status_code == 404, (method, answer.text)
    assert (await _list(client, mine))["leads"] == []
    bulk = await client.post(
        "/api/leads/bulk", headers=mine.headers, json={"ids": [lead["id"]], "status": "lost"}
    )
    assert bulk.json() == {"updated": 0}
    exported = await client.get("/api/leads/export?format=csv", headers=mine.headers)
    assert "quinn" not in exported.text
    assert (await _list(client, theirs))["leads"][0]["status"] == "new"
