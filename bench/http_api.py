"""HTTP latency and throughput of the API on one server process, against a bare baseline.

Starts two servers on loopback, each a real uvicorn process: the Frontdesk app (migrated,
one registered business) and a bare Starlette app that answers one JSON route — the floor any
Python ASGI service pays. Then, with C concurrent clients, measures:

- ``GET /healthz``         no database: the framework and middleware cost
- ``GET /api/workspace``   token check, session check, membership and workspace reads
- ``PUT /api/workspace``   the same plus a write, an audit row and a commit

Usage: python bench/http_api.py [--requests 2000] [--concurrency 32] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from machine import load

BASELINE_APP = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def ok(request):
    return JSONResponse({"status": "ok"})

app = Starlette(routes=[Route("/healthz", ok)])
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(args: list[str], env: dict[str, str], cwd: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def wait_ready(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} never became ready")


class Connection:
    """A minimal HTTP/1.1 keep-alive client: httpx itself would be the bottleneck here."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def request(self, raw: bytes) -> int:
        self.writer.write(raw)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    def close(self) -> None:
        self.writer.close()


def build(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def measure(
    port: int, raw: bytes, total: int, concurrency: int
) -> tuple[float, float, float]:
    latencies: list[float] = []
    remaining = total
    connections = [await Connection.open(port) for _ in range(concurrency)]

    async def worker(connection: Connection) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            status = await connection.request(raw)
            latencies.append(time.perf_counter() - started)
            if status >= 400:
                raise RuntimeError(f"HTTP {status} for {raw[:60]!r}")

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    elapsed = time.perf_counter() - began
    for connection in connections:
        connection.close()
    quantiles = statistics.quantiles(latencies, n=100)
    return quantiles[49] * 1000, quantiles[98] * 1000, len(latencies) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--database-url", default=None, help="default: SQLite in a temporary data dir"
    )
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="frontdesk-bench-")
    Path(workdir, "baseline_app.py").write_text(BASELINE_APP)
    env = {
        **os.environ,
        "FRONTDESK_DATA_DIR": workdir,
        "FRONTDESK_LOG_LEVEL": "warning",
        "FRONTDESK_REGISTER_LIMIT_PER_IP": "100/minute",
    }
    if args.database_url:
        env["FRONTDESK_DATABASE_URL"] = args.database_url
    app_port, base_port = free_port(), free_port()
    uvicorn = [sys.executable, "-m", "uvicorn", "--log-level", "warning", "--no-access-log"]
    servers = [
        start([sys.executable, "-m", "frontdesk", "serve", "--port", str(app_port)], env, workdir),
        start([*uvicorn, "--port", str(base_port), "baseline_app:app"], env, workdir),
    ]
    try:
        app, baseline = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{base_port}"
        await wait_ready(app + "/readyz")
        await wait_ready(baseline + "/healthz")
        async with httpx.AsyncClient(timeout=30) as client:
            tokens = (
                await client.post(
                    app + "/api/auth/register",
                    json={
                        "email": f"bench{time.time_ns()}@example.com",
                        "password": "bench-password",
                        "full_name": "Bench",
                        "business_name": "Bench Co",
                    },
                )
            ).json()
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        cases = [
            ("baseline GET /healthz (bare Starlette)", base_port, build("GET", "/healthz", {})),
            ("GET /healthz", app_port, build("GET", "/healthz", {})),
            ("GET /api/workspace", app_port, build("GET", "/api/workspace", auth)),
            (
                "PUT /api/workspace",
                app_port,
                build("PUT", "/api/workspace", auth, b'{"occupation": "Benchmarking"}'),
            ),
        ]
        database = args.database_url.split("://")[0] if args.database_url else "sqlite"
        print(
            f"database={database} requests={args.requests} "
            f"concurrency={args.concurrency} cores={os.cpu_count()}"
        )
        print(f"{'case':40} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'vs base':>8}")
        base_rate = None
        for name, port, raw in cases:
            await measure(port, raw, 200, args.concurrency)  # warm-up
            p50, p99, rate = await measure(port, raw, args.requests, args.concurrency)
            base_rate = base_rate or rate
            print(f"{name:40} {p50:8.2f} {p99:8.2f} {rate:8.0f} {rate / base_rate:8.2f}")
        print(f"at the end: {load()}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    asyncio.run(main())
