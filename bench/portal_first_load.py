"""The portal's first load: the HTML, JavaScript and CSS a customer's browser fetches to open
the chat at /c/{slug}, and how long Chromium takes until the chat is ready.

Each revision is measured from its own git worktree, served by its own Frontdesk process on
a fresh SQLite database with the demo business, so a change can be compared with the code
before it on the same machine in the same run; the revisions take turns, one cold load each,
so a busy spell on a shared machine falls on both. Every run uses a new browser context: a
cold cache, as on a customer's first visit.

Figures per revision: requests and bytes of HTML, JS and CSS (decoded bytes, and bytes on the
wire as the server sent them), the median time to the load event, and the median time until
the chat is usable (session opened, history drawn, live connection up: the page's
``[data-chat][data-conn=online]`` with the log no longer busy).

Loopback answers in a millisecond, so by default the figures hide what a phone pays per
request and per byte. --network slow4g makes Chromium throttle every request as Lighthouse's
mobile profile does (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up): then the number of
requests in a row and the bytes on the wire show in the times.

Usage: python bench/portal_first_load.py [--rev HEAD] [--baseline REV] [--runs 7]
                                         [--network none|slow4g]
       (--baseline defaults to the commit before the front end became ES modules;
        --rev WORKTREE measures the working tree as it is)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.async_api import Browser, Response, async_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
SLUG = "bright-smile-dental"
KINDS = {"document": "HTML", "script": "JS", "stylesheet": "CSS"}
Load = list[tuple[str, int, int]]  # (kind, decoded bytes, bytes on the wire) per response
# Chromium's Network.emulateNetworkConditions: latency in ms, throughput in bytes per second.
NETWORKS: dict[str, dict[str, float] | None] = {
    "none": None,
    "slow4g": {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8},
}


@dataclass
class Figures:
    label: str
    requests: dict[str, int] = field(default_factory=dict)
    decoded: dict[str, int] = field(default_factory=dict)
    wire: dict[str, int] = field(default_factory=dict)
    load_ms: list[float] = field(default_factory=list)
    ready_ms: list[float] = field(default_factory=list)


def git(*args: str) -> str:
    command = ["git", *args]  # git from PATH, as the developer running the bench has it
    return subprocess.run(
        command, cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()


def default_baseline() -> str:
    """The parent of the commit that added the shared library (web/static/lib)."""
    added = git("log", "--diff-filter=A", "--format=%H", "--", "src/frontdesk/web/static/lib")
    if not added:
        return "HEAD"
    return git("rev-parse", added.splitlines()[-1] + "~1")


@contextlib.contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """A detached worktree of rev (or the working tree itself for WORKTREE)."""
    if rev == "WORKTREE":
        yield REPO
        return
    path = Path(tempfile.mkdtemp(prefix="fd-firstload-"))
    git("worktree", "add", "--detach", "--force", str(path), rev)
    try:
        yield path
    finally:
        git("worktree", "remove", "--force", str(path))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(tree: Path) -> Iterator[str]:
    """Frontdesk from `tree` on loopback, on a fresh SQLite database with the demo data."""
    port = free_port()
    data = tempfile.mkdtemp(prefix="fd-firstload-data-")
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "FRONTDESK_DATA_DIR": data}
    env.pop("FRONTDESK_DATABASE_URL", None)
    command = [sys.executable, "-c", "from frontdesk.cli import main; main()", "serve", "--demo"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--data-dir", data]
    process = subprocess.Popen(command, cwd=data, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/c/{SLUG}", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server from {tree} did not start")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(10)


async def cold_load(browser: Browser, base: str, network: str) -> tuple[Load, float, float]:
    """One first visit in a fresh context: what was fetched, the load event, chat ready."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    conditions = NETWORKS[network]
    if conditions is not None:
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
    seen: Load = []

    async def record(response: Response) -> None:
        kind = KINDS.get(response.request.resource_type)
        if kind is None:
            return
        body = await response.body()
        sizes = await response.request.sizes()
        seen.append((kind, len(body), int(sizes["responseBodySize"])))

    page.on("response", record)
    started = time.perf_counter()
    await page.goto(f"{base}/c/{SLUG}", wait_until="load")
    await page.wait_for_selector(
        "[data-chat][data-conn=online] [data-log][aria-busy=false]", timeout=60000
    )
    ready = (time.perf_counter() - started) * 1000
    load = await page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.loadEventEnd - n.startTime; })()"
    )
    await page.wait_for_timeout(300)  # let the last response bodies be read
    await context.close()
    return seen, float(load), ready


