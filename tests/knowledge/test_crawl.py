"""The site crawler against a real HTTP server on loopback: depth, page limit, robots.txt,
content types, size cap, redirects, and the refusal of private addresses."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from frontdesk.knowledge.crawl import (
    BlockedUrlError,
    CrawlError,
    FetchedPage,
    canonical,
    check_public_url,
    crawl,
)
from tests.knowledge.sample_documents import price_list_pdf

Route = tuple[int, dict[str, str], bytes]


def html(title: str, *links: str, body: str = "") -> Route:
    anchors = "".join(f'<a href="{link}">{link}</a> ' for link in links)
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}{anchors}"
    return 200, {"Content-Type": "text/html; charset=utf-8"}, (page + "</body></html>").encode()


@dataclass
class Site:
    routes: dict[str, Route]
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, user agent)
    base: str = ""

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append((self.path, self.headers.get("User-Agent", "")))
        status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers and not headers.get("X-No-Length"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The crawler hangs up on an oversized body, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


Serve = Callable[[dict[str, Route]], Site]


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[_Server] = []

    def start(routes: dict[str, Route]) -> Site:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.site = Site(routes, base=f"http://127.0.0.1:{server.server_address[1]}")
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.site

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


ROBOTS: Route = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")


def small_site() -> dict[str, Route]:
    return {
        "/robots.txt": ROBOTS,
        "/": html(
            "Home",
            "/a.html",
            "/b.html#prices",
            "/private/secret.html",
            "/logo.png",
            "mailto:desk@example.com",
            "#top",
            "/a.html#again",
            "http://example.invalid/elsewhere",
            "/price-list.pdf",
            "/notes.txt",
            "/missing.html",
            "/moved",
            "/away",
            "/untyped",
            "/price%20list%202.pdf",
        ),
        "/a.html": html("A", "/a2.html", "/"),
        "/a2.html": html("A2", "/a3.html"),
        "/a3.html": html("A3", "/a4.html"),
        "/a4.html": html("A4"),
        "/b.html": html("B", "/", "/private/other.html"),
        "/private/secret.html": html("Secret"),
        "/private/other.html": html("Other secret"),
        "/price-list.pdf": (200, {"Content-Type": "application/pdf"}, price_list_pdf()),
        "/notes.txt": (200, {"Content-Type": "text/plain"}, b"plain notes"),
        "/untyped": (200, {}, b"<!DOCTYPE html><title>Untyped</title><p>No header</p>"),
        "/price%20list%202.pdf": (200, {"Content-Type": "application/octet-stream"}, b"%PDF-1.4 x"),
        "/moved": (301, {"Location": "/b.html"}, b""),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG"),
    }


async def run(site: Site, path: str = "/", **options: int) -> list[FetchedPage]:
    async with httpx.AsyncClient() as client:
        return await crawl(
            site.base + path,
            depth=options.get("depth", 5),
            max_pages=options.get("max_pages", 50),
            client=client,
            allow_private=True,
        )


def paths_of(site: Site, pages: list[FetchedPage]) -> list[str]:
    return [page.url.removeprefix(site.base) for page in pages]


async def test_crawl_follows_site_links_to_the_depth_and_honours_robots_txt(serve: Serve) -> None:
    other = serve({"/robots.txt": ROBOTS, "/elsewhere": html("Another site")})
    routes = small_site()
    routes["/away"] = (302, {"Location": other.base + "/elsewhere"}, b"")
    site = serve(routes)
    pages = await run(site, depth=2)
    assert paths_of(site, pages) == [
        "/",
        "/a.html",
        "/b.html",
        "/price-list.pdf",
        "/untyped",
        "/price%20list%202.pdf",
        "/a2.html",
    ]
    assert [page.title for page in pages[4:6]] == ["Untyped", "price list 2.pdf"]
    assert [page.title for page in pages[:3]] == ["Home", "A", "B"]
    assert pages[3].content_type == "application/pdf" and pages[3].content.startswith(b"%PDF-")
    assert pages[0].content_type == "text/html" and b"<h1>Home</h1>" in pages[0].content
    # Disallowed, too deep, skipped by extension, off-site: never requested at all.
    for never in ("/private/secret.html", "/private/other.html", "/a3.html", "/logo.png"):
        assert never not in site.paths
    assert site.paths.count("/robots.txt") == 1
    assert site.paths.count("/b.html") == 1  # "/moved" redirects to a page already fetched
    assert "/notes.txt" in site.paths  # fetched, but plain text is not a page to import
    assert {agent for _, agent in site.requests} == {"FrontdeskBot/1.0"}
    assert other.requests == []  # a redirect off the site is not followed


async def test_depth_zero_is_the_start_page_alone_and_three_hops_reach_further(
    serve: Serve,
) -> None:
    site = serve(small_site())
    assert paths_of(site, await run(site, depth=0)) == ["/"]
    deeper = paths_of(site, await run(site, depth=3))
    assert "/a3.html" in deeper and "/a4.html" not in deeper


async def test_page_limit_stops_the_crawl_in_breadth_first_order(serve: Serve) -> None:
    site = serve(small_site())
    pages = await run(site, depth=5, max_pages=3)
    assert paths_of(site, pages) == ["/", "/a.html", "/b.html"]
    assert "/a2.html" not in site.paths


async def test_a_start_page_disallowed_by_robots_txt_is_an_error_the_user_sees(
    serve: Serve,
) -> None:
    site = serve(small_site())
    with pytest.raises(CrawlError, match=r"robots\.txt does not allow"):
        await run(site, "/private/secret.html")
    assert site.paths == ["/robots.txt"]


async def test_without_robots_txt_everything_on_the_site_may_be_fetched(serve: Serve) -> None:
    routes = small_site()
    del routes["/robots.txt"]
    site = serve(routes)
    pages = await run(site, depth=1)
    assert "/private/secret.html" in paths_of(site, pages)


async def test_a_robots_txt_the_server_fails_to_give_allows_nothing(serve: Serve) -> None:
    routes = small_site()
    routes["/robots.txt"] = (503, {}, b"down")
    site = serve(routes)
    with pytest.raises(CrawlError, match=r"could not give its robots\.txt \(HTTP status 503\)"):
        await run(site)
    assert site.paths == ["/robots.txt"]


async def test_loopback_is_refused_unless_private_addresses_are_allowed(serve: Serve) -> None:
    site = serve(small_site())
    async with httpx.AsyncClient() as client:
        with pytest.raises(BlockedUrlError, match="loopback"):
            await crawl(site.base + "/", depth=1, max_pages=5, client=client)
        with pytest.raises(BlockedUrlError, match="loopback"):
            await crawl(
                site.base.replace("127.0.0.1", "localhost") + "/", depth=0, max_pages=1,
                client=client,
            )  # fmt: skip
    assert site.requests == []


async def test_redirect_targets_are_checked_too(serve: Serve) -> None:
    routes = small_site()
    routes["/go"] = (302, {"Location": "http://0.0.0.0:9/"}, b"")
    site = serve(routes)
    with pytest.raises(BlockedUrlError, match="not a web server address"):
        await run(site, "/go")
    assert site.paths == ["/robots.txt", "/go"]


async def test_oversized_and_unsupported_start_pages_are_refused(serve: Serve) -> None:
    routes = small_site()
    # No Content-Length: the cap must hold while the body streams in.
    routes["/huge.html"] = (
        200,
        {"Content-Type": "text/html", "X-No-Length": "1"},
        b"x" * 6_000_000,
    )
    routes["/declared.html"] = (
        200, {"Content-Type": "text/html", "Content-Length": "9000000"}, b"<p>short</p>",
    )  # fmt: skip
    site = serve(routes)
    with pytest.raises(CrawlError, match="larger than 5 MB"):
        await run(site, "/huge.html")
    with pytest.raises(CrawlError, match="larger than 5 MB"):
        await run(site, "/declared.html")
    with pytest.raises(CrawlError, match="not a web page or a PDF"):
        await run(site, "/notes.txt")
    with pytest.raises(CrawlError, match="HTTP status 404"):
        await run(site, "/missing.html")


def test_the_address_guard() -> None:
    for url in (
        "http://127.0.0.1/",
        "http://localhost:8000/x",
        "http://[::1]/",
        "http://10.0.0.8/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://100.64.0.1/",
    ):
        with pytest.raises(BlockedUrlError):
            check_public_url(url, allow_private=False)
        check_public_url(url, allow_private=True)
    for url in ("http://0.0.0.0/", "http://224.0.0.1/", "http://240.0.0.1/"):
        with pytest.raises(BlockedUrlError, match="not a web server address"):
            check_public_url(url, allow_private=True)
    for url in ("ftp://93.184.215.14/", "file:///etc/passwd", "http:///nohost"):
        with pytest.raises(BlockedUrlError):
            check_public_url(url, allow_private=True)
    check_public_url("https://93.184.215.14/prices", allow_private=False)  # a public literal
    check_public_url("http://[2606:4700:4700::1111]/", allow_private=False)


def test_canonical_urls_drop_fragments_and_default_ports() -> None:
    assert canonical("HTTP://Example.COM:80/a#b") == "http://example.com/a"
    assert canonical("https://example.com:443") == "https://example.com/"
    assert canonical("http://example.com:8080/x?y=1#z") == "http://example.com:8080/x?y=1"


async def test_robots_meta_rules_agent_groups_and_crawl_delay(serve: Serve) -> None:
    routes = {
        "/robots.txt": (
            200,
            {"Content-Type": "text/plain"},
            b"User-agent: *\nDisallow: /\n\nUser-agent: FrontdeskBot\nDisallow: /staff/\n"
            b"Crawl-delay: 1\n",
        ),
        "/": html("Home", "/hidden.html", "/staff/rota.html", "/closed.html"),
        "/hidden.html": (
            200,
            {"Content-Type": "text/html"},
            b'<html><head><meta name="robots" content="noindex"></head>'
            b'<body><a href="/behind.html">more</a></body></html>',
        ),
        "/behind.html": html("Behind"),
        "/closed.html": (
            200,
            {"Content-Type": "text/html"},
            b'<html><head><meta name="robots" content="nofollow"><title>Closed</title></head>'
            b'<body><a href="/never.html">x</a></body></html>',
        ),
        "/never.html": html("Never"),
    }
    site = serve(routes)
    started = asyncio.get_running_loop().time()
    pages = await run(site, depth=3)
    elapsed = asyncio.get_running_loop().time() - started
    # Our own group applies, not the catch-all one; a noindex page is not imported but its
    # links are followed; a nofollow page is imported but its links are not.
    assert paths_of(site, pages) == ["/", "/closed.html", "/behind.html"]
    assert "/staff/rota.html" not in site.paths and "/never.html" not in site.paths
    assert elapsed >= 3  # Crawl-delay: 1 before each of the three pages after the first


async def test_an_address_typed_without_a_scheme_is_read_as_https(serve: Serve) -> None:
    site = serve(small_site())
    async with httpx.AsyncClient() as client:
        # The loopback server speaks plain HTTP, so the HTTPS attempt fails to connect: the
        # point is that the address was understood and tried, not refused as malformed.
        with pytest.raises(CrawlError, match=r"https://127\.0\.0\.1:\d+/robots\.txt could not be"):
            await crawl(
                site.base.removeprefix("http://"), depth=0, max_pages=1, client=client,
                allow_private=True,
            )  # fmt: skip


async def test_a_site_of_links_that_are_not_pages_uses_up_a_request_budget(serve: Serve) -> None:
    links = [f"/file{number}.txt" for number in range(30)]
    routes = {"/robots.txt": ROBOTS, "/": html("Home", *links)}
    routes.update({link: (200, {"Content-Type": "text/plain"}, b"x") for link in links})
    site = serve(routes)
    pages = await run(site, depth=1, max_pages=2)
    assert paths_of(site, pages) == ["/"]
    assert len(site.paths) == 2 + 2 * 4  # robots.txt, the start page, then 4 tries a page
    with pytest.raises(CrawlError, match="page limit"):
        await run(site, max_pages=0)
