"""The appointments page in real headless Chromium: next week's calendar shows the demo
clinic's bookings; staff book one (a taken time first, refused with free times offered, one
of which is taken), drag it to another day and hour (the API confirms the new time), mark
one completed, cancel theirs, and watch a booking made through the API meanwhile appear
without a reload. A phone shows the day view with no sideways scrolling. Screenshots at a
desktop and a phone viewport."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.web.test_a11y import AXE, axe_findings, blocking
from tests.web.test_browser import browser, demo_business, live_server, watch_console
from tests.web.test_browser_knowledge import DESKTOP, PHONE, save_shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]

ZONE = ZoneInfo("America/New_York")  # the demo clinic's


def next_monday() -> date:
    today = datetime.now(ZONE).date()
    return today + timedelta(days=7 - today.weekday())


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), ZONE).isoformat()


class Staff:
    """The demo owner, through the JSON API (as another device or the chat would)."""

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str], slug: str) -> None:
        self.http, self.headers, self.slug = http, headers, slug

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient) -> Staff:
        body = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        signed_in = (await http.post("/api/auth/login", json=body)).json()
        headers = {"Authorization": f"Bearer {signed_in['access_token']}"}
        return cls(http, headers, signed_in["workspace"]["slug"])

    async def services(self) -> dict[str, str]:
        listed = (await self.http.get("/api/services", headers=self.headers)).json()
        return {s["name"]: s["id"] for s in listed["services"]}

    async def book(self, service_id: str, start: str, name: str) -> dict[str, Any]:
        body = {"service_id": service_id, "start": start, "customer_name": name}
        made = await self.http.post("/api/appointments", json=body, headers=self.headers)
        assert made.status_code == 201, made.text
        return dict(made.json())

    async def get(self, appointment_id: str) -> dict[str, Any]:
        found = await self.http.get(f"/api/appointments/{appointment_id}", headers=self.headers)
        return dict(found.json())


async def drag(page: Page, block: Any, dx: float, dy: float) -> None:
    box = await block.bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + 8
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + dx / 2, y + dy / 2, steps=6)
    await page.mouse.move(x + dx, y + dy, steps=6)
    await page.mouse.up()


async def test_week_view_book_drag_cancel_and_live(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    monday = next_monday()
    tuesday, thursday, friday = (monday + timedelta(days=n) for n in (1, 3, 4))
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        staff = await Staff.sign_in(http)
        services = await staff.services()
        await staff.book(services["Cleaning"], at(tuesday, 9), "Maya Patel")
        await staff.book(services["Teeth whitening"], at(tuesday, 14), "Leo Brooks")
        await staff.book(services["Check-up"], at(thursday, 10), "Ana Ruiz")

        context = await browser.new_context(**DESKTOP)
        if AXE.exists():
            await context.add_init_script(path=str(AXE))
        page = await context.new_page()
        problems = watch_console(page)
        await sign_in(page, live_server)
        await page.get_by_role("link", name="Appointments").first.click()
        await page.wait_for_url("**/app/appointments")
        await page.goto(f"{live_server}/app/appointments?view=week&date={monday.isoformat()}")
        calendar = page.get_by_test_id("appointments")
        await expect(calendar).to_have_attribute("data-ready", "")
        blocks = page.get_by_test_id("appointment-block")
        await expect(blocks).to_have_count(3)
        await expect(blocks.filter(has_text="Maya Patel")).to_contain_text("Cleaning")
        await save_shot(page, tmp_path, "appointments-week-desktop")
        if AXE.exists():
            assert not blocking({"week": await axe_findings(page)})

        # Book Thursday 10:00, which Ana has: refused, with free times offered; take one.
        await page.get_by_role("button", name="New appointment").click()
        dialog = page.get_by_role("dialog", name="New appointment")
        await dialog.get_by_label("Service").select_option(label="Check-up · 20 min")
        await dialog.get_by_label("Date").fill(thursday.isoformat())
        await dialog.get_by_label("Time").fill("10:00")
        await dialog.get_by_label("Customer name").fill("Sam Okafor")
        await dialog.get_by_label("Email").fill("sam@example.com")
        await dialog.get_by_role("button", name="Book appointment").click()
        refusal = dialog.get_by_role("alert")
        await expect(refusal).to_contain_text("already booked")
        chips = refusal.get_by_test_id("slot-chip")
        await expect(chips.first).to_be_visible()
        await save_shot(page, tmp_path, "appointments-refused-desktop")
        if AXE.exists():
            assert not blocking({"create dialog": await axe_findings(page)})
        await chips.first.click()
        await dialog.get_by_role("button", name="Book appointment").click()
        await expect(dialog).to_be_hidden()
        sam = blocks.filter(has_text="Sam Okafor")
        await expect(sam).to_have_count(1)
        sam_id = await sam.get_attribute("data-id")
        assert sam_id
        booked = await staff.get(sam_id)
        assert booked["start"][:10] == thursday.isoformat()
        assert booked["start"] != at(thursday, 10)

        # Drag it one column right (Friday) and one hour down: the API has the new time.
        column = page.get_by_test_id("day-column").nth(3)
        column_box = await column.bounding_box()
        assert column_box
        hour_px = column_box["height"] / (
            int(await calendar.get_attribute("data-hour-last") or 0)
            - int(await calendar.get_attribute("data-hour-first") or 0)
        )
        await drag(page, sam, column_box["width"], hour_px)
        await expect(page.get_by_text("Moved to")).to_be_visible()
        moved = await staff.get(sam_id)
        before = datetime.fromisoformat(booked["start"])
        assert datetime.fromisoformat(moved["start"]) == before + timedelta(days=1, hours=1)
        assert moved["start"][:10] == friday.isoformat()
        await save_shot(page, tmp_path, "appointments-moved-desktop")

        # Mark Maya's cleaning completed, from its details.
        await blocks.filter(has_text="Maya Patel").click()
        details = page.get_by_role("dialog", name="Maya Patel")
        await expect(details).to_contain_text("Cleaning")
        await save_shot(page, tmp_path, "appointments-details-desktop")
        if AXE.exists():
            assert not blocking({"details dialog": await axe_findings(page)})
        await details.get_by_role("button", name="Completed").click()
        await expect(details.locator("[data-d-status]")).to_have_text("Completed")
        await details.get_by_role("button", name="Close").click()
        maya = blocks.filter(has_text="Maya Patel")
        await expect(maya).to_have_class(re.compile(r"\bap-block--completed\b"))

        # Cancel Sam's: confirmed, gone from the calendar, cancelled in the API.
        await sam.click()
        await page.get_by_role("button", name="Cancel appointment").click()
        await (
            page.get_by_role("dialog", name="Cancel this appointment?")
            .get_by_role("button", name="Cancel appointment")
            .click()
        )
        await expect(blocks.filter(has_text="Sam Okafor")).to_have_count(0)
        assert (await staff.get(sam_id))["status"] == "cancelled"

        # Booked elsewhere meanwhile: it appears without a reload.
        await staff.book(services["New patient consultation"], at(friday, 9), "Priya Shah")
        await expect(blocks.filter(has_text="Priya Shah")).to_have_count(1, timeout=15000)
        await save_shot(page, tmp_path, "appointments-live-desktop")

        await page.get_by_role("link", name="List").click()
        await expect(page.get_by_test_id("appointment-row").first).to_be_visible()
        await page.goto(
            f"{live_server}/app/appointments?view=list&from={monday.isoformat()}"
            f"&to={(monday + timedelta(days=6)).isoformat()}"
        )
        await expect(page.get_by_test_id("appointment-row")).to_have_count(5)
        await save_shot(page, tmp_path, "appointments-list-desktop")
        # The refused booking's 409 is logged by the browser; nothing else may be.
        assert [p for p in problems if "409" not in p] == [], problems

    phone = await browser.new_context(**PHONE)
    phone_page = await phone.new_page()
    await sign_in(phone_page, live_server)
    await phone_page.goto(f"{live_server}/app/appointments?view=day&date={tuesday.isoformat()}")
    await expect(phone_page.get_by_test_id("appointment-block")).to_have_count(2)
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    await save_shot(phone_page, tmp_path, "appointments-day-phone")
    await phone_page.get_by_role("button", name="New appointment").click()
    phone_dialog = phone_page.get_by_role("dialog", name="New appointment")
    await expect(phone_dialog.get_by_test_id("slot-chip").first).to_be_visible()
    await save_shot(phone_page, tmp_path, "appointments-new-phone")
    await phone_dialog.get_by_role("button", name="Cancel").click()
    await phone_page.goto(f"{live_server}/app/appointments?view=week&date={monday.isoformat()}")
    await expect(phone_page.get_by_test_id("appointment-block").first).to_be_visible()
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    await save_shot(phone_page, tmp_path, "appointments-week-phone")


async def test_a_chat_booking_links_the_inbox_and_the_calendar(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    """The customer's conversation lists their booking; its link opens the calendar with the
    booking's details, whose link goes back to the conversation."""
    tuesday = next_monday() + timedelta(days=1)
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        staff = await Staff.sign_in(http)
        chat = (await http.post(f"/api/portal/{staff.slug}/sessions", json={})).json()
        customer = {"Authorization": f"Bearer {chat['session_token']}"}
        text = "hi, I'm Dana Ortiz, dana.ortiz@example.org, I'd like a cleaning"
        sent = await http.post("/api/portal/messages", json={"text": text}, headers=customer)
        assert sent.status_code in (200, 201), sent.text
        contact: dict[str, Any] = {}
        for _ in range(80):  # the assistant saves the contact as it answers
            found = (await http.get("/api/contacts", headers=staff.headers)).json()["contacts"]
            if found:
                contact = found[0]
                break
            await asyncio.sleep(0.25)
        assert contact, "the contact was never saved"
        detail = (await http.get(f"/api/contacts/{contact['id']}", headers=staff.headers)).json()
        conversation_id = detail["conversation_ids"][0]
        services = await staff.services()
        body = {
            "service_id": services["Cleaning"],
            "start": at(tuesday, 11),
            "customer_name": "Dana Ortiz",
            "contact_id": contact["id"],
            "conversation_id": conversation_id,
        }
        made = await http.post("/api/appointments", json=body, headers=staff.headers)
        assert made.status_code == 201, made.text

    context = await browser.new_context(**DESKTOP)
    page = await context.new_page()
    problems = watch_console(page)
    await sign_in(page, live_server)
    await page.goto(f"{live_server}/app/inbox?c={conversation_id}")
    bookings = page.get_by_test_id("customer-appointments")
    toggle = page.get_by_role("button", name="Customer details")
    if await toggle.is_visible() and await toggle.get_attribute("aria-expanded") != "true":
        await toggle.click()
    await expect(bookings).to_be_visible()
    await expect(bookings).to_contain_text("Cleaning")
    await save_shot(page, tmp_path, "appointments-inbox-link-desktop")
    await bookings.get_by_role("link").first.click()
    await page.wait_for_url("**/app/appointments?view=day*")
    details = page.get_by_role("dialog", name="Dana Ortiz")
    await expect(details).to_be_visible()
    await details.get_by_role("link", name="Open the conversation that booked it").click()
    await page.wait_for_url(f"**/app/inbox?c={conversation_id}")
    assert not problems, problems
