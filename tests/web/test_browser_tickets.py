"""The tickets pages in real headless Chromium: customers complain in the portal chat (through
the public API, as the portal does) and their tickets appear on the open page without a
reload; staff filter by priority and category, open a ticket beside its conversation, assign
it, write an internal note, start work and mark it fixed, and the customer's chat shows each
status update. Screenshots at a desktop and a phone viewport."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.demo import DEMO_EMAIL
from frontdesk.demo import DEMO_PASSWORD as PASSWORD
from tests.web.test_a11y import AXE, axe_findings, blocking
from tests.web.test_browser import (
    browser,
    demo_business,
    live_server,
    no_horizontal_scroll,
    watch_console,
)
from tests.web.test_browser_knowledge import DESKTOP, PHONE, save_shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]

BILLING = (
    "You charged my card twice for last week's visit and nobody has replied to my emails. "
    "This is unacceptable, I want my money back."
)
TECHNICAL = "The patient portal shows an error page every time I log in, I tried two browsers."


@dataclass
class Customer:
    token: str
    conversation_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def _staff(http: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    signed_in = (
        await http.post("/api/auth/login", json={"email": DEMO_EMAIL, "password": PASSWORD})
    ).json()
    return {"Authorization": f"Bearer {signed_in['access_token']}"}, signed_in["workspace"]["slug"]


async def complain(base: str, name: str, text: str) -> Customer:
    """A customer opens the chat and reports a problem; returns once their ticket exists."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        staff, slug = await _staff(http)
        chat = (await http.post(f"/api/portal/{slug}/sessions", json={"name": name})).json()
        customer = Customer(chat["session_token"], chat["conversation_id"])
        sent = await http.post(
            "/api/portal/messages", headers=customer.headers, json={"text": text}
        )
        assert sent.status_code == 201, sent.text
        for _ in range(160):  # the assistant's turn is a job in the server
            listed = (await http.get("/api/tickets", headers=staff)).json()["tickets"]
            if any(t["conversation_id"] == customer.conversation_id for t in listed):
                return customer
            await asyncio.sleep(0.25)
        said = (await http.get("/api/portal/messages", headers=customer.headers)).json()
    raise AssertionError(f"no ticket for {name}: {said}")


async def ticket_of(base: str, customer: Customer) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        staff, _slug = await _staff(http)
        listed = (await http.get("/api/tickets", headers=staff)).json()["tickets"]
    return next(t for t in listed if t["conversation_id"] == customer.conversation_id)


async def chat_lines(base: str, customer: Customer) -> list[str]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.get("/api/portal/messages", headers=customer.headers)
    return [m["text"] for m in response.json()["messages"]]


async def axe_clean(page: Page, name: str) -> None:
    if AXE.exists():
        assert blocking({name: await axe_findings(page)}) == {}


