"""The shared front-end library in real Chromium, module by module, without a whole page:
markdown safety, grouping and receipts, formatting, the API client's error envelope, and the
live connection's reconnect, catch-up and fallbacks against the real server.

The test page is a real page of the live server (the sign-in form: no script of its own
touches the library), so the modules under /static/lib/ load as the dashboard and the portal
load them: same origin, the real Content-Security-Policy, real sockets to the real server.
Each test imports the modules it exercises with import() and drives them from Playwright.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from tests.web.test_browser import browser, demo_business, live_server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_business")]
__all__ = ["browser", "demo_business", "live_server"]  # fixtures shared with test_browser
SLUG = "bright-smile-dental"


@pytest_asyncio.fixture
async def page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    context = await browser.new_context()
    tab = await context.new_page()
    errors: list[str] = []  # uncaught exceptions (failed requests are some tests' point)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    await tab.goto(f"{live_server}/login")
    yield tab
    await context.close()
    assert errors == [], errors


async def run(page: Page, script: str, arg: Any = None) -> Any:
    """Runs an async function body with the library's modules in scope as `lib` (the body is
    compiled by Playwright, not by the page: the page's CSP rightly forbids eval)."""
    prelude = """async (arg) => {
      const lib = {};
      for (const name of ["api", "dom", "format", "live", "messages", "dialogs", "icons"]) {
        lib[name] = await import(`/static/lib/${name}.js`);
      }
    """
    return await page.evaluate(prelude + script + "}", arg)


async def test_message_html_keeps_only_the_allowed_markup(page: Page) -> None:
    html = await run(
        page,
        """
        const box = document.createElement("div");
        lib.messages.setMessageHtml(box, arg);
        return box.innerHTML;
        """,
        '<p onclick="steal()">Hi <strong>there</strong><script>alert(1)</script>'
        '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">bad</a> '
        '<a href="https://example.com/x" style="color:red">good</a></p>'
        "<iframe src=/></iframe><ul><li><code class=language-py>x</code></li></ul>",
    )
    assert html == (
        "<p>Hi <strong>there</strong><a>bad</a> "
        '<a href="https://example.com/x" target="_blank" rel="noopener noreferrer nofollow">'
        "good</a></p>"
        '<ul><li><code class="language-py">x</code></li></ul>'
    )


async def test_markdown_to_plain_text_and_preview(page: Page) -> None:
    plain, preview = await run(
        page,
        """
        const md = "## Hours\\n- **Mon** to _Fri_: `9-5`\\n- see [our page](https://x.test)";
        return [lib.messages.plain(md), lib.messages.previewText(md)];
        """,
    )
    assert plain == "Hours Mon to Fri: 9-5 see our page"
    assert preview == "Hours\n• Mon to _Fri_: 9-5\n• see our page"


async def test_grouping_runs_by_sender_gap_and_day(page: Page) -> None:
    edges = await run(
        page,
        """
        const at = (h, m) => new Date(2026, 2, 3, h, m).toISOString();
        const list = [
          { sender_type: "customer", created_at: at(9, 0) },
          { sender_type: "customer", created_at: at(9, 3) },
          { sender_type: "assistant", sender_name: "Sunny", created_at: at(9, 3) },
          { sender_type: "assistant", sender_name: "Sunny", created_at: at(9, 20) },
          { sender_type: "staff", sender_name: "Ana", created_at: at(9, 21) },
          { sender_type: "staff", sender_name: "Ben", created_at: at(9, 21) },
          { sender_type: "staff", sender_name: "Ben", status: "draft", created_at: at(9, 22) },
          { sender_type: "system", created_at: at(9, 22) },
          { sender_type: "customer", created_at: new Date(2026, 2, 3, 23, 58).toISOString() },
          { sender_type: "customer", created_at: new Date(2026, 2, 4, 0, 1).toISOString() },
        ];
        return lib.messages.groupEdges(list).map((e) => `${+e.first}${+e.last}`);
        """,
    )
    # 9:00 and 9:03 group; the assistant's 9:03 and 9:20 are 17 minutes apart; two staff
    # names, a draft and a system line stand alone; midnight splits a run.
    assert edges == ["10", "01", "11", "11", "11", "11", "11", "11", "11", "11"]


