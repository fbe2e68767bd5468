"""Scripts and stylesheets come from memory, gzipped, and follow an edit of the file; other
files, large ones and byte ranges are served as StaticFiles serves them."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from frontdesk.kit.static_files import MemoryStaticFiles
from frontdesk.web.templating import STATIC_DIR


async def test_the_shared_library_is_served_gzipped_with_an_etag_per_encoding(
    client: httpx.AsyncClient,
) -> None:
    source = (STATIC_DIR / "lib" / "dom.js").read_bytes()
    plain = await client.get("/static/lib/dom.js", headers={"Accept-Encoding": "identity"})
    zipped = await client.get("/static/lib/dom.js", headers={"Accept-Encoding": "gzip"})
    assert plain.content == source and zipped.content == source
    assert plain.headers["content-type"].startswith("text/javascript")
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(source) / 2
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "last-modified" in zipped.headers
    # The security headers still apply (the portal's scripts may be framed by the widget).
    assert zipped.headers["x-content-type-options"] == "nosniff"
    for tag in (zipped.headers["etag"], f'W/{zipped.headers["etag"]}, "other"'):
        again = await client.get(
            "/static/lib/dom.js", headers={"Accept-Encoding": "gzip", "If-None-Match": tag}
        )
        assert again.status_code == 304, tag
    portal = await client.get("/portal-static/chat.js", headers={"Accept-Encoding": "gzip"})
    assert portal.headers["content-encoding"] == "gzip"


async def test_files_follow_an_edit_and_others_are_left_to_static_files(tmp_path: Path) -> None:
    script = tmp_path / "app.js"
    script.write_text("export const version = 1;\n")
    (tmp_path / "data.json").write_text('{"a": 1}')
    app = Starlette(routes=[Mount("/s", MemoryStaticFiles(directory=tmp_path))])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        first = await http.get("/s/app.js")
        assert first.headers["content-encoding"] == "gzip"
        script.write_text("export const version = 22;\n")
        os.utime(script, ns=(2 * 10**9, 2 * 10**9))
        second = await http.get("/s/app.js")
        assert second.text == "export const version = 22;\n"
        assert second.headers["etag"] != first.headers["etag"]

        ranged = await http.get("/s/app.js", headers={"Range": "bytes=0-5"})
        assert ranged.status_code == 206 and ranged.text == "export"
        other = await http.get("/s/data.json")
        assert other.json() == {"a": 1} and "content-encoding" not in other.headers
        assert (await http.get("/s/missing.js")).status_code == 404
        assert (await http.get("/s/../app.js")).status_code == 404
