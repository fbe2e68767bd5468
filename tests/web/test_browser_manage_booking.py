"""The customer's manage-booking page in real headless Chromium, from the link in the
confirmation mail (a real SMTP server on loopback): move to another time, then cancel, at a
desktop and a phone viewport. Screenshots of each."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import async_playwright, expect

from tests.appointments.helpers import add_service, book, business, local, next_weekday
from tests.conftest import Backend, empty_database, unavailable
from tests.mail.smtp_sink import SmtpSink
from tests.servers import thread_server
from tests.web.test_a11y import AXE, axe_findings, blocking
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, no_horizontal_scroll, watch_console
from tests.web.test_browser_knowledge import DESKTOP, PHONE, save_shot

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://[^/\s]+(/c/[\w-]+/booking/[\w-]+)")


async def test_a_customer_moves_then_cancels_from_the_mail(
    backend: Backend, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 - one stat, before any I/O loop
        unavailable(f"Chromium not found at {CHROMIUM}")
    from frontdesk.kit.db import Database

    db = Database(backend.url)
    await empty_database(db)
    await db.dispose()
    monday = next_weekday(0)
    with SmtpSink() as sink, thread_server(backend.settings(**sink.settings())) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            owner = await business(http)
            service = await add_service(http, owner, name="Teeth cleaning", duration_minutes=45)
            made = await book(http, owner, service["id"], local(monday, "10:00"))
            assert made.status_code == 201, made.text
        [mail] = await sink.arrived(1)
        found = LINK.search(mail.message.get_body(("plain",)).get_content())
        assert found
        path = found.group(1)

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = await browser.new_context(java_script_enabled=False, **DESKTOP)
            if AXE.exists():
                await context.add_init_script(path=str(AXE))
            page = await context.new_page()
            problems = watch_console(page)
            await page.goto(base + path)
            await expect(page.get_by_test_id("booking-status")).to_have_text("Booked")
            await page.get_by_role("link", name="Later").click()  # three days at a time
            await page.goto(f"{base}{path}?start={monday.isoformat()}")
            await expect(page.get_by_test_id("booking-when")).to_contain_text("10:00 am")
            await save_shot(page, tmp_path, "manage-booking-desktop")

            # No scripts: the radio and the form post are the browser's own.
            monday_times = page.locator("fieldset", has_text=f"Monday, {monday:%B} {monday.day}")
            await monday_times.locator(".booking-slot", has_text="2:00 pm").click()
            await page.get_by_role("button", name="Move my booking").click()
            await expect(page.get_by_text("Your booking has been moved")).to_be_visible()
            await expect(page.get_by_test_id("booking-when")).to_contain_text("2:00 pm")
            await save_shot(page, tmp_path, "manage-booking-moved-desktop")
            await sink.arrived(2)

            phone = await browser.new_context(**PHONE)
            if AXE.exists():
                await phone.add_init_script(path=str(AXE))
            small = await phone.new_page()
            await small.goto(base + path)
            await expect(small.get_by_test_id("booking-when")).to_contain_text("2:00 pm")
            assert await no_horizontal_scroll(small)
            await save_shot(small, tmp_path, "manage-booking-phone")
            if AXE.exists():
                assert not blocking({"manage booking": await axe_findings(small)})
            await small.get_by_role("button", name="Cancel my booking").click()
            await expect(small.get_by_text("Your booking is cancelled")).to_be_visible()
            await expect(small.get_by_test_id("booking-status")).to_have_text("Cancelled")
            await save_shot(small, tmp_path, "manage-booking-cancelled-phone")
            messages = await sink.arrived(3)
            assert "CANCEL" in messages[2].data.decode(errors="replace")
            assert problems == []
            await browser.close()