async def test_tickets_arrive_live_are_filtered_and_worked_to_fixed(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    context = await browser.new_context(**DESKTOP)
    if AXE.exists():
        await context.add_init_script(path=str(AXE))
    page = await context.new_page()
    problems = watch_console(page)
    await sign_in(page, live_server)

    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Tickets")
    await nav_link.click()
    await page.wait_for_url("**/app/tickets")
    await expect(nav_link).to_have_attribute("aria-current", "page")
    await expect(page.get_by_text("No tickets yet")).to_be_visible()

    # Complaints in the chat open tickets, and the open page shows them without a reload.
    billing = await complain(live_server, "Dana Ortiz", BILLING)
    rows = page.get_by_test_id("ticket-row")
    await expect(rows).to_have_count(1, timeout=15000)
    technical = await complain(live_server, "Leo Park", TECHNICAL)
    await expect(rows).to_have_count(2, timeout=15000)
    billing_ticket = await ticket_of(live_server, billing)
    technical_ticket = await ticket_of(live_server, technical)
    assert billing_ticket["category"] == "billing_payment"
    assert billing_ticket["priority"] == "urgent"
    assert technical_ticket["category"] == "technical"
    assert technical_ticket["priority"] != "urgent"
    await expect(rows.first).to_contain_text(billing_ticket["reference"])  # urgent first
    await expect(rows.first.get_by_test_id("ticket-priority")).to_have_text("Urgent")
    await expect(page.get_by_test_id("stat-urgent")).to_contain_text("1")
    await expect(page.get_by_test_id("stat-new")).to_contain_text("2")
    await save_shot(page, tmp_path, "tickets-list-desktop")
    await axe_clean(page, "tickets list")

    # Quick filters apply as they change, and the address keeps them.
    await page.get_by_label("Priority").select_option("urgent")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Dana Ortiz")
    await expect(page).to_have_url(f"{live_server}/app/tickets?priority=urgent")
    await page.get_by_label("Priority").select_option("")
    await page.get_by_label("Category").select_option("technical")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Leo Park")
    await expect(rows.first).to_contain_text("Technical")
    await save_shot(page, tmp_path, "tickets-filtered-desktop")
    await page.get_by_label("Category").select_option("")
    await expect(rows).to_have_count(2)
    await page.get_by_label("Search tickets").fill(billing_ticket["reference"])
    await expect(page).to_have_url(f"{live_server}/app/tickets?q={billing_ticket['reference']}")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Dana Ortiz")

    # The ticket view: the conversation, the summary, and the work on it.
    await rows.first.get_by_role("link").click()
    await page.wait_for_url(f"**/app/tickets/{billing_ticket['id']}")
    view = page.get_by_test_id("ticket-view")
    await expect(page.get_by_test_id("ticket-chat")).to_contain_text("charged my card twice")
    await expect(view.get_by_text("a refund")).to_be_visible()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("Pending")

    await page.get_by_label("Assignee").select_option(label="Maya Patel")
    await page.get_by_role("button", name="Save details").click()
    history = page.get_by_test_id("ticket-history")
    await expect(history).to_contain_text("assigned the ticket to Maya Patel")

    await page.get_by_label("Internal note").fill("Two charges of $120 on Nov 28; refund one.")
    await page.get_by_role("button", name="Add note").click()
    await expect(history).to_contain_text("Two charges of $120 on Nov 28; refund one.")
    await expect(page.get_by_label("Internal note")).to_have_value("")

    await page.get_by_role("button", name="Start work").click()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("In progress")
    await expect(history).to_contain_text("changed the status from Pending to In progress")
    await page.get_by_role("button", name="Mark fixed").click()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("Fixed")
    # The customer's status lines show in the conversation beside the ticket, live.
    await expect(page.get_by_test_id("ticket-chat")).to_contain_text("marked it fixed")
    said = page.get_by_role("status").filter(has_text="Marked fixed")
    await expect(said).to_be_visible()
    await said.get_by_role("button", name="Dismiss").click()
    await expect(page.locator(".ib-toast")).to_have_count(0)
    await save_shot(page, tmp_path, "ticket-view-desktop")
    await axe_clean(page, "ticket view")

    # The customer's chat got every status update.
    lines = await chat_lines(live_server, billing)
    reference = billing_ticket["reference"]
    assert any(reference in line and "working on it" in line for line in lines), lines
    assert any(reference in line and "Is everything working" in line for line in lines), lines
    assert reference in lines[-1]

    # Phone: the list and the ticket fit the width.
    phone = await browser.new_context(**PHONE)
    if AXE.exists():
        await phone.add_init_script(path=str(AXE))
    phone_page = await phone.new_page()
    problems += watch_console(phone_page)
    await sign_in(phone_page, live_server)
    await phone_page.goto(live_server + "/app/tickets")
    await expect(phone_page.get_by_test_id("ticket-row")).to_have_count(2)
    assert await no_horizontal_scroll(phone_page)
    await save_shot(phone_page, tmp_path, "tickets-list-phone")
    await axe_clean(phone_page, "tickets list, phone")
    await phone_page.goto(f"{live_server}/app/tickets/{billing_ticket['id']}")
    await expect(phone_page.get_by_test_id("ticket-status")).to_have_text("Fixed")
    assert await no_horizontal_scroll(phone_page)
    await save_shot(phone_page, tmp_path, "ticket-view-phone")
    await axe_clean(phone_page, "ticket view, phone")
    # A tablet: the list's columns share the width without a sideways scroll.
    await page.set_viewport_size({"width": 820, "height": 1180})
    await page.goto(live_server + "/app/tickets")
    await expect(rows).to_have_count(2)
    assert await no_horizontal_scroll(page)
    await save_shot(page, tmp_path, "tickets-list-tablet")
    assert not problems, problems
