"""Absolute links to a workspace's portal, built from FRONTDESK_PUBLIC_URL when set and
otherwise from the scheme and host the request came in on."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from frontdesk.settings import Settings


@dataclass(frozen=True)
class PortalLinks:
    base_url: str
    url: str
    qr_png_url: str
    qr_svg_url: str
    widget_src: str
    widget_snippet: str


def portal_links(settings: Settings, request_base_url: str, slug: str) -> PortalLinks:
    base = settings.public_url or request_base_url.rstrip("/")
    url = f"{base}/c/{slug}"
    widget_src = f"{base}/widget.js"
    snippet = f'<script src="{escape(widget_src)}" data-workspace="{escape(slug)}" async></script>'
    return PortalLinks(
        base_url=base,
        url=url,
        qr_png_url=f"{url}/qr.png",
        qr_svg_url=f"{url}/qr.svg",
        widget_src=widget_src,
        widget_snippet=snippet,
    )
