from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import httpx
import zxingcpp
from PIL import Image

from tests.conftest import Backend, client_for
from tests.factories import register


def decode_qr(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


async def test_portal_links_follow_the_request_host(client: httpx.AsyncClient) -> None:
    owner = await register(client, business="Blue Door Cafe")
    links = (await client.get("/api/workspace/portal", headers=owner.headers)).json()
    assert links == {
        "url": "http://testserver/c/blue-door-cafe",
        "qr_png_url": "http://testserver/c/blue-door-cafe/qr.png",
        "qr_svg_url": "http://testserver/c/blue-door-cafe/qr.svg",
        "widget_snippet": '<script src="http://testserver/widget.js" '
        'data-workspace="blue-door-cafe" async></script>',
    }
    other_host = await client.get(
        "/api/workspace/portal", headers={**owner.headers, "Host": "desk.example.org:8443"}
    )
    assert other_host.json()["url"] == "http://desk.example.org:8443/c/blue-door-cafe"


async def test_public_url_setting_wins(client: httpx.AsyncClient, backend: Backend) -> None:
    owner = await register(client, business="Blue Door Cafe")
    settings = backend.settings(public_url="https://chat.bluedoor.example/")
    async with client_for(settings, base_url="http://internal:8000") as http:
        links = (await http.get("/api/workspace/portal", headers=owner.headers)).json()
        qr = await http.get("/c/blue-door-cafe/qr.png")
    assert links["url"] == "https://chat.bluedoor.example/c/blue-door-cafe"
    assert links["widget_snippet"].startswith(
        '<script src="https://chat.bluedoor.example/widget.js"'
    )
    assert decode_qr(qr.content) == ["https://chat.bluedoor.example/c/blue-door-cafe"]


async def test_qr_codes_encode_the_portal_url(client: httpx.AsyncClient) -> None:
    await register(client, business="Blue Door Cafe")
    png = await client.get("/c/blue-door-cafe/qr.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert decode_qr(png.content) == ["http://testserver/c/blue-door-cafe"]
    svg = await client.get("/c/blue-door-cafe/qr.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
    assert (await client.get("/c/no-such-business/qr.png")).status_code == 404


async def test_portal_page_shows_business_assistant_and_greeting(client: httpx.AsyncClient) -> None:
    owner = await register(client, business="Blue Door Cafe")
    await client.put(
        "/api/workspace/assistant",
        headers=owner.headers,
        json={"name": "Milo", "greeting": "Welcome to <Blue Door>!", "quick_prompts": ["Menu?"]},
    )
    page = await client.get("/c/blue-door-cafe")
    assert page.status_code == 200
    html = page.text
    assert "Blue Door Cafe" in html and "Milo" in html
    assert "Welcome to &lt;Blue Door&gt;!" in html  # escaped, never raw
    assert "Menu?" in html
    # The portal is made to be framed by the widget; the dashboard never is.
    assert "frame-ancestors *" in page.headers["content-security-policy"]
    missing = await client.get("/c/nobody-here", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


async def test_widget_script_is_served_as_javascript(client: httpx.AsyncClient) -> None:
    response = await client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in response.text


async def test_portal_api_needs_a_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/workspace/portal")).status_code == 401