async def test_receipt_sits_under_the_newest_own_message(page: Page) -> None:
    results = await run(
        page,
        """
        const list = [
          { id: "a", mine: true }, { id: "b", mine: false }, { id: "c", mine: true },
          { id: "d", mine: false },
        ];
        const own = (m) => m.mine;
        return [
          lib.messages.receipt(list, "b", own),
          lib.messages.receipt(list, "c", own),
          lib.messages.receipt(list, "d", own),
          lib.messages.receipt(list, null, own),
          lib.messages.receipt(list.filter((m) => !m.mine), "d", own),
        ];
        """,
    )
    assert results == [
        {"id": "c", "read": False},
        {"id": "c", "read": True},
        {"id": "c", "read": True},
        {"id": "c", "read": False},
        {"id": None, "read": False},
    ]


async def test_formatting_with_intl(page: Page) -> None:
    got = await run(
        page,
        """
        const f = lib.format;
        const now = new Date(2026, 2, 10, 12, 0);
        const ago = (ms) => new Date(now.getTime() - ms);
        return {
          rel: [f.relTime(ago(10e3), now), f.relTime(ago(5 * 60e3), now),
                f.relTime(ago(3 * 3600e3), now), f.relTime(new Date(2026, 2, 9, 8), now)],
          day: [f.dayLabel(new Date(2026, 2, 10, 1), now), f.dayLabel(new Date(2026, 2, 9), now),
                f.dayLabel(new Date(2026, 2, 6), now)],
          friday: f.fmt.weekdayLong.format(new Date(2026, 2, 6)),
          size: [f.formatSize(512), f.formatSize(48_000), f.formatSize(3_200_000)],
          names: [f.initials("Maya  Patel"), f.initials(""),
                  f.initialOf(" émile"), f.initialOf("")],
          zone: f.browserTimeZone(),
        };
        """,
    )
    assert got["rel"] == ["now", "5m", "3h", "Yesterday"]
    assert got["day"] == ["Today", "Yesterday", got["friday"]]  # a weekday this week
    assert got["size"] == ["512 B", "48 KB", "3.2 MB"]
    assert got["names"] == ["MP", "", "É", "?"]
    assert got["zone"]  # Chromium always knows its zone


async def test_api_errors_carry_the_envelope(page: Page) -> None:
    got = await run(
        page,
        """
        const out = [];
        try { await lib.api.request("GET", "/api/portal/session", { token: "not-a-token" }); }
        catch (e) { out.push([e instanceof lib.api.ApiError, e.status, e.code, e.message]); }
        try { await lib.api.request("GET", "http://127.0.0.1:9/nowhere", { timeout: 3000 }); }
        catch (e) { out.push([e instanceof lib.api.ApiError, e.status, e.message]); }
        const created = await lib.api.request("POST", `/api/portal/${arg}/sessions`,
          { body: { channel: "portal" } });
        out.push(typeof created.session_token);
        return out;
        """,
        SLUG,
    )
    assert got[0][0] is True and got[0][1] == 401 and got[0][2]  # a code from the envelope
    assert got[0][3] and got[0][3] != "That didn't work."  # the server's own message
    assert got[1] == [True, 0, "Couldn't reach the server. Check your connection."]
    assert got[2] == "string"


LIVE_HARNESS = """
  const session = await lib.api.request("POST", `/api/portal/${arg.slug}/sessions`,
    { body: { channel: "portal" } });
  const token = session.session_token;
  const seen = { frames: [], states: [], opens: [], polls: 0 };
  const conn = new lib.live.LiveConnection({
    socketPath: arg.socketPath, streamPath: arg.streamPath, token: () => token,
    onFrame: (f) => seen.frames.push(f), onState: (s) => seen.states.push(s),
    onOpen: (o) => seen.opens.push(o), poll: async () => { seen.polls += 1; },
    pollMs: 200, failuresBeforeFallback: arg.failures,
  });
  window.__live = { conn, seen, token };
  conn.noteCursor(session.last_event_id);
  conn.start();
  const until = async (test, ms = 15000) => {
    const end = Date.now() + ms;
    while (!test()) {
      if (Date.now() > end) {
        const state = { state: conn.state, states: seen.states, failures: conn.failures,
          stream: Boolean(conn.es), frames: seen.frames.map((f) => f.type) };
        throw new Error(`timed out: ${JSON.stringify(state)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  window.__until = until;
  window.__say = (text) => lib.api.request("POST", "/api/portal/messages",
    { token, body: { text, client_id: crypto.randomUUID() } });
"""


