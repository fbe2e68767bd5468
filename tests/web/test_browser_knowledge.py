"""The knowledge page in real headless Chromium: upload a document made at test time, watch its
import reach "ready" by the page's own polling, and ask the search tester a question worded
differently from the document. Screenshots at a desktop and a phone viewport land in the
test's tmp folder (and in ``screenshots/`` beside the other browser tests' shots).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import Backend, unavailable
from tests.knowledge.sample_documents import price_list_pdf
from tests.web.test_a11y import AXE, axe_findings, blocking
from tests.web.test_browser import (
    SHOTS,
    browser,
    demo_business,
    live_server,
    no_horizontal_scroll,
    watch_console,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser

DESKTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TITLE = "Price list and cancellations"


async def sign_in(page: Page, base: str) -> None:
    await page.goto(base + "/login")
    await page.get_by_label("Email", exact=True).fill(DEMO_EMAIL)
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/app")


async def save_shot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    os.makedirs(SHOTS, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


async def serious_violations(page: Page, name: str) -> dict[str, list[str]]:
    """axe-core on the page as it stands (answers and failed rows included)."""
    return blocking({name: await axe_findings(page)})


async def ask(page: Page, question: str) -> None:
    await page.get_by_role("searchbox", name="A customer's question").fill(question)
    await page.get_by_role("button", name="Ask", exact=True).click()
    await expect(page.get_by_test_id("knowledge-answer")).to_be_visible()


async def test_upload_watch_ready_and_ask(
    browser: Browser, live_server: str, backend: Backend, tmp_path: Path
) -> None:
    if not AXE.exists():
        unavailable(f"axe-core is not vendored at {AXE} (make vendor)")
    context = await browser.new_context(**DESKTOP)
    await context.add_init_script(path=str(AXE))
    page = await context.new_page()
    problems = watch_console(page)
    await sign_in(page, live_server)

    # The navigation offers the page, and the page marks itself current.
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Knowledge")
    await nav_link.click()
    await page.wait_for_url("**/app/knowledge")
    await expect(nav_link).to_have_attribute("aria-current", "page")
    rows = page.get_by_test_id("knowledge-source")
    # The demo's instructions and intents are mirrored: listed, not deletable.
    synced = rows.filter(has_text="Follows the assistant's settings")
    await expect(synced.first).to_be_visible()
    assert await synced.first.get_by_role("button", name="Delete").count() == 0
    # Nothing of the owner's yet: the page says what to add.
    guide = page.locator("[data-sources-empty]")
    await expect(guide).to_be_visible()
    await expect(guide).to_contain_text("price list")
    await save_shot(page, tmp_path, f"knowledge-desktop-empty-{backend.name}")

    await page.get_by_label("File to upload").set_input_files(
        {"name": "price-list.pdf", "mimeType": "application/pdf", "buffer": price_list_pdf()}
    )
    await page.get_by_label("Title").first.fill(TITLE)
    await page.get_by_role("button", name="Upload document").click()
    row = rows.filter(has_text=TITLE)
    await expect(row).to_have_count(1)
    # Reached by polling: nothing reloads the page.
    ready = row.locator("[data-status=ready]")
    await expect(ready).to_be_visible(timeout=30_000)
    await expect(ready).to_contain_text("passage")
    await expect(row).to_contain_text("Imported")
    await expect(guide).to_be_hidden()
    assert await row.get_by_role("button", name=f"Delete {TITLE}").count() == 1

    # A file that is not really a PDF: the import fails and the row says why.
    await page.get_by_label("File to upload").set_input_files(
        {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}
    )
    await page.get_by_role("button", name="Upload document").click()
    broken = rows.filter(has_text="broken")
    await expect(broken.locator("[data-status=failed]")).to_be_visible(timeout=30_000)
    await expect(broken.locator(".kb-error")).not_to_be_empty()
    await save_shot(page, tmp_path, f"knowledge-desktop-failed-{backend.name}")

    await ask(page, "what does it cost if I cancel late?")
    answer = page.get_by_test_id("knowledge-answer")
    await expect(answer).to_contain_text("$50")
    await expect(answer).to_contain_text(TITLE)
    passages = page.get_by_test_id("knowledge-passage")
    await expect(passages.first).to_contain_text(TITLE)
    await expect(passages.first).to_contain_text("match")
    assert await no_horizontal_scroll(page)
    await save_shot(page, tmp_path, f"knowledge-desktop-{backend.name}")
    assert await serious_violations(page, "desktop") == {}

    # Something the sources do not say: the honest answer, with a person offered.
    await ask(page, "do you sell second-hand bicycles?")
    await expect(page.get_by_test_id("knowledge-answer")).to_contain_text(
        "doesn't know and offer a person"
    )
    await save_shot(page, tmp_path, f"knowledge-desktop-unknown-{backend.name}")

    phone = await browser.new_context(**PHONE)
    await phone.add_init_script(path=str(AXE))
    phone_page = await phone.new_page()
    problems += watch_console(phone_page)
    await sign_in(phone_page, live_server)
    await phone_page.goto(live_server + "/app/knowledge")
    phone_row = phone_page.get_by_test_id("knowledge-source").filter(has_text=TITLE)
    await expect(phone_row).to_be_visible()
    await ask(phone_page, "how much to cancel at short notice?")
    await expect(phone_page.get_by_test_id("knowledge-answer")).to_contain_text("$50")
    assert await no_horizontal_scroll(phone_page)
    await save_shot(phone_page, tmp_path, f"knowledge-phone-{backend.name}")
    assert await serious_violations(phone_page, "phone") == {}

    # A question and its answer, added on the phone, answers a question in other words.
    await phone_page.get_by_role("radio", name="Q&A").check()
    await phone_page.get_by_label("Question", exact=True).fill("Is there parking?")
    await phone_page.get_by_label("Answer", exact=True).fill(
        "Free parking behind the building, entrance on Elm Street."
    )
    await phone_page.get_by_role("button", name="Add question").click()
    qa_row = phone_page.get_by_test_id("knowledge-source").filter(has_text="Is there parking?")
    await expect(qa_row.locator("[data-status=ready]")).to_be_visible(timeout=30_000)
    await ask(phone_page, "do you have parking for patients?")
    await expect(phone_page.get_by_test_id("knowledge-answer")).to_contain_text("Elm Street")

    # Delete asks first; confirmed, the row goes.
    await page.get_by_role("button", name=f"Delete {TITLE}").click()
    dialog = page.locator("dialog[data-confirm]")
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name="Delete").click()
    await expect(rows.filter(has_text=TITLE)).to_have_count(0)

    print(f"knowledge screenshots: {tmp_path}")
    assert problems == [], problems
    await phone.close()
    await context.close()
