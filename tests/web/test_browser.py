"""The owner's first journey in real headless Chromium: register → wizard → dashboard.

Screenshots of every step land in ``screenshots/`` (desktop and phone) to be looked at.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import pytest_asyncio
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, Page, async_playwright

from frontdesk.app import create_app
from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo
from tests.conftest import Backend, empty_database, services_of, unavailable
from tests.servers import thread_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("FRONTDESK_SCREENSHOTS", "screenshots"))
PASSWORD = "a good long password"


@pytest.fixture(scope="session")
def live_server(backend: Backend) -> Iterator[str]:
    """A real uvicorn server on loopback, on the test database. Private addresses are
    allowed: the brain page test saves a loopback engine base URL."""
    with thread_server(backend.settings(allow_private_network=True)) as base:
        yield base


@pytest_asyncio.fixture
async def browser(live_server: str, backend: Backend) -> AsyncIterator[Browser]:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 - one stat, before any I/O loop
        unavailable(f"Chromium not found at {CHROMIUM} (make test installs Debian's chromium)")
    from frontdesk.kit.db import Database

    db = Database(backend.url)
    await empty_database(db)
    await db.dispose()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


def watch_console(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


async def shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def no_horizontal_scroll(page: Page) -> bool:
    return bool(
        await page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    )


async def test_register_wizard_dashboard_share_card(
    browser: Browser, live_server: str, backend: Backend
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = await context.new_page()
    problems = watch_console(page)

    await page.goto(live_server + "/")
    await shot(page, f"01-landing-{backend.name}")
    await page.goto(live_server + "/register")
    await page.get_by_label("Your name").fill("Maya Patel")
    await page.get_by_label("Business name").fill("Sunrise Yoga Studio")
    await page.get_by_label("Work email").fill("maya@sunrise.example")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await shot(page, f"02-register-{backend.name}")
    await page.get_by_role("button", name="Create my front desk").click()

    await page.wait_for_url("**/setup/business")
    await page.get_by_label("What you do").fill("Yoga teacher")
    await page.get_by_label("Industry").select_option("Fitness")
    await page.get_by_label("Time zone").select_option("Europe/London")
    await page.get_by_label("Phone").fill("+44 20 7946 0000")
    await shot(page, f"03-wizard-business-{backend.name}")
    await page.get_by_role("button", name="Continue").click()

    await page.wait_for_url("**/setup/assistant")
    await page.get_by_label("Assistant name").fill("Luna")
    # A person clicks the card; the card is the radio's label.
    await page.locator("label", has=page.locator("input[value='fitness_coach']")).click()
    await page.locator("label", has=page.locator("input[value='enthusiastic']")).click()
    assert await page.get_by_role("radio", name=re.compile(r"^Fitness coach")).is_checked()
    assert await page.get_by_role("radio", name=re.compile(r"^Enthusiastic")).is_checked()
    await shot(page, f"04-wizard-assistant-{backend.name}")
    await page.get_by_role("button", name="Continue").click()

    await page.wait_for_url("**/setup/instructions")
    await page.get_by_label("Greeting").fill("Namaste! I'm Luna. Ready to find your class?")
    await page.get_by_label("Quick questions").fill("Class schedule\nFirst class free?")
    saturday = page.locator("#hours_5_open")
    if not await saturday.is_checked():
        await page.locator("label[class='switch']:has(#hours_5_open)").click()
    await page.locator("#hours_5_start").fill("08:00")
    await page.locator("#hours_5_end").fill("12:00")
    await shot(page, f"05-wizard-instructions-{backend.name}")
    await page.get_by_role("button", name="Finish setup").click()

    await page.wait_for_url("**/app")
    expected_url = f"{live_server}/c/sunrise-yoga-studio"
    assert await page.get_by_test_id("portal-url").input_value() == expected_url
    snippet = await page.get_by_test_id("widget-snippet").inner_text()
    assert snippet == (
        f'<script src="{live_server}/widget.js" '
        'data-workspace="sunrise-yoga-studio" async></script>'
    )
    qr = page.get_by_test_id("qr-image")
    assert await qr.evaluate("img => img.complete && img.naturalWidth > 0")
    rendered = Image.open(io.BytesIO(await qr.screenshot()))
    assert [r.text for r in zxingcpp.read_barcodes(rendered)] == [expected_url]
    await page.get_by_role("button", name="Copy link").click()
    assert await page.evaluate("navigator.clipboard.readText()") == expected_url
    await shot(page, f"06-dashboard-{backend.name}")
    assert await no_horizontal_scroll(page)

    # The portal the link leads to greets as configured.
    portal = await context.new_page()
    await portal.goto(expected_url)
    assert await portal.get_by_test_id("portal-assistant").inner_text() == "Luna"
    assert "Namaste" in await portal.get_by_test_id("portal-greeting").inner_text()
    await shot(portal, f"07-portal-{backend.name}")
    assert problems == [], problems
    await context.close()


@pytest_asyncio.fixture
async def demo_business(browser: Browser, backend: Backend) -> None:
    """Bright Smile Dental, created after the browser fixture emptied the database."""
    services = services_of(create_app(backend.settings()))
    try:
        await create_demo(services.db)
    finally:
        await services.close()


@pytest.mark.usefixtures("demo_business")
async def test_phone_width_dashboard_and_portal(
    browser: Browser, live_server: str, backend: Backend
) -> None:
    context = await browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = await context.new_page()
    problems = watch_console(page)
    await page.goto(live_server + "/login")
    await page.get_by_label("Email", exact=True).fill(DEMO_EMAIL)
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await shot(page, f"11-phone-login-{backend.name}")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/app")
    assert await page.get_by_test_id("portal-url").input_value() == (
        f"{live_server}/c/bright-smile-dental"
    )
    assert await no_horizontal_scroll(page)
    await shot(page, f"12-phone-dashboard-{backend.name}")
    menu = page.get_by_role("button", name="Menu")
    await menu.click()
    assert await menu.get_attribute("aria-expanded") == "true"
    await shot(page, f"13-phone-menu-{backend.name}")
    await page.goto(live_server + "/c/bright-smile-dental")
    assert await no_horizontal_scroll(page)
    await shot(page, f"14-phone-portal-{backend.name}")
    assert problems == [], problems
    await context.close()


@pytest.mark.usefixtures("demo_business")
async def test_widget_snippet_opens_the_portal_on_a_third_party_page(
    browser: Browser, live_server: str, backend: Backend
) -> None:
    host_page = (
        "<!doctype html><html><head><title>Other site</title>"
        "<style>button{background:red!important} body{font:18px serif}</style></head>"
        "<body><h1>Corner Florist</h1><p>Fresh flowers daily.</p>"
        f'<script src="{live_server}/widget.js" data-workspace="bright-smile-dental" async>'
        "</script></body></html>"
    )
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    problems = watch_console(page)
    with third_party_site(host_page) as site:
        await page.goto(site)
        launcher = page.get_by_role("button", name="Open chat")
        await launcher.click()
        frame = page.frame_locator("iframe[title='Chat with us']")
        await frame.get_by_test_id("portal-assistant").wait_for()
        assert await frame.get_by_test_id("portal-assistant").inner_text() == "Sunny"
        await asyncio.sleep(0.2)
        await shot(page, f"21-widget-{backend.name}")
        close = page.get_by_role("button", name="Close chat")
        assert await close.get_attribute("aria-expanded") == "true"
        # The host page's own styles did not leak into the widget.
        colour = await close.evaluate("b => getComputedStyle(b).backgroundColor")
        assert colour != "rgb(255, 0, 0)"
    assert problems == [], problems
    await page.close()


@contextmanager
def third_party_site(html: str) -> Iterator[str]:
    """Another origin on loopback serving one plain page, as a customer's website would."""
    body = html.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
