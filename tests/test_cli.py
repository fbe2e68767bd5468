"""The ``frontdesk`` command as a user runs it: real processes, a real port."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from frontdesk.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.servers import process_server

FRONTDESK = [sys.executable, "-m", "frontdesk"]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FRONTDESK, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def serving(args: list[str], env: dict[str, str], log: Path) -> AbstractContextManager[str]:
    return process_server(env, log, *args)


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env["FRONTDESK_LOG_LEVEL"] = "warning"
    return env


def test_serve_with_no_configuration_creates_demo_and_keeps_sessions(
    tmp_path: Path, clean_env: dict[str, str]
) -> None:
    data_dir = tmp_path / "var"
    log = tmp_path / "serve.log"
    with serving(["--data-dir", str(data_dir), "--demo"], clean_env, log) as base:
        assert (data_dir / "frontdesk.db").exists()
        secret = (data_dir / "secret.key").read_text()
        assert len(secret) >= 32
        assert oct((data_dir / "secret.key").stat().st_mode & 0o777) == "0o600"
        portal = httpx.get(base + "/c/bright-smile-dental")
        assert portal.status_code == 200 and "Sunny" in portal.text
        tokens = httpx.post(
            base + "/api/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        ).json()
    # A restart keeps the secret, so the same token still works.
    with serving(["--data-dir", str(data_dir)], clean_env, log) as base:
        assert (data_dir / "secret.key").read_text() == secret
        me = httpx.get(
            base + "/api/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
        assert me.status_code == 200
        assert me.json()["workspace"]["slug"] == "bright-smile-dental"
    assert "password: brightsmile-demo" in log.read_text()  # printed once, on first start


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_migrate_and_demo_commands(backend: object, clean_env: dict[str, str]) -> None:
    from tests.conftest import Backend

    assert isinstance(backend, Backend)
    env = {
        **clean_env,
        "FRONTDESK_DATABASE_URL": backend.url,
        "FRONTDESK_DATA_DIR": str(backend.data_dir),
    }
    migrated = run(["migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    assert "up to date" in migrated.stdout
    first = run(["demo"], env)
    assert first.returncode == 0, first.stderr
    assert DEMO_EMAIL in first.stdout and DEMO_PASSWORD in first.stdout
    second = run(["demo"], env)
    assert second.returncode == 0 and "already exists" in second.stdout


def test_unknown_command_and_bad_settings_fail_clearly(clean_env: dict[str, str]) -> None:
    unknown = run(["frobnicate"], clean_env)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr
    weak = run(["migrate"], {**clean_env, "FRONTDESK_SECRET_KEY": "short"})
    assert weak.returncode != 0 and "secret_key" in weak.stderr
