"""The live conversation in two real browsers: a customer in the portal, staff in the inbox.

Screenshots of the portal (desktop and phone) and the inbox land in ``screenshots/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests import media
from tests.conftest import Backend
from tests.web.test_browser import browser, demo_business, live_server, shot, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser
PORTAL = "/c/bright-smile-dental"


async def staff_signed_in(browser: Browser, live_server: str) -> Page:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    await page.goto(live_server + "/login?next=/app/inbox")
    await page.get_by_label("Email", exact=True).fill(DEMO_EMAIL)
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/app/inbox")
    return page


async def customer_says(page: Page, text: str) -> None:
    box = page.get_by_label("Message Sunny")
    await box.fill(text)
    await box.press("Enter")


def assistant_rows(page: Page) -> Locator:
    return page.locator("li[data-sender='assistant']")


async def test_customer_and_staff_live_with_draft_review(
    browser: Browser, live_server: str, backend: Backend, tmp_path: Path
) -> None:
    staff = await staff_signed_in(browser, live_server)
    staff_problems = watch_console(staff)
    customer_context = await browser.new_context(viewport={"width": 1280, "height": 800})
    customer = await customer_context.new_page()
    customer_problems = watch_console(customer)
    await customer.goto(live_server + PORTAL)

    await customer_says(customer, "What are your opening hours?")
    await expect(assistant_rows(customer)).to_have_count(2, timeout=15000)  # greeting + reply
    await expect(assistant_rows(customer).last).to_contain_text("Monday")

    # A file, through the composer's file input.
    image = tmp_path / "receipt.png"
    image.write_bytes(media.png(64, 48))
    await customer.locator("input[type=file]").first.set_input_files(str(image))
    await customer.get_by_label("Message Sunny").press("Enter")
    await expect(customer.locator("img[src^='/files/']").first).to_be_visible(timeout=15000)
    await expect(assistant_rows(customer)).to_have_count(3, timeout=15000)
    await expect(assistant_rows(customer).last).to_contain_text("received your file")

    # Staff see the conversation arrive live and open it.
    row = staff.locator(".ib-row").filter(has_text="Visitor").first
    await expect(row).to_be_visible(timeout=15000)
    await row.click()
    await expect(staff.locator("[data-log]")).to_contain_text("What are your opening hours?")
    await staff.locator("label.seg-opt", has_text="Draft").click()
    await expect(staff.locator("input[data-aimode][value=draft]")).to_be_checked()

    # In draft mode the next reply waits for staff; the customer sees nothing yet.
    await customer_says(customer, "Is there parking near you?")
    draft = staff.locator(".ib-draft-card")
    await expect(draft).to_be_visible(timeout=15000)
    await expect(assistant_rows(customer)).to_have_count(3)
    original = await draft.locator(".ib-draft-body").inner_text()

    await draft.get_by_role("button", name="Revise with AI").click()
    await staff.locator("[data-revise-input]").fill("shorter and warmer")
    await staff.get_by_role("button", name="Rewrite").click()
    await expect(draft.locator(".ib-draft-body")).not_to_have_text(original, timeout=10000)
    revised = (await draft.locator(".ib-draft-body").inner_text()).strip()
    assert revised.startswith(("Happy to help", "Thanks so much")), revised
    await shot(staff, f"31-inbox-draft-{backend.name}")
    await draft.get_by_role("button", name="Approve & send").click()

    await expect(assistant_rows(customer)).to_have_count(4, timeout=15000)
    await expect(assistant_rows(customer).last).to_contain_text(revised[:20])
    await customer.wait_for_timeout(500)  # let the smooth scroll to the newest message end
    await shot(customer, f"32-portal-desktop-{backend.name}")
    await shot(staff, f"33-inbox-{backend.name}")

    phone_context = await browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    phone = await phone_context.new_page()
    await phone.goto(live_server + PORTAL)
    await customer_says(phone, "Hi there")
    await expect(assistant_rows(phone)).to_have_count(2, timeout=15000)
    await shot(phone, f"34-portal-phone-{backend.name}")
    assert re.search(r"Hello|Hi", await assistant_rows(phone).last.inner_text())
    assert staff_problems == [] and customer_problems == [], (staff_problems, customer_problems)
    for context in (customer_context, phone_context, staff.context):
        await context.close()
