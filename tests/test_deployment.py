"""The deployment files: compose.yaml as Debian's docker-compose reads it, the image's
Dockerfile and the proxy's config agreeing with it and with the settings (no Docker engine
runs here: what can be checked without one is checked)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from frontdesk.settings import Settings
from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    tool = shutil.which("docker-compose")
    if tool is None:
        unavailable("docker-compose is missing (Debian: apt-get install docker-compose)")
    assert tool is not None
    checked = subprocess.run(
        [tool, "-f", "compose.yaml", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    resolved = subprocess.run(
        [tool, "-f", "compose.yaml", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    config: dict[str, Any] = yaml.safe_load(resolved.stdout)
    return config


def test_compose_runs_two_apps_a_worker_postgres_redis_and_a_proxy(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert {"app1", "app2", "worker", "postgres", "redis", "proxy", "migrate"} <= set(services)
    for app in ("app1", "app2"):
        assert services[app]["command"][:2] == ["frontdesk", "serve"]
        assert "/healthz" in " ".join(services[app]["healthcheck"]["test"])
        assert services[app]["environment"]["FRONTDESK_AUTO_MIGRATE"] == "false"
        assert services[app]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert services["worker"]["command"][:2] == ["frontdesk", "worker"]
    assert services["migrate"]["command"] == ["frontdesk", "migrate"]
    assert {"app1", "app2"} <= set(services["proxy"]["depends_on"])
    for dependency in ("postgres", "redis"):
        assert "healthcheck" in services[dependency]


def test_every_frontdesk_variable_is_a_real_setting(compose: dict[str, Any]) -> None:
    fields = {name.upper() for name in Settings.model_fields}
    for name, service in compose["services"].items():
        for variable in service.get("environment") or {}:
            if variable.startswith("FRONTDESK_") and name != "proxy":
                assert variable.removeprefix("FRONTDESK_") in fields, (name, variable)
    app = compose["services"]["app1"]["environment"]
    settings = Settings(
        **{
            k.removeprefix("FRONTDESK_").lower(): v
            for k, v in app.items()
            if k.startswith("FRONTDESK_")
        }
    )
    assert settings.job_queue == "redis" and not settings.is_sqlite


def test_the_proxy_sends_to_both_apps_and_checks_readiness() -> None:
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"reverse_proxy app1:8000 app2:8000", caddyfile)
    assert "health_uri /readyz" in caddyfile
    assert re.search(r"@metrics path /metrics\s+respond @metrics 404", caddyfile)


def test_the_image_runs_as_a_user_and_downloads_no_models() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert "HF_HUB_OFFLINE=1" in dockerfile
    assert not re.search(r"huggingface-cli|hf_hub_download|wget|curl ", dockerfile)
