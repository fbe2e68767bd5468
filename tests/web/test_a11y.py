"""axe-core on every page, in real Chromium, at a desktop and a phone viewport.

Each page is loaded as a person would see it (signed in for the dashboard, with a real
conversation in the inbox, the widget opened on another site) and axe-core, vendored unmodified
by ``make vendor``, must report no serious or critical violation. Every page's screenshot lands
in ``screenshots/a11y-*`` and the findings in ``screenshots/a11y-<viewport>-<backend>.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import Backend
from tests.web.test_browser import (
    SHOTS,
    browser,
    demo_business,
    live_server,
    third_party_site,
    watch_console,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SLUG = "bright-smile-dental"
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
BLOCKING = ("serious", "critical")
# Serious violations waiting on their own fix (none now: every page must be clean):
# rule id -> (the pages it may stand on, where it comes from). Strict both ways: the test
# fails if one appears anywhere else, and once fixed, until its line here is removed.
PENDING: dict[str, tuple[str, str]] = {}
# Runs axe in the page (and, through axe's own frame messaging, in its frames) and keeps
# what a person cannot get past: the serious and critical violations, with where they are.
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
  }));
}"""


async def axe_findings(page: Page) -> list[dict[str, Any]]:
    await page.wait_for_function("typeof window.axe !== 'undefined'")
    found: list[dict[str, Any]] = await page.evaluate(RUN_AXE)
    return found


async def check(page: Page, name: str, results: dict[str, list[dict[str, Any]]]) -> None:
    await page.wait_for_load_state("networkidle")
    # Let entrance transitions finish, so colours are measured as they settle.
    await page.evaluate(
        "Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))"
    )
    results[name] = await axe_findings(page)
    os.makedirs(SHOTS, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"a11y-{name}.png"), full_page=False)


