"""Real servers for tests: uvicorn in a thread (same process), or ``frontdesk serve`` as a
separate process. Both listen on loopback ports of their own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from frontdesk.app import create_app
from frontdesk.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def thread_server(settings: Settings) -> Iterator[str]:
    """The app under uvicorn in a thread of its own (with its own event loop)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def process_server(env: dict[str, str], log: Path, *args: str) -> Iterator[str]:
    """``frontdesk serve`` as a separate OS process, as production runs it."""
    port = free_port()
    with log.open("a") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "frontdesk", "serve", "--port", str(port), *args],
            env={"FRONTDESK_LOG_LEVEL": "warning", **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()}")
            try:
                if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


REDIS_URL = os.environ.get("FRONTDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def require_redis() -> None:
    """Skip locally (fail under CI) when Redis is not there."""
    from redis.asyncio import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    from tests.conftest import unavailable

    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (RedisConnectionError, OSError) as error:
        unavailable(f"Redis unreachable at {REDIS_URL}: {error}")
    finally:
        await client.aclose()


async def scaled_out_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for server and worker processes sharing one database and one Redis,
    with the database emptied first."""
    from frontdesk.kit.db import Database
    from tests.conftest import empty_database

    await require_redis()
    db = Database(database_url)
    await empty_database(db)
    await db.dispose()
    # Limits live in the shared Redis across runs: budgets here must not run out between
    # test runs in the same hour.
    generous = {
        name: "100000/minute"
        for name in (
            "FRONTDESK_REGISTER_LIMIT_PER_IP",
            "FRONTDESK_LOGIN_LIMIT_PER_IP",
            "FRONTDESK_PORTAL_SESSIONS_PER_IP",
            "FRONTDESK_PORTAL_MESSAGES_PER_IP",
            "FRONTDESK_PORTAL_MESSAGES_PER_SESSION",
        )
    }
    return {
        **os.environ,
        **generous,
        "FRONTDESK_DATABASE_URL": database_url,
        "FRONTDESK_REDIS_URL": REDIS_URL,
        "FRONTDESK_SECRET_KEY": "scaled-out-" + "k" * 40,
        "FRONTDESK_DATA_DIR": str(data_dir),
        **extra,
    }
