"""The portal's first load: the HTML, JavaScript and CSS a customer's browser fetches to open
the chat at /c/{slug}, and how long Chromium takes until the chat is ready.

Each revision is measured from its own git worktree, served by its own Frontdesk process on
a fresh SQLite database with the demo business, so a change can be compared with the code
before it on the same machine in the same run. Every run uses a new browser context: a cold
cache, as on a customer's first visit.

Figures per revision: requests and bytes of HTML, JS and CSS (decoded bytes, and bytes on the
wire as the server sent them), the median time to the load event, and the median time until
the chat is usable (session opened, history drawn, live connection up: the page's
``[data-chat][data-conn=online]`` with the log no longer busy).

Usage: python bench/portal_first_load.py [--rev HEAD] [--baseline REV] [--runs 7]
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
from playwright.async_api import Response, async_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
SLUG = "bright-smile-dental"
KINDS = {"document": "HTML", "script": "JS", "stylesheet": "CSS"}


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


async def measure(label: str, base: str, runs: int) -> Figures:
    figures = Figures(label)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for run in range(runs + 1):  # the first run warms the server (imports, caches): not counted
            context = await browser.new_context(viewport={"width": 1280, "height": 800})
            page = await context.new_page()
            seen: list[tuple[str, int, int]] = []

            async def record(response: Response, seen: list[tuple[str, int, int]] = seen) -> None:
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
                "[data-chat][data-conn=online] [data-log][aria-busy=false]", timeout=30000
            )
            ready = (time.perf_counter() - started) * 1000
            load = await page.evaluate(
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " return n.loadEventEnd - n.startTime; })()"
            )
            await page.wait_for_timeout(300)  # let the last response bodies be read
            await context.close()
            if run == 0:
                continue
            figures.ready_ms.append(ready)
            figures.load_ms.append(float(load))
            if run == 1:
                for kind, decoded, wire in seen:
                    figures.requests[kind] = figures.requests.get(kind, 0) + 1
                    figures.decoded[kind] = figures.decoded.get(kind, 0) + decoded
                    figures.wire[kind] = figures.wire.get(kind, 0) + wire
        await browser.close()
    return figures


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
    load = "".join(f"{statistics.median(r.load_ms):>18.0f} ms   " for r in rows)
    print(f"{'load event (median)':<28}{load}")
    ready = "".join(f"{statistics.median(r.ready_ms):>18.0f} ms   " for r in rows)
    print(f"{'chat ready (median)':<28}{ready}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="HEAD", help="Revision to measure, or WORKTREE.")
    parser.add_argument("--baseline", default=None, help="Revision to compare with.")
    parser.add_argument("--runs", type=int, default=7, help="Cold loads per revision.")
    args = parser.parse_args()
    baseline = args.baseline or default_baseline()
    rows = []
    for label, rev in (("baseline", baseline), ("this", args.rev)):
        resolved = rev if rev == "WORKTREE" else git("rev-parse", "--short", rev)
        with checkout(rev) as tree, serve(tree) as base:
            rows.append(asyncio.run(measure(f"{label} {resolved}", base, args.runs)))
    print(f"Portal first load (/c/{SLUG}), {args.runs} cold loads each, Chromium headless")
    report(rows)


if __name__ == "__main__":
    main()
