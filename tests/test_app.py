"""Cross-cutting behaviour of the application: health, errors, security headers."""

from __future__ import annotations

import httpx

from frontdesk.app import create_app
from tests.conftest import Backend, client_for
from tests.factories import register


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = (await client.get("/readyz")).json()
    assert ready["status"] == "ready"
    assert ready["checks"]["database"] == "ok" and "in-process" in ready["checks"]["queue"]


async def test_readiness_fails_when_the_database_is_unreachable(backend: Backend) -> None:
    url = (
        "postgresql+asyncpg://postgres@127.0.0.1:1/nothing"
        if backend.name == "postgresql"
        else f"sqlite+aiosqlite:///{backend.data_dir}"
    )  # a directory is no database file
    async with client_for(backend.settings(database_url=url)) as http:
        assert (await http.get("/healthz")).status_code == 200
        response = await http.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_ready"


async def test_errors_use_one_envelope(client: httpx.AsyncClient) -> None:
    not_found = await client.get("/api/no-such-thing")
    assert not_found.status_code == 404
    assert set(not_found.json()["error"]) == {"code", "message", "details"}
    wrong_method = await client.delete("/api/auth/login")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    bad_json = await client.post(
        "/api/auth/login", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status_code == 422
    assert bad_json.json()["error"]["code"] == "validation_error"


async def test_unexpected_errors_never_leak_internals(backend: Backend) -> None:
    broken = create_app(backend.settings())

    @broken.get("/api/explode")
    async def explode() -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    async with client_for(backend.settings(), broken) as http:
        response = await http.get("/api/explode")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "hunter2" not in response.text and "Traceback" not in response.text


async def test_security_headers(client: httpx.AsyncClient) -> None:
    await register(client, business="Shop")
    dashboard = await client.get("/login")
    csp = dashboard.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert dashboard.headers["x-frame-options"] == "DENY"
    assert dashboard.headers["x-content-type-options"] == "nosniff"
    assert dashboard.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    api = await client.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff"
    portal = await client.get("/c/shop")
    assert "frame-ancestors *" in portal.headers["content-security-policy"]
    assert "x-frame-options" not in portal.headers


async def test_openapi_describes_the_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    for path in (
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/me",
        "/api/workspace",
        "/api/workspace/assistant",
        "/api/workspace/portal",
        "/api/workspace/members",
        "/api/invitations/{token}/accept",
        "/api/audit",
    ):
        assert path in spec["paths"], path
    docs = await client.get("/docs")
    assert docs.status_code == 200
    # Served from our own static files, so the reference works with no internet.
    assert "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    bundle = await client.get("/static/vendor/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200
