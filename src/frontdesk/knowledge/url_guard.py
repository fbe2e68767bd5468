"""Refusing URLs that point inside the network the server runs in (SSRF protection).

Every URL the crawler fetches, and every redirect target, passes through here: the host is
resolved and each address it resolves to must be public. ``allow_private`` admits loopback,
private and link-local addresses (tests, self-hosted intranets); addresses that are never a
web server (unspecified, multicast, reserved, broadcast) are refused even then.

A name could resolve differently between this check and the connection (DNS rebinding);
the check narrows that window but does not close it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class CrawlError(ValueError):
    """A web import that cannot go ahead; the message is meant for the person who asked."""


class BlockedUrlError(CrawlError):
    """The URL points at an address the server may not fetch from."""


def _host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedUrlError(f"Only http and https addresses can be imported, not {url!r}.")
    if not parts.hostname:
        raise BlockedUrlError(f"{url!r} is not a complete web address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise BlockedUrlError(f"{url!r} has an invalid port.") from error
    return parts.hostname, port


def refusal(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why an address may not be fetched from, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified or address.is_multicast:
        return "is not a web server address"
    if address == ipaddress.IPv4Address("255.255.255.255"):
        return "is a broadcast address"
    if isinstance(address, ipaddress.IPv4Address) and address.is_reserved:  # 240.0.0.0/4
        return "is not a web server address"
    # Loopback and private before "reserved": Python counts ::1 as reserved (it is in ::/8).
    if address.is_loopback:
        return None if allow_private else "is this server itself (loopback)"
    if address.is_link_local:
        return None if allow_private else "is a link-local address"
    if address.is_private:
        return None if allow_private else "is a private network address"
    if address.is_reserved:
        return "is not a web server address"
    if not address.is_global and not allow_private:
        return "is not a public address"
    return None


def _check_addresses(url: str, host: str, addresses: list[str], *, allow_private: bool) -> None:
    if not addresses:
        raise BlockedUrlError(f"The address {host} could not be found.")
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        reason = refusal(address, allow_private=allow_private)
        if reason is not None:
            raise BlockedUrlError(
                f"{url} cannot be imported: {host} {reason}. Only public web sites can be imported."
            )


def check_public_url(url: str, *, allow_private: bool) -> None:
    """Raise ``BlockedUrlError`` unless every address the URL's host resolves to is allowed."""
    host, port = _host_and_port(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedUrlError(f"The address {host} could not be found.") from error
    _check_addresses(url, host, [str(info[4][0]) for info in infos], allow_private=allow_private)


async def check_public_url_async(url: str, *, allow_private: bool) -> None:
    """``check_public_url`` with the name resolved without blocking the event loop."""
    host, port = _host_and_port(url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedUrlError(f"The address {host} could not be found.") from error
    _check_addresses(url, host, [str(info[4][0]) for info in infos], allow_private=allow_private)