async def seed_conversation_and_invite(live_server: str) -> str:
    """A customer conversation with contact details (for the inbox and contacts pages) and an
    open invitation (for the invite page); returns the invitation's path."""
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        response = await http.post(f"/api/portal/{SLUG}/sessions", json={})
        response.raise_for_status()
        customer = {"Authorization": f"Bearer {response.json()['session_token']}"}
        text = "hi, I'm Dana Ortiz, dana.ortiz@example.org, can someone call me back? 082 555 0199"
        response = await http.post("/api/portal/messages", json={"text": text}, headers=customer)
        response.raise_for_status()
        response = await http.post(
            "/api/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        response.raise_for_status()
        staff = {"Authorization": f"Bearer {response.json()['access_token']}"}
        response = await http.post(
            "/api/workspace/members",
            json={"email": "sam@brightsmile.example", "role": "agent"},
            headers=staff,
        )
        response.raise_for_status()
        return "/invite/" + str(response.json()["token"])


async def public_pages(
    context: BrowserContext, base: str, invite: str, tag: str, results: dict[str, Any]
) -> None:
    page = await context.new_page()
    for name, path in (
        ("landing", "/"),
        ("login", "/login"),
        ("register", "/register"),
        ("invite", invite),
        ("error-404", "/no-such-page"),
        ("portal", f"/c/{SLUG}"),
        ("portal-embed", f"/c/{SLUG}?embed=1"),
    ):
        await page.goto(base + path)
        await check(page, f"{tag}-{name}", results)
    await page.close()


async def widget_on_host_page(
    context: BrowserContext, base: str, tag: str, results: dict[str, Any]
) -> None:
    host_page = (
        '<!doctype html><html lang="en"><head><title>Corner Florist</title></head>'
        "<body><main><h1>Corner Florist</h1><p>Fresh flowers daily.</p></main>"
        f'<script src="{base}/widget.js" data-workspace="{SLUG}" async></script>'
        "</body></html>"
    )
    page = await context.new_page()
    with third_party_site(host_page) as site:
        await page.goto(site)
        await check(page, f"{tag}-widget-closed", results)
        await page.get_by_role("button", name="Open chat").click()
        frame = page.frame_locator("iframe[title='Chat with us']")
        await frame.get_by_test_id("portal-assistant").wait_for()
        await check(page, f"{tag}-widget-open", results)
    await page.close()


async def dashboard_pages(
    context: BrowserContext, base: str, tag: str, results: dict[str, Any]
) -> list[str]:
    page = await context.new_page()
    problems = watch_console(page)
    await page.goto(base + "/login")
    await page.get_by_label("Email", exact=True).fill(DEMO_EMAIL)
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/app")
    await check(page, f"{tag}-dashboard", results)

    # Every section the navigation offers, whatever it offers now.
    hrefs = await page.locator("nav a[href^='/app/']").evaluate_all(
        "links => [...new Set(links.map((a) => a.getAttribute('href')))]"
    )
    for href in hrefs:
        if href == "/app/inbox":
            continue
        await page.goto(base + href)
        await check(page, f"{tag}-{href.strip('/').replace('/', '-')}", results)

    for step in ("business", "assistant", "instructions"):
        await page.goto(f"{base}/setup/{step}")
        await check(page, f"{tag}-setup-{step}", results)

    await page.goto(base + "/app/inbox")
    await check(page, f"{tag}-inbox-list", results)
    await page.locator("[data-rows] li", has_text="Dana Ortiz").first.click()
    await expect(page.locator("[data-thread]")).to_be_visible()
    await expect(page.locator("[data-log] li").first).to_be_visible()
    await check(page, f"{tag}-inbox-conversation", results)
    toggle = page.get_by_role("button", name="Customer details")
    if await toggle.is_visible():
        if await toggle.get_attribute("aria-expanded") != "true":
            await toggle.click()
        await expect(page.get_by_test_id("contact-card")).to_be_visible()
        await check(page, f"{tag}-inbox-details", results)
    await page.close()
    return problems


def blocking(results: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Per page, one line per serious or critical rule broken, with where."""
    out: dict[str, list[str]] = {}
    for name, violations in results.items():
        lines = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']} "
            f"at {[n['target'] for n in v['nodes'][:4]]}"
            for v in violations
            if v["impact"] in BLOCKING
        ]
        if lines:
            out[name] = lines
    return out


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
async def test_every_page_has_no_serious_accessibility_violation(
    browser: Browser, live_server: str, backend: Backend, viewport: str
) -> None:
    invite = await seed_conversation_and_invite(live_server)
    tag = f"{viewport}-{backend.name}"
    results: dict[str, list[dict[str, Any]]] = {}
    for visit in ("public", "widget", "dashboard"):
        context = await browser.new_context(**VIEWPORTS[viewport])
        await context.add_init_script(path=str(AXE))
        if visit == "public":
            await public_pages(context, live_server, invite, tag, results)
        elif visit == "widget":
            await widget_on_host_page(context, live_server, tag, results)
        else:
            problems = await dashboard_pages(context, live_server, tag, results)
            assert problems == [], problems
        await context.close()

    os.makedirs(SHOTS, exist_ok=True)
    summary = {
        name: {"checked": True, "blocking": blocking({name: v}).get(name, []), "all": v}
        for name, v in results.items()
    }
    (SHOTS / f"a11y-{tag}.json").write_text(json.dumps(summary, indent=2))
    assert len(results) >= 18, sorted(results)  # every page above was reached and checked
    found = blocking(results)
    pending = {
        (rule, name)
        for name, lines in found.items()
        for rule, (pages, _) in PENDING.items()
        if pages in name and any(line.startswith(rule + " ") for line in lines)
    }
    others = {
        name: [
            line
            for line in lines
            if not any(line.startswith(r + " ") and PENDING[r][0] in name for r in PENDING)
        ]
        for name, lines in found.items()
    }
    assert {k: v for k, v in others.items() if v} == {}, json.dumps(found, indent=2)
    fixed = set(PENDING) - {rule for rule, _ in pending}
    assert not fixed, f"fixed: remove {fixed} from PENDING"
