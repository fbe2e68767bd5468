"""Readiness names each dependency; a dependency down answers 503 saying which, with
Retry-After; a process that cannot reach one at start says so in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Backend, client_for
from tests.factories import register
from tests.jobs.faults import redis_server, unique_stream
from tests.servers import free_port


async def test_readiness_and_errors_name_redis_while_it_is_down(backend: Backend) -> None:
    port = free_port()
    settings = backend.settings(
        redis_url=f"redis://127.0.0.1:{port}/0", job_queue="redis", job_stream=unique_stream()
    )
    with redis_server(port) as first:
        async with client_for(settings) as http:
            ready = await http.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert ready.json()["checks"]["redis"] == "ok"
            owner = await register(http, business="Outage Optics")
            first.kill()
            first.wait(timeout=10)

            down = await http.get("/readyz")
            assert down.status_code == 503
            assert down.headers["Retry-After"].isdigit()
            assert down.json()["error"]["details"]["down"] == ["redis", "queue"]
            assert "Redis is unreachable" in down.json()["error"]["message"]

            chat = await http.post(f"/api/portal/{owner.slug}/sessions", json={"name": "Ann"})
            assert chat.status_code == 503, chat.text
            assert chat.headers["Retry-After"].isdigit()
            assert "Redis" in chat.json()["error"]["message"]
            assert chat.json()["error"]["details"] == {"dependency": "redis"}

            with redis_server(port):  # Redis is back: so is readiness
                again = await http.get("/readyz")
                assert again.status_code == 200, again.text


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_an_unreachable_database_answers_503_naming_it(backend: Backend) -> None:
    settings = backend.settings(database_url="postgresql+asyncpg://postgres@127.0.0.1:1/nothing")
    async with client_for(settings) as http:
        response = await http.post(
            "/api/auth/login", json={"email": "a@example.com", "password": "whatever-it-is"}
        )
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"].isdigit()
    assert response.json()["error"]["details"] == {"dependency": "database"}
    assert "database" in response.json()["error"]["message"]


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_start_up_without_redis_fails_in_one_clear_line(command: str, tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "FRONTDESK_DATA_DIR": str(tmp_path),
        "FRONTDESK_REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "FRONTDESK_JOB_QUEUE": "redis",
        "FRONTDESK_WARM_ASSISTANT": "false",
    }
    done = subprocess.run(
        [sys.executable, "-m", "frontdesk", command, "--port", str(free_port())]
        if command == "serve"
        else [sys.executable, "-m", "frontdesk", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == 1, output
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    assert "Redis" in output and str(port) in output and "FRONTDESK_REDIS_URL" in output