async def measure(servers: list[tuple[str, str]], runs: int, network: str) -> list[Figures]:
    """Cold loads of each server in turn, so a busy spell on the machine hits them alike."""
    rows = [Figures(label) for label, _ in servers]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for run in range(runs + 1):  # the first run warms the server (imports, caches): not counted
            for figures, (_, base) in zip(rows, servers, strict=True):
                seen, load, ready = await cold_load(browser, base, network)
                if run == 0:
                    continue
                figures.load_ms.append(load)
                figures.ready_ms.append(ready)
                if run == 1:
                    for kind, decoded, wire in seen:
                        figures.requests[kind] = figures.requests.get(kind, 0) + 1
                        figures.decoded[kind] = figures.decoded.get(kind, 0) + decoded
                        figures.wire[kind] = figures.wire.get(kind, 0) + wire
        await browser.close()
    return rows


def report(rows: list[Figures]) -> None:
    print(f"{'':<28}" + "".join(f"{row.label:>22}" for row in rows))
    for kind in ("HTML", "JS", "CSS"):
        cells = "".join(
            f"{row.requests.get(kind, 0):>5} req {row.decoded.get(kind, 0) / 1000:>8.1f} kB   "
            for row in rows
        )
        print(f"{kind + ' (requests, decoded)':<28}{cells}")
    totals = "".join(
        f"{sum(r.requests.values()):>5} req {sum(r.decoded.values()) / 1000:>8.1f} kB   "
        for r in rows
    )
    print(f"{'total (requests, decoded)':<28}{totals}")
    wire = "".join(f"{sum(r.wire.values()) / 1000:>18.1f} kB   " for r in rows)
    print(f"{'total on the wire':<28}{wire}")
    for name, times in (("load event", "load_ms"), ("chat ready", "ready_ms")):
        medians = "".join(f"{statistics.median(getattr(r, times)):>18.0f} ms   " for r in rows)
        print(f"{name + ' (median)':<28}{medians}")
        # The middle half of the runs: how far apart two medians must be to mean something.
        spread = "".join(f"{middle_half(getattr(r, times)):>21}   " for r in rows)
        print(f"{'  middle half of runs':<28}{spread}")


def middle_half(times: list[float]) -> str:
    if len(times) < 4:
        return "-"
    quartiles = statistics.quantiles(times, n=4)
    return f"{quartiles[0]:.0f}-{quartiles[2]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="HEAD", help="Revision to measure, or WORKTREE.")
    parser.add_argument("--baseline", default=None, help="Revision to compare with.")
    parser.add_argument("--runs", type=int, default=7, help="Cold loads per revision.")
    parser.add_argument("--network", choices=sorted(NETWORKS), default="none")
    args = parser.parse_args()
    baseline = args.baseline or default_baseline()
    with contextlib.ExitStack() as stack:
        servers = []
        for label, rev in (("baseline", baseline), ("this", args.rev)):
            resolved = rev if rev == "WORKTREE" else git("rev-parse", "--short", rev)
            tree = stack.enter_context(checkout(rev))
            servers.append((f"{label} {resolved}", stack.enter_context(serve(tree))))
        rows = asyncio.run(measure(servers, args.runs, args.network))
    network = "" if args.network == "none" else f", network throttled to {args.network}"
    print(f"Portal first load (/c/{SLUG}), {args.runs} cold loads each, Chromium headless{network}")
    report(rows)


if __name__ == "__main__":
    main()
