"""Refusing server-side requests to addresses inside the network the server runs in (SSRF).

Every address the server itself connects to on someone's behalf — a web page to import, a
workspace's LLM base URL — passes through here: the host is resolved and each address it
resolves to must be public. ``allow_private`` (``FRONTDESK_ALLOW_PRIVATE_NETWORK``) admits
loopback, private and link-local addresses (tests, self-hosted intranets, a local Ollama);
addresses that are never a server (unspecified, multicast, reserved, broadcast) are refused
even then.

Two checks, because a name can resolve differently between them (DNS rebinding): one when a
URL is accepted, for a clear message, and one at connect time (:func:`guard_transport`),
where the connection goes to the very address that was checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_SETTING = "FRONTDESK_ALLOW_PRIVATE_NETWORK"


class BlockedAddress(ValueError):
    """The server may not connect to this URL; ``reason`` completes "<host> ..."."""

    def __init__(self, url: str, host: str, reason: str) -> None:
        super().__init__(f"{url}: {host} {reason}.")
        self.url, self.host, self.reason = url, host, reason


def host_and_port(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - raises for a malformed [IPv6] host
    except ValueError as error:
        raise BlockedAddress(url, url, "is not a valid web address") from error
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(url, parts.hostname or url, "is not an http or https address")
    if not parts.hostname:
        raise BlockedAddress(url, url, "is not a complete web address")
    try:  # the HTTP client's own parsing (IDNA 2008 host names): what it refuses, we refuse
        httpx.URL(url)
    except httpx.InvalidURL as error:
        raise BlockedAddress(url, parts.hostname, "is not a valid host name") from error
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise BlockedAddress(url, parts.hostname, "has an invalid port") from error
    return parts.hostname, port


def refusal(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why an address may not be connected to, or None when it may."""
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


def checked_addresses(
    url: str, host: str, addresses: Iterable[str], *, allow_private: bool
) -> list[str]:
    """The addresses, once every one of them is allowed (one refused refuses the host)."""
    found = list(dict.fromkeys(a.split("%", 1)[0] for a in addresses))
    if not found:
        raise BlockedAddress(url, host, "could not be found")
    for text in found:
        reason = refusal(ipaddress.ip_address(text), allow_private=allow_private)
        if reason is not None:
            raise BlockedAddress(url, host, reason)
    return found


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise ``BlockedAddress`` unless every address the URL's host resolves to is allowed."""
    host, port = host_and_port(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedAddress(url, host, "could not be found") from error
    checked_addresses(url, host, [str(info[4][0]) for info in infos], allow_private=allow_private)


async def resolve_allowed(host: str, port: int, *, url: str, allow_private: bool) -> list[str]:
    """The host's addresses, resolved without blocking the event loop, all of them allowed."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedAddress(url, host, "could not be found") from error
    return checked_addresses(
        url, host, [str(info[4][0]) for info in infos], allow_private=allow_private
    )


async def check_url_async(url: str, *, allow_private: bool) -> None:
    """``check_url`` with the name resolved without blocking the event loop."""
    host, port = host_and_port(url)
    await resolve_allowed(host, port, url=url, allow_private=allow_private)


class GuardedNetworkBackend:
    """An httpcore network backend (httpcore or httpcore2: same interface) that resolves the
    host itself, refuses it unless every address is allowed, and connects to an address it
    checked. TLS still verifies the certificate against the host name (httpcore passes
    ``server_hostname`` from the URL, not from the address connected to)."""

    def __init__(self, inner: Any, *, allow_private: bool) -> None:
        self.inner = inner
        self.allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> Any:
        url = f"{host}:{port}"
        addresses = await resolve_allowed(host, port, url=url, allow_private=self.allow_private)
        for number, address in enumerate(addresses, start=1):
            try:
                return await self.inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except Exception:
                if number == len(addresses):
                    raise  # the last address's error is the one httpcore reports
        raise AssertionError("unreachable: addresses is never empty")

    async def connect_unix_socket(self, path: str, *args: Any, **kwargs: Any) -> Any:
        raise BlockedAddress(path, path, "is a local socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guard_transport(transport: Any, *, allow_private: bool) -> Any:
    """Make an ``httpx.AsyncHTTPTransport`` (or ``httpx2``'s) connect only to allowed
    addresses. Reaches into the transport's connection pool: neither library takes a
    network backend through its public API. A missing attribute fails loudly, not open."""
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this HTTP transport cannot be guarded (library version changed?)")
    if not isinstance(pool._network_backend, GuardedNetworkBackend):
        pool._network_backend = GuardedNetworkBackend(
            pool._network_backend, allow_private=allow_private
        )
    return transport


__all__ = [
    "ALLOW_SETTING",
    "BlockedAddress",
    "GuardedNetworkBackend",
    "check_url",
    "check_url_async",
    "guard_transport",
    "refusal",
]
