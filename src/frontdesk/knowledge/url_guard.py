"""The crawler's side of the outbound address guard (``frontdesk.kit.outbound``): the same
check every server-side request passes, with messages that speak of importing.

Every URL the crawler fetches, and every redirect target, is checked here for a clear
message; the crawler's HTTP client checks again at connect time (``guard_transport``).
"""

from __future__ import annotations

from frontdesk.kit.outbound import BlockedAddress, check_url, check_url_async, refusal


class CrawlError(ValueError):
    """A web import that cannot go ahead; the message is meant for the person who asked."""


class BlockedUrlError(CrawlError):
    """The URL points at an address the server may not fetch from."""


def blocked(error: BlockedAddress) -> BlockedUrlError:
    """The guard's refusal, worded for someone importing a web site."""
    if error.reason == "could not be found":
        return BlockedUrlError(f"The address {error.host} could not be found.")
    if error.reason == "is not an http or https address":
        return BlockedUrlError(f"Only http and https addresses can be imported, not {error.url!r}.")
    if error.host == error.url or error.reason == "has an invalid port":
        return BlockedUrlError(f"{error.url!r} {error.reason}.")
    return BlockedUrlError(
        f"{error.url} cannot be imported: {error.host} {error.reason}. "
        "Only public web sites can be imported."
    )


def check_public_url(url: str, *, allow_private: bool) -> None:
    """Raise ``BlockedUrlError`` unless every address the URL's host resolves to is allowed."""
    try:
        check_url(url, allow_private=allow_private)
    except BlockedAddress as error:
        raise blocked(error) from error


async def check_public_url_async(url: str, *, allow_private: bool) -> None:
    """``check_public_url`` with the name resolved without blocking the event loop."""
    try:
        await check_url_async(url, allow_private=allow_private)
    except BlockedAddress as error:
        raise blocked(error) from error


__all__ = ["BlockedUrlError", "CrawlError", "check_public_url", "check_public_url_async", "refusal"]
