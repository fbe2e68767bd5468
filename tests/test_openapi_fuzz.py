"""The OpenAPI document is true to the service: schemathesis fuzzes every operation of
/openapi.json against the real app, served by uvicorn in its own process, on SQLite and on
PostgreSQL, once with a staff token and once with a customer's portal session token.

It runs schemathesis's own engine (its CLI, as CI would run it by hand) with every check it
has: no 5xx, no undocumented status code or content type, every response body valid against
its schema, schema-violating requests refused, schema-valid requests accepted, 405 for
unsupported methods, 401 without credentials. The run is bounded and repeatable: a fixed
number of examples per operation and deterministic generation (no seed, no randomness).

Nothing is excluded silently:

- ``POST /api/auth/logout`` ends the sign-in, so every later request of the staff pass would
  be refused; it gets a pass of its own with a token of its own (the first case logs out, the
  rest must be answered 401 as the spec says).
- The server cannot reach past this machine (``tests/sandboxed_server.py``): fuzzed URLs of
  knowledge imports and LLM engines resolve to loopback and connections elsewhere are refused.

Reproduce a run by hand (the test prints the command and every failure):
``.venv/bin/pytest tests/test_openapi_fuzz.py -q -s``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from frontdesk.kit.db import Database
from tests.conftest import Backend, empty_database
from tests.servers import free_port

CONFIG = Path(__file__).with_name("openapi_fuzz.toml")  # the few refusals no schema can state
MAX_EXAMPLES = 10  # per operation and phase: ~1-2 minutes per database on 2 cores
RUN_TIMEOUT = 600
GENEROUS = "100000/minute"  # the fuzz is one client hammering sign-in; limits are tested apart
LIMITS = (
    "FRONTDESK_REGISTER_LIMIT_PER_IP",
    "FRONTDESK_LOGIN_LIMIT_PER_IP",
    "FRONTDESK_LOGIN_LIMIT_PER_ACCOUNT",
    "FRONTDESK_LOGIN_LIMIT_PER_ACCOUNT_IP",
    "FRONTDESK_PORTAL_SESSIONS_PER_IP",
    "FRONTDESK_PORTAL_MESSAGES_PER_IP",
    "FRONTDESK_PORTAL_MESSAGES_PER_SESSION",
)


@dataclass(frozen=True)
class Failure:
    title: str  # schemathesis's name for the check that failed
    operation: str
    status: int | None
    message: str
    request: str  # method, path, query and body of the case, for reproducing it
    answer: str  # the start of the response body

    def __str__(self) -> str:
        return (
            f"{self.title} | {self.operation} | {self.status} | {self.message}\n"
            f"    request: {self.request}\n    answer: {self.answer}"
        )


@dataclass
class FuzzServer:
    base: str
    slug: str
    staff_token: str
    reports: Path

    def token(self) -> str:
        """A new sign-in of the workspace owner (each pass may end its own)."""
        response = httpx.post(
            f"{self.base}/api/auth/login",
            json={"email": OWNER["email"], "password": OWNER["password"]},
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def portal_token(self) -> str:
        response = httpx.post(
            f"{self.base}/api/portal/{self.slug}/sessions", json={"name": "Fuzzy Customer"}
        )
        response.raise_for_status()
        return str(response.json()["session_token"])


OWNER = {
    "email": "owner@fuzz.example.com",
    "password": "fuzz-owner-password",
    "full_name": "Fuzz Owner",
    "business_name": "Fuzz Bakery",
}


@pytest.fixture
def fuzz_server(backend: Backend, tmp_path: Path) -> Iterator[FuzzServer]:
    with serving(backend.url, tmp_path) as server:
        yield server


@contextmanager
def serving(database_url: str, workdir: Path) -> Iterator[FuzzServer]:
    """The sandboxed server on an emptied database, with the workspace owner registered."""

    async def empty() -> None:
        db = Database(database_url)
        await empty_database(db)
        await db.dispose()

    asyncio.run(empty())
    port = free_port()
    env = {
        **os.environ,
        **dict.fromkeys(LIMITS, GENEROUS),
        "FRONTDESK_DATABASE_URL": database_url,
        "FRONTDESK_DATA_DIR": str(workdir / "data"),
        "FRONTDESK_SECRET_KEY": "openapi-fuzz-" + "s" * 40,
        # Fuzzed URLs resolve to loopback in the sandbox; the server must be let reach it.
        "FRONTDESK_ALLOW_PRIVATE_NETWORK": "true",
        "FRONTDESK_WARM_ASSISTANT": "false",
        "FRONTDESK_LOG_LEVEL": "warning",
    }
    env.pop("FRONTDESK_REDIS_URL", None)
    log = workdir / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.sandboxed_server", str(port)],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(process, base, log)
        registered = httpx.post(f"{base}/api/auth/register", json=OWNER)
        registered.raise_for_status()
        staff = registered.json()["access_token"]
        workspace = httpx.get(f"{base}/api/workspace", headers={"Authorization": f"Bearer {staff}"})
        yield FuzzServer(base, workspace.json()["slug"], staff, workdir)
    finally:
        process.terminate()
        process.wait(timeout=30)
    errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
    assert not errors, f"the server logged tracebacks: see {log}\n{log.read_text()[-4000:]}"


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not become ready: {log.read_text()}")
        time.sleep(0.2)


def fuzz(server: FuzzServer, name: str, token: str, *selection: str) -> list[Failure]:
    """One schemathesis run over the operations ``selection`` picks; its failures."""
    report = server.reports / f"{name}.ndjson"
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{server.base}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--generation-deterministic",  # also: no examples remembered between runs
        "--workers",
        "1",  # two workers race inside Hypothesis's lambda-source cache on Python 3.11
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        *selection,
    ]
    started = time.monotonic()
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=server.reports
    )
    assert report.exists(), (
        f"schemathesis did not run ({name}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )
    failures, errors = read_report(report)
    counts = Counter(f.title for f in failures)
    print(
        f"\nschemathesis {name}: {len(failures)} failures {dict(counts)}, {len(errors)} errors,"
        f" {time.monotonic() - started:.0f}s\n  " + "\n  ".join(map(str, failures))
    )
    assert not errors, f"schemathesis could not run ({name}):\n" + "\n".join(errors)
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    return failures


def read_report(report: Path) -> tuple[list[Failure], list[str]]:
    """Unique failures (operation, check, status, first message line) and engine errors."""
    failures: dict[Failure, None] = {}
    errors: list[str] = []
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "NonFatalError" in event or "FatalError" in event:
            errors.append(json.dumps(event)[:2000])
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        for case_id, checks in recorder.get("checks", {}).items():
            response = (recorder.get("interactions", {}).get(case_id) or {}).get("response") or {}
            case = (recorder.get("cases", {}).get(case_id) or {}).get("value") or {}
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                message = " / ".join(failure["message"].splitlines()[:3])
                failures[
                    Failure(
                        failure["title"],
                        failure["operation"],
                        response.get("status_code"),
                        message,
                        _described(case),
                        _content(response)[:300],
                    )
                ] = None
    return list(failures), errors


def _described(case: dict[str, object]) -> str:
    parts = [str(case.get(key)) for key in ("method", "path") if case.get(key)]
    for key in ("path_parameters", "query", "body"):
        if case.get(key) not in (None, {}):
            parts.append(f"{key}={json.dumps(case[key], ensure_ascii=True)[:300]}")
    return " ".join(parts)


def _content(response: dict[str, object]) -> str:
    content = response.get("content")
    if isinstance(content, dict) and "$base64" in content:
        return base64.b64decode(str(content["$base64"])).decode("utf-8", "replace")
    return str(content or "")


def test_staff_api_is_true_to_its_spec(fuzz_server: FuzzServer) -> None:
    # Every operation, the portal's too (a staff token there must be answered 401, as the spec
    # says), but logout: tested below with a token of its own.
    failures = fuzz(
        fuzz_server, "staff", fuzz_server.staff_token, "--exclude-path", "/api/auth/logout"
    )
    assert failures == []


def test_logout_is_true_to_its_spec(fuzz_server: FuzzServer) -> None:
    failures = fuzz(
        fuzz_server, "logout", fuzz_server.token(), "--include-path", "/api/auth/logout"
    )
    assert failures == []


def test_portal_api_is_true_to_its_spec(fuzz_server: FuzzServer) -> None:
    # The customer's operations, with a customer's session token.
    failures = fuzz(
        fuzz_server,
        "portal",
        fuzz_server.portal_token(),
        "--include-path-regex",
        "^/api/portal/",
    )
    assert failures == []
