"""Importing web pages: one page, or a site's own links breadth-first to a depth and a page
limit, as a polite crawler does (robots.txt honoured, our user agent named, responses capped in
size and time), with every fetched address checked to be public (``url_guard``).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from frontdesk.kit.outbound import BlockedAddress
from frontdesk.knowledge.blocks import ExtractionError
from frontdesk.knowledge.extract_html import decode_html, page_title, parse_html
from frontdesk.knowledge.url_guard import (
    BlockedUrlError,
    CrawlError,
    blocked,
    check_public_url,
    check_public_url_async,
)

__all__ = [
    "BlockedUrlError",
    "CrawlError",
    "FetchedPage",
    "check_public_url",
    "crawl",
]

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 5 * 1024 * 1024
MAX_ROBOTS_BYTES = 512 * 1024
MAX_REDIRECTS = 5
REQUEST_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
PAGE_DEADLINE_SECONDS = 20.0  # a whole response, however slowly it trickles in
HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf", "application/x-pdf")
# A PDF served without a precise type is recognised by its first bytes, so these are read too.
_PAGE_TYPES = (*HTML_TYPES, *PDF_TYPES, "application/octet-stream", "binary/octet-stream", "")
MAX_CRAWL_DELAY_SECONDS = 5.0
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
# Links to these are never pages worth fetching; skipping them saves a request each.
_SKIPPED_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".css", ".js", ".json",
    ".xml", ".zip", ".gz", ".tar", ".rar", ".7z", ".mp3", ".mp4", ".mov", ".avi", ".webm",
    ".woff", ".woff2", ".ttf", ".exe", ".dmg", ".apk", ".doc", ".xls", ".xlsx", ".ppt", ".pptx",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # where the page was found, after redirects
    title: str
    content: bytes
    content_type: str  # media type without parameters: "text/html" or "application/pdf"


@dataclass(slots=True)
class _Response:
    url: str
    status: int
    content_type: str  # with parameters (charset)
    content: bytes


def canonical(url: str) -> str:
    """The URL without its fragment, scheme and host lower-cased, default port dropped."""
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default) else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def origin(url: str) -> str:
    parts = urlsplit(canonical(url))
    return f"{parts.scheme}://{parts.netloc}"


async def crawl(
    start_url: str,
    *,
    depth: int,
    max_pages: int,
    client: httpx.AsyncClient,
    allow_private: bool = False,
    user_agent: str = "FrontdeskBot/1.0",
) -> list[FetchedPage]:
    """HTML and PDF pages of one site, breadth-first from ``start_url``.

    ``depth`` counts link hops from the start page (0: the start page alone). The start page
    failing (refused address, robots.txt, an error status, an unsupported type) raises
    ``CrawlError`` with a message for the user; a later page failing is skipped.
    """
    if depth < 0 or max_pages < 1:
        raise CrawlError("The depth must be 0 or more and the page limit at least 1.")
    crawler = _Crawler(client, allow_private=allow_private, user_agent=user_agent)
    start_url = start_url.strip()
    if "://" not in start_url:
        start_url = "https://" + start_url  # "example.com/prices", as people type addresses
    start = canonical(start_url)
    page, links = await crawler.fetch_page(start, is_start=True)
    assert page is not None
    pages = [page]
    site = crawler.site = origin(page.url)
    seen = crawler.seen
    seen.update({start, canonical(page.url)})
    queue: deque[tuple[str, int]] = deque()

    def enqueue(found: list[str], hops: int) -> None:
        for link in found:
            if hops > depth or link in seen or origin(link) != site:
                continue
            if urlsplit(link).path.lower().endswith(_SKIPPED_EXTENSIONS):
                continue
            if not crawler.allowed_now(link):
                continue  # robots.txt says no: not worth a place in the queue (or a pause)
            seen.add(link)
            queue.append((link, hops))

    enqueue(links, 1)
    # Links that turn out not to be pages (other types, errors, noindex) cost a request each:
    # a budget keeps a site full of them from holding the import up.
    budget = max_pages * 4
    while queue and len(pages) < max_pages and budget > 0:
        budget -= 1
        url, hops = queue.popleft()
        await crawler.pause()
        try:
            found, links = await crawler.fetch_page(url, is_start=False)
        except CrawlError as error:
            log.info("skipped %s: %s", url, error)
            continue
        enqueue(links, hops + 1)
        if found is not None:
            seen.add(canonical(found.url))
            pages.append(found)
    return pages[:max_pages]


class _Crawler:
    def __init__(self, client: httpx.AsyncClient, *, allow_private: bool, user_agent: str) -> None:
        self.client = client
        self.allow_private = allow_private
        self.user_agent = user_agent
        self.robots: dict[str, RobotFileParser] = {}
        self.seen: set[str] = set()  # URLs fetched or queued; a redirect to one is not followed
        self.site = ""  # the start page's origin, once known; redirects off it are not followed

    async def pause(self) -> None:
        """Wait as long as the site's robots.txt asks between requests (capped)."""
        rules = self.robots.get(self.site)
        delay = rules.crawl_delay(self.user_agent) if rules is not None else None
        if delay:
            await asyncio.sleep(min(float(delay), MAX_CRAWL_DELAY_SECONDS))

    async def fetch_page(self, url: str, *, is_start: bool) -> tuple[FetchedPage | None, list[str]]:
        """The page (None when it is not one to import) and the links to follow from it."""
        response = await self._get(url, MAX_RESPONSE_BYTES, for_page=True)
        if response is None:
            return None, []
        if response.status >= 400:
            raise CrawlError(f"{url} answered with HTTP status {response.status}.")
        media_type = response.content_type.split(";")[0].strip().lower()
        if media_type in PDF_TYPES or response.content.startswith(b"%PDF-"):
            name = unquote(urlsplit(response.url).path.rsplit("/", 1)[-1]) or response.url
            return FetchedPage(response.url, name, response.content, "application/pdf"), []
        untyped_html = media_type in _PAGE_TYPES and _HTML_START.match(response.content[:1024])
        if media_type not in HTML_TYPES and not untyped_html:
            if is_start:
                raise CrawlError(
                    f"{url} is not a web page or a PDF (it is {media_type or 'of unknown type'})."
                )
            return None, []
        page, links, indexable = self._html_page(response)
        return (page if indexable or is_start else None), links

    def _html_page(self, response: _Response) -> tuple[FetchedPage, list[str], bool]:
        """The page, its links, and whether its robots meta tag lets it be imported."""
        try:
            root = parse_html(decode_html(response.content, response.content_type))
        except ExtractionError:
            return FetchedPage(response.url, "", response.content, "text/html"), [], True
        robots_meta = " ".join(
            (meta.get("content") or "").lower()
            for meta in root.iter("meta")
            if (meta.get("name") or "").lower() in ("robots", "frontdeskbot")
        )
        base = response.url
        base_tag = root.find(".//base")
        if base_tag is not None and base_tag.get("href"):
            base = urljoin(response.url, base_tag.get("href"))
        links: list[str] = []
        if "nofollow" not in robots_meta and "none" not in robots_meta:
            links = _links(root, base)
        page = FetchedPage(response.url, page_title(root), response.content, "text/html")
        indexable = "noindex" not in robots_meta and "none" not in robots_meta
        return page, links, indexable

    async def _get(self, url: str, limit: int, *, for_page: bool) -> _Response | None:
        """GET with redirects followed by hand, so every hop is checked: its address, and for a
        page (``for_page``, not robots.txt itself) robots.txt. None when a page redirects to
        one the crawl already has, or off the site."""
        for hop in range(MAX_REDIRECTS + 1):
            if hop and for_page and (url in self.seen or self.site not in ("", origin(url))):
                return None
            await check_public_url_async(url, allow_private=self.allow_private)
            if for_page and not await self._allowed(url):
                raise CrawlError(f"The site's robots.txt does not allow importing {url}.")
            response = await self._fetch(url, limit, pages_only=for_page)
            if response.status in (301, 302, 303, 307, 308) and response.url:
                url = canonical(urljoin(url, response.url))
                continue
            response.url = url
            return response
        raise CrawlError(f"{url} redirects too many times.")

    async def _fetch(self, url: str, limit: int, *, pages_only: bool) -> _Response:
        headers = {"User-Agent": self.user_agent, "Accept": "text/html,application/pdf;q=0.9"}
        try:
            async with asyncio.timeout(PAGE_DEADLINE_SECONDS):
                async with self.client.stream(
                    "GET", url, headers=headers, timeout=REQUEST_TIMEOUT, follow_redirects=False
                ) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        return _Response(location, response.status_code, "", b"")
                    content_type = response.headers.get("content-type", "")
                    media_type = content_type.split(";")[0].strip().lower()
                    if pages_only and media_type not in _PAGE_TYPES:
                        # Not a page to import: the body is not worth downloading.
                        return _Response(url, response.status_code, content_type, b"")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise CrawlError(f"{url} is larger than {limit // (1024 * 1024)} MB.")
                    body = bytearray()
                    async for piece in response.aiter_bytes():
                        body.extend(piece)
                        if len(body) > limit:
                            raise CrawlError(f"{url} is larger than {limit // (1024 * 1024)} MB.")
                    return _Response(url, response.status_code, content_type, bytes(body))
        except TimeoutError as error:
            raise CrawlError(f"{url} took too long to answer.") from error
        except httpx.TimeoutException as error:
            raise CrawlError(f"{url} took too long to answer.") from error
        except httpx.HTTPError as error:
            raise CrawlError(f"{url} could not be reached ({type(error).__name__}).") from error
        except BlockedAddress as error:  # refused at connect time: the name now resolves inside
            raise blocked(BlockedAddress(url, error.host, error.reason)) from error

    def allowed_now(self, url: str) -> bool:
        """robots.txt's answer for a site whose file is already read (True when not read)."""
        rules = self.robots.get(origin(url))
        return rules is None or rules.can_fetch(self.user_agent, url)

    async def _allowed(self, url: str) -> bool:
        site = origin(url)
        rules = self.robots.get(site)
        if rules is None:
            rules = await self._read_robots(site)
            self.robots[site] = rules
        return rules.can_fetch(self.user_agent, url)

    async def _read_robots(self, site: str) -> RobotFileParser:
        """The site's robots.txt, read as RFC 9309 says: a missing file (4xx) allows all; one
        the server fails to give (5xx) allows nothing. A site that cannot be reached at all
        is an error of its own (``CrawlError``), so the user is told the true reason."""
        rules = RobotFileParser(site + "/robots.txt")
        response = await self._get(site + "/robots.txt", MAX_ROBOTS_BYTES, for_page=False)
        assert response is not None  # only page fetches skip redirects
        if response.status >= 500:
            raise CrawlError(
                f"{site} could not give its robots.txt (HTTP status {response.status}), so "
                "nothing can be imported from it for now. Try again later."
            )
        if 400 <= response.status < 500:
            rules.parse([])
        else:
            rules.parse(response.content.decode("utf-8", "replace").splitlines())
        return rules


def _links(root: Any, base: str) -> list[str]:
    found: list[str] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        if "nofollow" in (anchor.get("rel") or "").lower():
            continue
        absolute = urljoin(base, href)
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue  # mailto:, tel:, javascript:
        found.append(canonical(absolute))
    return list(dict.fromkeys(found))
