"""Defects seen while trying the product as a new user would (issue 12), each in real
Chromium: the widget and Escape, the inbox's arrow keys, who a staff-rewritten draft comes
from, the portal header after a person was asked for, and the setup's time zone."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.web.test_browser import (
    PASSWORD,
    browser,
    demo_business,
    live_server,
    third_party_site,
    watch_console,
)
from tests.web.test_browser_chat import customer_says, staff_signed_in
from tests.web.test_browser_inbox_assistant import customer_session, staff_token

pytestmark = pytest.mark.browser
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser
SLUG = "bright-smile-dental"
PORTAL = f"/c/{SLUG}"


async def portal_session(page: Page) -> dict[str, str]:
    """The customer's session (the portal page keeps its token), as request headers."""
    token = await page.evaluate(f"localStorage.getItem('frontdesk.chat.{SLUG}')")
    assert token
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.usefixtures("demo_business")
async def test_escape_closes_the_widget_while_focus_is_inside_the_chat(
    browser: Browser, live_server: str
) -> None:
    host = (
        "<!doctype html><html><head><title>Corner Florist</title></head><body>"
        "<h1>Corner Florist</h1>"
        f'<script src="{live_server}/widget.js" data-workspace="{SLUG}" async></script>'
        "</body></html>"
    )
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    problems = watch_console(page)
    with third_party_site(host) as site:
        await page.goto(site)
        await page.get_by_role("button", name="Open chat").click()
        frame = page.frame_locator("iframe[title='Chat with us']")
        box = frame.get_by_label("Message Sunny")
        await box.click()  # focus is inside the chat's frame now
        await expect(box).to_be_focused()
        await page.keyboard.press("Escape")
        launcher = page.get_by_role("button", name="Open chat")
        await expect(launcher).to_have_attribute("aria-expanded", "false")
        await expect(launcher).to_be_focused()
        assert not await page.locator("iframe[title='Chat with us']").is_visible()
    assert problems == [], problems
    await page.close()


@pytest.mark.usefixtures("demo_business")
async def test_arrow_keys_then_enter_open_a_conversation_on_a_fresh_inbox(
    browser: Browser, live_server: str
) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        customer, _ = await customer_session(http)
        sent = await http.post(
            "/api/portal/messages", headers=customer, json={"text": "Do you take new patients?"}
        )
        sent.raise_for_status()
    staff = await staff_signed_in(browser, live_server)
    problems = watch_console(staff)
    await expect(staff.locator(".ib-row").first).to_be_visible(timeout=15000)
    await expect(staff.locator("[data-placeholder-keys]")).to_be_visible()  # the promise
    await staff.keyboard.press("ArrowDown")
    await expect(staff.locator(".ib-row").first).to_be_focused()
    await staff.keyboard.press("Enter")
    await expect(staff.locator("[data-thread]")).to_be_visible()
    await expect(staff.locator("[data-log]")).to_contain_text("Do you take new patients?")
    assert "?c=" in staff.url
    # The assistant's answer is in before the test ends (no write left when the next test
    # empties the database).
    await expect(staff.locator("[data-log] .ib-msg--assistant")).to_have_count(1, timeout=15000)
    assert problems == [], problems
    await staff.context.close()


@pytest.mark.usefixtures("demo_business")
async def test_a_draft_rewritten_by_staff_reaches_the_customer_from_the_team(
    browser: Browser, live_server: str
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    customer = await context.new_page()
    problems = watch_console(customer)
    await customer.goto(live_server + PORTAL)
    await expect(customer.locator("[data-chat][data-conn=online]")).to_be_visible(timeout=15000)
    session = await portal_session(customer)
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        state = (await http.get("/api/portal/session", headers=session)).json()
        conversation = state["conversation_id"]
        staff = await staff_token(http)
        mode = await http.patch(
            f"/api/conversations/{conversation}", headers=staff, json={"ai_mode": "draft"}
        )
        mode.raise_for_status()
        await customer_says(customer, "Is there parking near you?")
        draft = None
        for _ in range(100):
            listed = await http.get(f"/api/conversations/{conversation}/messages", headers=staff)
            body = listed.json()
            items = body["messages"] if isinstance(body, dict) else body
            draft = next((m for m in items if m["status"] == "draft"), None)
            if draft:
                break
            await asyncio.sleep(0.15)
        assert draft is not None and draft["sender_type"] == "assistant"
        approved = await http.post(
            f"/api/messages/{draft['id']}/approve",
            headers=staff,
            json={"text": "Yes: free parking behind the building, just ring at the gate."},
        )
        approved.raise_for_status()
    row = customer.locator("li.fd-row").filter(has_text="free parking behind the building")
    await expect(row).to_be_visible(timeout=15000)
    await expect(row).to_have_attribute("data-sender", "staff")
    await expect(row.locator(".fd-tag")).to_have_text("Team")
    assert problems == [], problems
    await context.close()


@pytest.mark.usefixtures("demo_business")
async def test_the_portal_header_says_a_person_is_coming_after_one_was_asked_for(
    browser: Browser, live_server: str
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    problems = watch_console(page)
    await page.goto(live_server + PORTAL)
    status = page.locator("[data-head-status]")
    await expect(status).to_have_text("Online", timeout=15000)
    await customer_says(page, "I need to talk to a real person please")
    await expect(status).to_have_text("A person will reply soon", timeout=15000)
    await page.reload()  # the session remembers it
    await expect(status).to_have_text("A person will reply soon", timeout=15000)
    assert problems == [], problems
    await context.close()


@pytest.mark.usefixtures("demo_business")
async def test_setup_starts_with_the_browsers_time_zone(browser: Browser, live_server: str) -> None:
    context = await browser.new_context(timezone_id="Asia/Kolkata")
    page = await context.new_page()
    await page.goto(live_server + "/register")
    await page.get_by_label("Your name").fill("Asha Rao")
    await page.get_by_label("Business name").fill("Asha's Physio")
    await page.get_by_label("Work email").fill("asha@physio.example")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Create my front desk").click()
    await page.wait_for_url("**/setup/business")
    await expect(page.get_by_label("Time zone")).to_have_value("Asia/Kolkata")
    await context.close()
