"""The documents review page in real headless Chromium: a customer sends a receipt photo (drawn
at test time) in the portal chat, staff find it waiting with the amount and reference read from
it, see the photo beside the fields, approve it, and the customer's chat says so. Screenshots
at a desktop and a phone viewport."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from frontdesk.demo import DEMO_EMAIL
from frontdesk.demo import DEMO_PASSWORD as PASSWORD
from tests.documents.receipt_images import RECEIPTS, draw
from tests.web.test_a11y import AXE, axe_findings, blocking
from tests.web.test_browser import browser, demo_business, live_server, watch_console
from tests.web.test_browser_knowledge import DESKTOP, PHONE, save_shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]


async def customer_sends_receipt(base: str) -> str:
    """Through the public API, as the portal does; returns the customer's session token."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        signed_in = (
            await http.post("/api/auth/login", json={"email": DEMO_EMAIL, "password": PASSWORD})
        ).json()
        staff = {"Authorization": f"Bearer {signed_in['access_token']}"}
        slug = signed_in["workspace"]["slug"]
        chat = (await http.post(f"/api/portal/{slug}/sessions", json={"name": "John Smith"})).json()
        customer = {"Authorization": f"Bearer {chat['session_token']}"}
        sent = await http.post(
            "/api/portal/messages",
            headers=customer,
            data={"text": "Here is the receipt for invoice INV-2041"},
            files={"file": ("receipt.png", draw(RECEIPTS[0]))},
        )
        assert sent.status_code == 201, sent.text
        for _ in range(120):  # the reading job runs in the server (OCR: about a second)
            listed = (await http.get("/api/documents", headers=staff)).json()["documents"]
            if listed and listed[0]["read_status"] != "pending":
                return str(chat["session_token"])
            await asyncio.sleep(0.25)
    raise AssertionError("the receipt was never read")


async def test_review_a_receipt_beside_its_photo(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    customer_token = await customer_sends_receipt(live_server)
    context = await browser.new_context(**DESKTOP)
    if AXE.exists():
        await context.add_init_script(path=str(AXE))
    page = await context.new_page()
    problems = watch_console(page)
    await sign_in(page, live_server)

    await page.get_by_role("link", name="Documents").first.click()
    await page.wait_for_url("**/app/documents")
    row = page.get_by_test_id("document-row")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("$1,234.50")
    await expect(row).to_contain_text("INV-2041")
    await save_shot(page, tmp_path, "documents-queue-desktop")

    await row.get_by_role("link", name="John Smith").click()
    await expect(page.get_by_test_id("document-amount")).to_have_text("$1,234.50")
    await expect(page.get_by_test_id("document-reference")).to_have_text("INV-2041")
    image = page.get_by_role("img", name="receipt.png as the customer sent it")
    await expect(image).to_be_visible()
    assert await image.evaluate("i => i.complete && i.naturalWidth > 100")  # the photo loaded
    await save_shot(page, tmp_path, "document-review-desktop")
    if AXE.exists():
        assert not blocking({"document": await axe_findings(page)})

    await page.get_by_label("Note for your team").fill("Matches the bank statement")
    await page.get_by_role("button", name="Approve").click()
    await expect(page.get_by_test_id("document-status")).to_have_text("Approved")
    await expect(page.get_by_text("The customer was told in their chat")).to_be_visible()
    await save_shot(page, tmp_path, "document-approved-desktop")

    phone = await browser.new_context(**PHONE)
    phone_page = await phone.new_page()
    await sign_in(phone_page, live_server)
    await phone_page.goto(live_server + "/app/documents?status=approved")
    await expect(phone_page.get_by_test_id("document-row")).to_have_count(1)
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    await save_shot(phone_page, tmp_path, "documents-approved-phone")

    async with httpx.AsyncClient(base_url=live_server) as http:
        history = (
            await http.get(
                "/api/portal/messages", headers={"Authorization": f"Bearer {customer_token}"}
            )
        ).json()["messages"]
    assert "confirmed your payment of $1,234.50" in history[-1]["text"]
    assert not problems, problems
