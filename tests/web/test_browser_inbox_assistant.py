"""What the assistant understood, shown to staff in the live inbox, in real Chromium.

A customer writes through the portal API; staff watch the inbox: the intent and details under
the message, the contact card, the "Needs a person" hand-over (live, then cleared) and the
summary. Screenshots at desktop and phone width land in ``screenshots/``.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import Backend
from tests.web.test_browser import (
    browser,
    demo_business,
    live_server,
    no_horizontal_scroll,
    shot,
    watch_console,
)
from tests.web.test_browser_chat import staff_signed_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser
SLUG = "bright-smile-dental"
FIRST = (
    "hi, my name is Dana Ortiz, dana@example.org, can someone call me back about prices? "
    "082 555 0199"
)


async def staff_token(http: httpx.AsyncClient) -> dict[str, str]:
    response = await http.post(
        "/api/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def customer_session(http: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    response = await http.post(f"/api/portal/{SLUG}/sessions", json={})
    response.raise_for_status()
    body = response.json()
    return {"Authorization": f"Bearer {body['session_token']}"}, body["conversation_id"]


async def customer_says(http: httpx.AsyncClient, customer: dict[str, str], text: str) -> None:
    response = await http.post("/api/portal/messages", json={"text": text}, headers=customer)
    response.raise_for_status()


async def open_details(page: Page) -> None:
    toggle = page.get_by_role("button", name="Customer details")
    if await toggle.get_attribute("aria-expanded") != "true":
        await toggle.click()
    await expect(page.get_by_test_id("contact-card")).to_be_visible()
    # Let the drawer finish sliding in, so clicks land without scrolling it.
    await page.locator("[data-details]").evaluate(
        "el => Promise.all(el.getAnimations().map((a) => a.finished))"
    )


async def test_staff_see_what_the_assistant_understood(
    browser: Browser, live_server: str, backend: Backend
) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        staff_api = await staff_token(http)
        response = await http.put("/api/workspace", json={"country": "ZA"}, headers=staff_api)
        response.raise_for_status()

        staff = await staff_signed_in(browser, live_server)
        problems = watch_console(staff)
        await expect(staff.locator("[data-conn]")).to_have_attribute("data-state", "live")

        customer, conversation_id = await customer_session(http)
        await customer_says(http, customer, FIRST)

        # The conversation arrives live; staff open it.
        row = staff.get_by_test_id("conversation-row").first
        await expect(row).to_be_visible(timeout=15000)
        await row.click()
        first = staff.get_by_test_id("message").filter(has_text="Dana Ortiz, dana@")
        understood = first.get_by_test_id("understood")
        await expect(understood.get_by_test_id("intent-chip")).to_contain_text(
            "Contact request", timeout=15000
        )
        await expect(understood).to_contain_text("+27825550199")
        await expect(understood).to_contain_text("dana@example.org")
        label = await understood.get_attribute("aria-label") or ""
        assert "Contact request" in label and "name Dana Ortiz" in label, label

        await open_details(staff)
        card = staff.get_by_test_id("contact-card")
        await expect(card).to_contain_text("Dana Ortiz", timeout=15000)
        await expect(card).to_contain_text("+27825550199")
        await expect(card).to_contain_text("dana@example.org")
        await staff.get_by_role("button", name="Close details").click()

        # A callback request is a promise a person keeps: the badge appears live, without
        # a reload; asking for a person in so many words is read as such.
        badge = staff.get_by_test_id("needs-person")
        await expect(badge).to_be_visible(timeout=15000)
        await expect(badge).to_have_text("Needs a person")
        await customer_says(http, customer, "I want to speak to a person")
        second = staff.get_by_test_id("message").filter(has_text="I want to speak to a person")
        await expect(second.get_by_test_id("intent-chip")).to_contain_text(
            "Wants a person", timeout=15000
        )
        await expect(row).to_contain_text("Needs a person")
        await staff.wait_for_timeout(400)  # the newest message's entrance animation
        await shot(staff, f"41-inbox-understood-{backend.name}")

        # The summary, in the details panel.
        await open_details(staff)
        await staff.get_by_role("button", name="Summarize this conversation").click()
        summary = staff.locator("[data-summary-text]")
        await expect(summary).to_have_text(re.compile(r"\w.{30,}", re.S), timeout=15000)
        await expect(staff.locator("[data-summary-foot]")).to_contain_text("built-in assistant")
        await expect(staff.get_by_role("button", name="Refresh the summary")).to_be_enabled()
        await shot(staff, f"42-inbox-details-{backend.name}")

        # The phone: the same conversation, its meta lines and the details drawer.
        phone_context = await browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        phone = await phone_context.new_page()
        phone_problems = watch_console(phone)
        await phone.goto(f"{live_server}/login?next=/app/inbox?c={conversation_id}")
        await phone.get_by_label("Email", exact=True).fill(DEMO_EMAIL)
        await phone.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        await phone.get_by_role("button", name="Sign in").click()
        await phone.wait_for_url("**/app/inbox?c=*")
        await expect(phone.get_by_test_id("intent-chip")).to_have_count(2, timeout=15000)
        await expect(phone.get_by_test_id("needs-person")).to_be_visible()
        assert await no_horizontal_scroll(phone)
        await shot(phone, f"43-inbox-understood-phone-{backend.name}")
        await open_details(phone)
        await expect(phone.get_by_test_id("contact-card")).to_contain_text("+27825550199")
        await shot(phone, f"44-inbox-details-phone-{backend.name}")
        await phone.get_by_role("button", name="Close details").click()

        # Staff mark it handled: the badge goes here and, live, on the phone too.
        await staff.get_by_role("button", name="Close details").click()
        await staff.get_by_role("button", name="Mark handled").click()
        await expect(badge).to_be_hidden()
        await expect(row).not_to_contain_text("Needs a person")
        await expect(phone.get_by_test_id("needs-person")).to_be_hidden(timeout=15000)
        response = await http.get(f"/api/conversations/{conversation_id}", headers=staff_api)
        assert response.json()["needs_human"] is False

        assert problems == [] and phone_problems == [], (problems, phone_problems)
        for context in (phone_context, staff.context):
            await context.close()
