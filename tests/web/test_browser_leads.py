"""The leads page in real headless Chromium: customers leave their details in portal chats
(the public API, no key), staff find them as leads, filter by status, search, change several
at once, edit one beside its conversation, and download what the filters show as XLSX and
CSV through the buttons; the spreadsheets hold exactly the filtered rows. The page reads
without scripts too. Screenshots at a desktop and a phone viewport."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import Browser, Page, expect

from frontdesk.demo import DEMO_EMAIL
from frontdesk.demo import DEMO_PASSWORD as PASSWORD
from tests.web.test_a11y import AXE, axe_findings, blocking
from tests.web.test_browser import browser, demo_business, live_server, watch_console
from tests.web.test_browser_knowledge import DESKTOP, PHONE, save_shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]

SLUG = "bright-smile-dental"
CHATS = (
    ("Dana Whitfield", "Hi, I'm Dana Whitfield, dana@example.com, I'd like a quote for whitening"),
    ("Omar Haddad", "Hello, this is Omar Haddad, call me on +1 212 555 0187 about a cleaning"),
    ("Grace Liu", "I'm Grace Liu, grace.liu@example.org, are you taking new patients?"),
    ("Priya Nair", "Priya Nair here, priya@example.net, a check-up for my son please"),
)


async def customers_leave_details(base: str) -> dict[str, dict[str, Any]]:
    """Four portal chats, as the chat page sends them; returns the leads by name, with the
    staff headers under "_staff"."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        signed_in = (
            await http.post("/api/auth/login", json={"email": DEMO_EMAIL, "password": PASSWORD})
        ).json()
        staff = {"Authorization": f"Bearer {signed_in['access_token']}"}
        for name, text in CHATS:
            chat = (await http.post(f"/api/portal/{SLUG}/sessions", json={"name": name})).json()
            sent = await http.post(
                "/api/portal/messages",
                headers={"Authorization": f"Bearer {chat['session_token']}"},
                json={"text": text},
            )
            assert sent.status_code == 201, sent.text
        for _ in range(160):  # the assistant's reply job captures them in the server
            listed = (await http.get("/api/leads", headers=staff)).json()
            if listed["total"] == len(CHATS):
                break
            await asyncio.sleep(0.25)
        else:
            raise AssertionError(f"leads never captured: {listed}")
        leads = {lead["name"]: lead for lead in listed["leads"]}
        # Grace was promised a call yesterday and is worth something: the follow-ups view
        # shows her as overdue.
        yesterday = (date.today() - timedelta(days=1)).isoformat()
        changed = await http.patch(
            f"/api/leads/{leads['Grace Liu']['id']}",
            headers=staff,
            json={"status": "qualified", "follow_up_on": yesterday, "value": 1200},
        )
        assert changed.status_code == 200, changed.text
        return {**leads, "_staff": {"headers": staff, "user": signed_in["user"]}}


async def one_more_writes_in(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        chat = (await http.post(f"/api/portal/{SLUG}/sessions", json={"name": "Leo"})).json()
        sent = await http.post(
            "/api/portal/messages",
            headers={"Authorization": f"Bearer {chat['session_token']}"},
            json={"text": "Leo Park here, leo.park@example.com, do you do Saturday check-ups?"},
        )
        assert sent.status_code == 201, sent.text


async def names_shown(page: Page) -> set[str]:
    rows = page.get_by_test_id("lead-row").locator(".person-name")
    return {text.strip() for text in await rows.all_inner_texts()}


async def download(page: Page, name: str) -> bytes:
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name=name).click()
    saved = await (await waiting.value).path()
    return saved.read_bytes()


