"""The portal's first load without a build step: its stylesheets joined into one response by
the server, and its module preloads read from the sources, both following an edit."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import httpx

from frontdesk.portal.assets import STYLESHEETS, PortalAssets, assets
from tests.factories import register

LINKED_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


async def test_the_portal_links_one_stylesheet_joining_the_chat_css_in_order(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    page = (await client.get(f"/c/{owner.slug}")).text
    linked = LINKED_STYLESHEET.findall(page)
    assert len(linked) == 1, linked  # one request instead of one per file
    sheet = await client.get(linked[0], headers={"Accept-Encoding": "identity"})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/css")
    css = sheet.text
    # Every source whole, in cascade order (the chat's modes last, so its overrides win).
    at = 0
    for url in STYLESHEETS:
        source = assets.file_of(url).read_text(encoding="utf-8")
        found = css.find(source, at)
        assert found >= at, f"{url} missing or out of order"
        at = found + len(source)
    # Named by its content, so it may be kept for good; the bare URL revalidates.
    assert "immutable" in sheet.headers["cache-control"]
    bare = await client.get("/portal-static/chat.css", headers={"Accept-Encoding": "identity"})
    assert bare.headers["cache-control"] == "no-cache" and bare.text == css


async def test_the_joined_stylesheet_is_gzipped_and_revalidates(
    client: httpx.AsyncClient,
) -> None:
    url = assets.stylesheet_url()
    plain = await client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = await client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    assert zipped.content == plain.content  # httpx decoded it
    assert zipped.headers["etag"] != plain.headers["etag"]  # one per encoding
    again = await client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


async def test_the_portal_page_is_gzipped_when_the_browser_takes_it(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    plain = await client.get(f"/c/{owner.slug}", headers={"Accept-Encoding": "identity"})
    zipped = await client.get(f"/c/{owner.slug}", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content) / 2
    assert zipped.text == plain.text and "portal-greeting" in zipped.text


def write(path: Path, text: str, tick: int) -> None:
    """Write and give the file a new modification time (some file systems are coarse)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(tick * 10**9, tick * 10**9))


def test_preloads_are_the_static_imports_and_follow_an_edit(tmp_path: Path) -> None:
    write(
        tmp_path / "main.js",
        "/* The entry.\n"
        '   Words such as import and "quotes" in a comment are no import. */\n'
        "import {\n  Chat,\n  Part as Piece,\n} from './chat/chat.js';\n"
        'import "/app/lib/side.js";\n'
        'const { Lazy } = await import("./lazy.js");\n',
        1,
    )
    write(tmp_path / "chat" / "chat.js", 'import { dom } from "/app/lib/dom.js";\n', 1)
    write(tmp_path / "lib" / "dom.js", 'export * from "./format.js";\nexport const dom = 1;\n', 1)
    write(tmp_path / "lib" / "format.js", "export const format = 1;\n", 1)
    write(tmp_path / "lib" / "side.js", "export const x = 'import y from \"z\"';\n", 1)
    write(tmp_path / "lazy.js", "export const Lazy = 1;\n", 1)
    write(tmp_path / "a.css", "a { color: red }\n", 1)
    write(tmp_path / "b.css", "b { color: blue }\n", 1)
    found = PortalAssets({"/app/": tmp_path}, ("/app/a.css", "/app/b.css"), "/app/main.js")

    assert found.preloads() == (
        "/app/chat/chat.js",
        "/app/lib/side.js",
        "/app/lib/dom.js",
        "/app/lib/format.js",
    )
    edited = 'import { dom } from "../lib/dom.js";\nimport { lazy } from "../lazy.js";\n'
    write(tmp_path / "chat" / "chat.js", edited, 2)
    assert "/app/lazy.js" in found.preloads()

    first = found.stylesheet()
    joined = b"/* /app/a.css */\na { color: red }\n\n/* /app/b.css */\nb { color: blue }\n"
    assert first.body == joined
    assert gzip.decompress(first.gzipped) == first.body
    write(tmp_path / "b.css", "b { color: green }\n", 2)
    second = found.stylesheet()
    assert b"green" in second.body and second.tag != first.tag
    assert found.stylesheet_url() == f"/portal-static/chat.css?v={second.tag}"
