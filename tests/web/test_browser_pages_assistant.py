"""Contacts and the assistant's brain (reply engine, custom intents) in real headless Chromium.

Screenshots (desktop and phone) land in ``screenshots/`` with the other browser tests'.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import Backend
from tests.factories import Chat, say, start_chat
from tests.web.test_browser import (
    browser,
    demo_business,
    live_server,
    no_horizontal_scroll,
    shot,
    watch_console,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser
SLUG = "bright-smile-dental"
DANA = "hi, my name is Dana Ortiz, dana@example.org, 082 555 0199, call me back about prices"
SECRET_KEY = "sk-test-never-shown-0123456789"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


async def signed_in(browser: Browser, live_server: str, path: str, **context: Any) -> Page:
    options = {"viewport": {"width": 1280, "height": 800}, **context}
    page = await (await browser.new_context(**options)).new_page()
    await page.goto(f"{live_server}/login?next={path}")
    await page.get_by_label("Email", exact=True).fill(DEMO_EMAIL)
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"**{path}")
    return page


async def dana_writes_in(live_server: str) -> Chat:
    """A customer in South Africa leaves her details in the portal; the assistant's turn (a
    background job) saves them as a contact before it replies."""
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        login = await http.post(
            "/api/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        staff = {"Authorization": f"Bearer {login.json()['access_token']}"}
        country = await http.put("/api/workspace", headers=staff, json={"country": "ZA"})
        assert country.status_code == 200, country.text
        chat = await start_chat(http, SLUG)
        sent = await say(http, chat, DANA)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            after = await http.get(
                "/api/portal/messages", headers=chat.headers, params={"after": sent["id"]}
            )
            if any(m["sender_type"] == "assistant" for m in after.json()["messages"]):
                return chat
            await asyncio.sleep(0.2)
    raise AssertionError("the assistant did not reply to Dana")


async def test_contacts_list_search_and_open_the_conversation(
    browser: Browser, live_server: str, backend: Backend
) -> None:
    page = await signed_in(browser, live_server, "/app/contacts")
    problems = watch_console(page)
    await expect(
        page.get_by_text("Details customers give the assistant appear here")
    ).to_be_visible()
    await shot(page, f"50-contacts-empty-{backend.name}")

    chat = await dana_writes_in(live_server)
    await page.reload()
    row = page.get_by_test_id("contact-row").filter(has_text="Dana Ortiz")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("dana@example.org")
    await expect(row).to_contain_text("+27825550199")
    await expect(row).to_contain_text("prices")
    await shot(page, f"51-contacts-{backend.name}")
    assert await no_horizontal_scroll(page)

    search = page.get_by_role("searchbox", name="Search contacts")
    await search.fill("nobody@nowhere")
    await search.press("Enter")
    await expect(page.get_by_text("No contact matches “nobody@nowhere”")).to_be_visible()
    await expect(page.get_by_test_id("contact-row")).to_have_count(0)
    await search.fill("+2782555")
    await search.press("Enter")
    await expect(page.get_by_test_id("contact-row")).to_have_count(1)
    assert await search.input_value() == "+2782555"

    # The name leads to Dana's conversation in the inbox (a page of its own: the inbox's
    # scripts are not what this test watches).
    inbox = await page.context.new_page()
    await inbox.goto(page.url)
    await inbox.get_by_role("link", name=re.compile("Dana Ortiz")).click()
    await inbox.wait_for_url(f"**/app/inbox?c={chat.conversation_id}")
    await inbox.close()

    phone = await signed_in(browser, live_server, "/app/contacts", **PHONE)
    await expect(phone.get_by_test_id("contact-row")).to_contain_text("+27825550199")
    assert await no_horizontal_scroll(phone)
    await shot(phone, f"52-contacts-phone-{backend.name}")
    assert problems == [], problems
    await phone.context.close()
    await page.context.close()


async def test_engine_key_is_write_only_and_intents_are_taught_through_forms(
    browser: Browser, live_server: str, backend: Backend
) -> None:
    page = await signed_in(browser, live_server, "/app/brain")
    problems = watch_console(page)
    await expect(page.get_by_role("radio", name=re.compile("^Local"))).to_be_checked()
    rows = page.get_by_test_id("intent-row")
    before = await rows.count()  # the demo business may come with intents of its own

    # A custom intent, through the form.
    await page.get_by_label("Name", exact=True).fill("Parking")
    await page.get_by_label("Example questions").fill(
        "Where can I park?\nIs there parking nearby?\nCan I leave my car outside?"
    )
    await page.get_by_label("Answer", exact=True).fill("Free parking right behind the building.")
    await page.get_by_role("button", name="Add intent").click()
    await page.wait_for_url("**/app/brain?done=intent*")
    intent = page.get_by_test_id("intent-row").filter(has_text="parking")
    await expect(intent).to_contain_text("3 examples")
    await expect(intent).to_contain_text("Answers")

    # One example is not enough: the error says so and everything typed is still there.
    await page.get_by_label("Name", exact=True).fill("late arrival")
    await page.get_by_label("Example questions").fill("I'm running late")
    await page.locator("label.action-opt", has_text="Hand over").click()
    await page.get_by_label("Answer", exact=True).fill("No problem, we'll wait for you.")
    await page.get_by_role("button", name="Add intent").click()
    error = page.locator("#intent-examples-error")
    await expect(error).to_have_text("Give at least two different example phrases, one per line.")
    assert await page.get_by_label("Name", exact=True).input_value() == "late arrival"
    assert await page.get_by_label("Example questions").input_value() == "I'm running late"
    assert await page.get_by_label("Answer", exact=True).input_value() == (
        "No problem, we'll wait for you."
    )
    await expect(page.get_by_role("radio", name="Hand over")).to_be_checked()
    await expect(rows).to_have_count(before + 1)
    await page.evaluate("window.scrollTo(0, 0)")  # the sticky sidebar at the top of the shot
    await shot(page, f"53-brain-intent-error-{backend.name}")
    # The form's answer is a 422, which Chromium logs; nothing else went wrong.
    assert [p for p in problems if "status of 422" not in p] == [], problems
    problems.clear()

    # An OpenAI-compatible engine with a key; the key never comes back to the page.
    await page.goto(live_server + "/app/brain")
    await page.locator("label.choice", has_text="OpenAI-compatible").click()
    await page.get_by_label("Base URL").fill("http://127.0.0.1:9/v1")
    await page.get_by_label("Model", exact=True).fill("gpt-4o-mini")
    await page.get_by_label("API key").fill(SECRET_KEY)
    await page.get_by_role("button", name="Save engine").click()
    await page.wait_for_url("**/app/brain?done=engine")
    await page.reload()
    html = await page.content()
    assert SECRET_KEY not in html and SECRET_KEY[-10:] not in html
    assert "A key is saved" in html
    assert await page.get_by_label("API key").input_value() == ""
    await expect(page.get_by_role("radio", name=re.compile("^OpenAI-compatible"))).to_be_checked()
    assert await page.get_by_label("Model", exact=True).input_value() == "gpt-4o-mini"
    await shot(page, f"54-brain-{backend.name}")

    # Back to Local: the saved key stays until it is removed.
    await page.locator("label.choice", has_text="No key, works offline").click()
    await expect(page.get_by_label("API key")).to_be_hidden()
    await page.get_by_role("button", name="Save engine").click()
    await page.wait_for_url("**/app/brain?done=engine")
    await expect(page.get_by_role("radio", name=re.compile("^Local"))).to_be_checked()
    assert "A key is saved" in await page.content()
    await page.locator("label.choice", has_text="OpenAI-compatible").click()
    await page.get_by_label("Remove the saved key").check()
    await page.locator("label.choice", has_text="No key, works offline").click()
    await page.get_by_role("button", name="Save engine").click()
    await page.wait_for_url("**/app/brain?done=engine")
    assert "A key is saved" not in await page.content()

    phone = await signed_in(browser, live_server, "/app/brain", **PHONE)
    assert await no_horizontal_scroll(phone)
    await shot(phone, f"55-brain-phone-{backend.name}")
    await phone.context.close()

    # Deleting asks first.
    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await intent.get_by_role("button", name="Delete parking").click()
    await page.wait_for_url("**/app/brain?done=deleted*")
    await expect(rows).to_have_count(before)
    await expect(rows.filter(has_text="parking")).to_have_count(0)
    assert problems == [], problems
    await page.context.close()
