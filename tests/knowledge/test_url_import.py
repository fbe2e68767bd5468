"""Importing a web site through the public API, against a real HTTP server on loopback: the
ingestion job follows same-site links to the depth and page limit asked for, never fetches
what robots.txt forbids, and refuses private addresses unless the instance allows them."""

from __future__ import annotations

import asyncio

import httpx

from frontdesk.services import Services
from tests.conftest import Backend, client_for
from tests.factories import register
from tests.knowledge.test_crawl import Serve, html

ROBOTS = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private\n")


def _site() -> dict[str, tuple[int, dict[str, str], bytes]]:
    return {
        "/robots.txt": ROBOTS,
        "/": html(
            "Home", "/services", "/private/prices", body="<p>Welcome to Elm Street Vets.</p>"
        ),
        "/services": html("Services", "/services/dogs", body="<p>Vaccinations cost $45.</p>"),
        "/services/dogs": html("Dogs", body="<p>Dog grooming costs $60.</p>"),
        "/private/prices": html("Secret", body="<p>Staff discount 50 percent.</p>"),
    }


async def test_url_import_respects_depth_page_limit_and_robots(
    backend: Backend, services: Services, serve: Serve
) -> None:
    site = serve(_site())
    async with client_for(backend.settings(allow_private_network=True)) as client:
        owner = await register(client)
        created = await client.post(
            "/api/knowledge/sources",
            headers=owner.headers,
            json={"kind": "url", "url": site.base + "/", "depth": 1, "max_pages": 5},
        )
        assert created.status_code == 201, created.text
        source_id = created.json()["id"]
        for _ in range(200):  # the job runs in the other app's queue
            source = (
                await client.get(f"/api/knowledge/sources/{source_id}", headers=owner.headers)
            ).json()
            if source["status"] in ("ready", "failed"):
                break
            await asyncio.sleep(0.05)
        assert source["status"] == "ready", source
        text = " ".join(p["text"] for p in source["passages"])
        assert "Welcome to Elm Street Vets" in text and "$45" in text
        assert "$60" not in text  # two links away: beyond depth 1
        assert "Staff discount" not in text
        assert "/private/prices" not in site.paths  # robots.txt: never even requested
        assert "/services/dogs" not in site.paths


async def test_url_import_of_a_private_address_is_refused_by_default(
    client: httpx.AsyncClient, services: Services, serve: Serve
) -> None:
    site = serve(_site())
    owner = await register(client)
    created = await client.post(
        "/api/knowledge/sources",
        headers=owner.headers,
        json={"kind": "url", "url": site.base + "/", "depth": 0, "max_pages": 1},
    )
    assert created.status_code == 201
    await services.jobs.drain()
    source = (
        await client.get(f"/api/knowledge/sources/{created.json()['id']}", headers=owner.headers)
    ).json()
    assert source["status"] == "failed" and source["error"], source
    assert site.paths == []  # nothing was fetched