async def test_lead_list_filters_bulk_edit_and_export(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    context = await browser.new_context(**DESKTOP, accept_downloads=True)
    if AXE.exists():
        await context.add_init_script(path=str(AXE))
    page = await context.new_page()
    problems = watch_console(page)
    await sign_in(page, live_server)

    # Before anyone wrote in, the page says how leads arrive.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Leads").click()
    await page.wait_for_url("**/app/leads")
    await expect(page.get_by_role("heading", name="No leads yet")).to_be_visible()
    await save_shot(page, tmp_path, "leads-empty-desktop")

    made = await customers_leave_details(live_server)
    await page.reload()
    await expect(page.get_by_test_id("lead-row")).to_have_count(4)
    assert await names_shown(page) == {name for name, _ in CHATS}
    grace = page.get_by_test_id("lead-row").filter(has_text="Grace Liu")
    await expect(grace).to_contain_text("grace.liu@example.org")
    await expect(grace).to_contain_text("Qualified")
    await expect(grace).to_contain_text("1,200")
    await expect(grace.locator(".lead-due--overdue")).to_be_visible()
    await expect(page.get_by_test_id("tab-due")).to_contain_text("1")
    await save_shot(page, tmp_path, "leads-list-desktop")
    if AXE.exists():
        assert not blocking({"leads": await axe_findings(page)})

    # Filter by status: picking one applies it.
    await page.get_by_label("Status", exact=True).select_option("qualified")
    await page.wait_for_url("**/app/leads?status=qualified")
    assert await names_shown(page) == {"Grace Liu"}
    await page.get_by_role("link", name="Clear").click()
    await expect(page.get_by_test_id("lead-row")).to_have_count(4)

    # Search looks at names, emails and phone numbers.
    search = page.get_by_role("searchbox", name="Search leads")
    await search.fill("555-0187")
    await search.press("Enter")
    await expect(page.get_by_test_id("lead-row")).to_have_count(1)
    assert await names_shown(page) == {"Omar Haddad"}
    await search.fill("")
    await search.press("Enter")
    await expect(page.get_by_test_id("lead-row")).to_have_count(4)

    # Bulk: Dana and Omar were called back.
    bar = page.locator("[data-lead-bulk]")
    await expect(bar.get_by_role("button", name="Change status")).to_be_hidden()
    await page.get_by_label("Select Dana Whitfield").check()
    await page.get_by_label("Select Omar Haddad").check()
    await expect(bar).to_contain_text("2 selected")
    await bar.get_by_label("New status for the ticked leads").select_option("contacted")
    await save_shot(page, tmp_path, "leads-bulk-desktop")
    await bar.get_by_role("button", name="Change status").click()
    await expect(page.get_by_text("2 leads marked contacted")).to_be_visible()
    for name in ("Dana Whitfield", "Omar Haddad"):
        row = page.get_by_test_id("lead-row").filter(has_text=name)
        await expect(row.get_by_test_id("lead-status")).to_have_text("Contacted")
    await page.get_by_label("Status", exact=True).select_option("contacted")
    await page.wait_for_url("**/app/leads?status=contacted")
    assert await names_shown(page) == {"Dana Whitfield", "Omar Haddad"}

    # The buttons export what the filters show, through the API.
    book = load_workbook(io.BytesIO(await download(page, "Export XLSX")), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("Name", "Email", "Phone", "Status"), header
    assert {r[0] for r in body} == {"Dana Whitfield", "Omar Haddad"}, body
    assert {r[3] for r in body} == {"Contacted"}, body
    text = (await download(page, "CSV")).decode("utf-8-sig")
    listed = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["Name"] for r in listed) == ["Dana Whitfield", "Omar Haddad"], listed
    assert {r["Status"] for r in listed} == {"Contacted"}

    # One lead: edit it beside its conversation.
    await page.get_by_role("link", name="Dana Whitfield").click()
    await page.wait_for_url(f"**/app/leads/{made['Dana Whitfield']['id']}")
    conversation = page.get_by_test_id("lead-conversation")
    await expect(conversation).to_have_count(1)
    await expect(conversation).to_contain_text("quote for whitening")
    inbox_link = conversation.get_by_role("link", name="Open in inbox")
    assert "/app/inbox?c=" in (await inbox_link.get_attribute("href") or "")
    next_week = (date.today() + timedelta(days=7)).isoformat()
    await page.get_by_label("Status").select_option("won")
    await page.get_by_label("Owner").select_option(label="Maya Patel")
    await page.get_by_label("Follow up on").fill(next_week)
    await page.get_by_label("Value").fill("350")
    await page.get_by_label("Notes").fill(
        "Booked whitening for the 14th; send the aftercare sheet."
    )
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Saved", exact=True)).to_be_visible()
    await expect(page.get_by_test_id("lead-status")).to_have_text("Won")
    await save_shot(page, tmp_path, "lead-detail-desktop")
    if AXE.exists():
        assert not blocking({"lead": await axe_findings(page)})
    async with httpx.AsyncClient(base_url=live_server) as http:
        stored = (
            await http.get(
                f"/api/leads/{made['Dana Whitfield']['id']}", headers=made["_staff"]["headers"]
            )
        ).json()
    assert stored["status"] == "won" and stored["value"] == 350
    assert stored["owner_id"] == made["_staff"]["user"]["id"]
    assert stored["follow_up_on"] == next_week and stored["notes"].startswith("Booked")

    # The follow-ups view: Grace, overdue since yesterday.
    await page.goto(live_server + "/app/leads")
    await page.get_by_test_id("tab-due").click()
    await page.wait_for_url("**/app/leads?follow_up=due")
    assert await names_shown(page) == {"Grace Liu"}
    await save_shot(page, tmp_path, "leads-follow-ups-desktop")
    # Someone leaves details while the list is open: the page offers to show them.
    await page.get_by_role("link", name="All leads").click()
    await expect(page.get_by_test_id("lead-row")).to_have_count(4)
    await one_more_writes_in(live_server)
    banner = page.locator("[data-new-leads]")
    await expect(banner).to_contain_text("1 new lead", timeout=20000)
    await save_shot(page, tmp_path, "leads-new-arrived-desktop")
    await banner.get_by_role("link", name="Show them").click()
    await expect(page.get_by_test_id("lead-row")).to_have_count(5)
    assert "Leo Park" in await names_shown(page)

    # A tablet: the table scrolls inside its card, the page itself does not.
    await page.set_viewport_size({"width": 820, "height": 1180})
    await page.goto(live_server + "/app/leads")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 820
    await save_shot(page, tmp_path, "leads-list-tablet")
    assert not problems, problems
    await context.close()

    phone = await browser.new_context(**PHONE)
    phone_page = await phone.new_page()
    problems = watch_console(phone_page)
    await sign_in(phone_page, live_server)
    await phone_page.goto(live_server + "/app/leads")
    await expect(phone_page.get_by_test_id("lead-row")).to_have_count(5)
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    await save_shot(phone_page, tmp_path, "leads-list-phone")
    await phone_page.goto(live_server + f"/app/leads/{made['Dana Whitfield']['id']}")
    await expect(phone_page.get_by_test_id("lead-conversation")).to_have_count(1)
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    await save_shot(phone_page, tmp_path, "lead-detail-phone")
    assert not problems, problems
    await phone.close()


async def test_leads_read_and_export_without_scripts(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    await customers_leave_details(live_server)
    context = await browser.new_context(**DESKTOP, java_script_enabled=False)
    page = await context.new_page()
    await sign_in(page, live_server)
    await page.goto(live_server + "/app/leads?status=qualified")
    assert await names_shown(page) == {"Grace Liu"}
    text = (await download(page, "CSV")).decode("utf-8-sig")
    assert [r["Name"] for r in csv.DictReader(io.StringIO(text))] == ["Grace Liu"]

    # The bulk bar posts its form; the page says what changed.
    await page.goto(live_server + "/app/leads")
    await page.get_by_label("Select Priya Nair").check()
    await page.get_by_label("New status for the ticked leads").select_option("lost")
    await page.get_by_role("button", name="Change status").click()
    await expect(page.get_by_text("1 lead updated.")).to_be_visible()
    row = page.get_by_test_id("lead-row").filter(has_text="Priya Nair")
    await expect(row.get_by_test_id("lead-status")).to_have_text("Lost")

    # And one lead's form saves by posting too.
    await row.get_by_role("link", name="Priya Nair").click()
    await page.get_by_label("Notes").fill("Moved away")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await expect(page.get_by_label("Notes")).to_have_value("Moved away")
    await context.close()