async def replies_settled(page: Page) -> None:
    """Waits until the conversation's newest message is the assistant's answer, so no reply is
    being written when the next test empties the database."""
    await page.evaluate(
        """async () => {
          const { request } = await import("/static/lib/api.js");
          const end = Date.now() + 30000;
          while (Date.now() < end) {
            const state = await request("GET", "/api/portal/session", { token: __live.token });
            const last = state.messages[state.messages.length - 1];
            if (last && last.sender_type !== "customer") return;
            await new Promise((r) => setTimeout(r, 200));
          }
          throw new Error("the assistant did not answer");
        }"""
    )


def texts(frames: list[dict[str, Any]]) -> list[str]:
    return [
        (f.get("data", {}).get("message") or f.get("data", {})).get("text", "")
        for f in frames
        if f.get("type") == "message:new"
    ]


async def test_socket_reconnects_and_catches_up_after_the_last_event(page: Page) -> None:
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    args = {"slug": SLUG, "socketPath": "/ws/portal", "streamPath": None, "failures": 3}
    # "ready" comes once the server is listening: from then on no event can slip past.
    ready = "await until(() => seen.frames.some((f) => f.type === 'ready'));"
    await run(page, LIVE_HARNESS + ready, args)
    await page.evaluate("window.__say('first message')")
    await page.evaluate("__until(() => __live.seen.frames.some((f) => f.type === 'message:new'))")
    cursor = await page.evaluate("__live.conn.cursor")

    # The socket drops; while it is down the customer's message is stored on the server.
    await page.evaluate("__live.conn.ws.close(); window.__say('said while away')")
    await page.evaluate(
        "__until(() => __live.seen.opens.length === 2 && __live.conn.state === 'live')"
    )
    await page.evaluate(
        "__until(() => __live.seen.frames.some((f) => f.type === 'message:new'"
        " && (f.data.message || f.data).text === 'said while away'))"
    )
    seen = await page.evaluate("__live.seen")
    assert len(sockets) == 2 and f"after={cursor}" in sockets[1], sockets  # resumed, not restarted
    ids = [f["id"] for f in seen["frames"] if isinstance(f.get("id"), int)]
    assert ids == sorted(set(ids)), ids  # each event once, in order
    assert texts(seen["frames"]).count("said while away") == 1
    assert seen["opens"][1] == {"first": False, "resumed": True, "afterFallback": False}
    assert seen["states"][:2] == ["connecting", "live"] and "reconnecting" in seen["states"]
    # A replayed frame is refused by the cursor.
    assert await page.evaluate("__live.conn.accept({ id: __live.conn.cursor, type: 'x' })") is False
    await replies_settled(page)
    await page.evaluate("__live.conn.stop()")


async def test_falls_back_to_server_sent_events_then_polling(page: Page) -> None:
    args = {
        "slug": SLUG,
        "socketPath": "/ws/nowhere",
        "streamPath": "/api/portal/events",
        "failures": 1,
    }
    ready = "await until(() => conn.es && seen.frames.some((f) => f.type === 'ready'));"
    await run(page, LIVE_HARNESS + ready, args)
    await page.evaluate("window.__say('over events')")
    await page.evaluate(
        "__until(() => __live.seen.frames.some((f) => f.type === 'message:new'"
        " && (f.data.message || f.data).text === 'over events'))"
    )
    assert await page.evaluate("__live.seen.opens[0].afterFallback") is True
    await replies_settled(page)
    await page.evaluate("__live.conn.stop()")

    args = {"slug": SLUG, "socketPath": "/ws/nowhere", "streamPath": "/api/nowhere", "failures": 1}
    await run(page, LIVE_HARNESS + "await until(() => seen.polls >= 2);", args)
    states = await page.evaluate("__live.seen.states")
    assert states[0] == "connecting" and "polling" in states and "live" not in states
    await page.evaluate("__live.conn.stop()")
