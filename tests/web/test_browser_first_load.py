"""The portal's first load in real Chromium: one stylesheet, every module the chat needs
declared up front (nothing found level by level), the on-demand modules not fetched at all,
and the page, its scripts and its stylesheet gzipped. bench/portal_first_load.py measures
the times."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Request

from tests.web.test_browser import browser, demo_business, live_server, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser
PORTAL = "/c/bright-smile-dental"
ON_DEMAND = (  # loaded with the first attachment, upload, voice note or transport fallback
    "/portal-static/chat/files.js",
    "/portal-static/chat/uploads.js",
    "/portal-static/chat/voice.js",
    "/static/lib/live-fallback.js",
)


async def test_the_portal_declares_every_module_it_loads_and_no_more(
    browser: Browser, live_server: str
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    problems = watch_console(page)
    fetched: dict[str, list[str]] = {"script": [], "stylesheet": []}
    encodings: dict[str, str | None] = {}

    def seen(request: Request) -> None:
        if request.resource_type in fetched:
            fetched[request.resource_type].append(urlsplit(request.url).path)

    page.on("request", seen)
    page.on(
        "response",
        lambda r: encodings.__setitem__(urlsplit(r.url).path, r.headers.get("content-encoding")),
    )
    await page.goto(live_server + PORTAL)
    await page.wait_for_selector("[data-chat][data-conn=online] [data-log][aria-busy=false]")
    html = await page.content()
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    entry = re.findall(r'<script type="module" src="([^"]+)"></script>', html)
    # Chromium's own module loader is the judge of what the chat imports: any module it
    # fetched that the page did not declare was found late, one level down.
    loaded = await page.evaluate(
        "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)"
        ".filter(p => p.endsWith('.js'))"
    )
    assert entry == ["/portal-static/chat.js"]
    assert sorted(set(loaded)) == sorted({*entry, *preloaded})
    assert len(preloaded) == len(set(preloaded))
    assert not set(ON_DEMAND) & set(loaded)
    assert len(fetched["stylesheet"]) == 1, fetched["stylesheet"]
    for path in [PORTAL, *fetched["script"], *fetched["stylesheet"]]:
        assert encodings.get(path) == "gzip", path
    assert problems == [], problems
    await context.close()
