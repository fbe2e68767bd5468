"""CalDAV sync (RFC 4791) spoken directly over httpx: a calendar-query REPORT for busy times,
PUT of one iCalendar object per booking (guarded by ETags), DELETE.

The URL is the calendar collection (for Radicale ``https://host/user/calendar-id/``; for
Nextcloud ``https://host/remote.php/dav/calendars/user/personal/``). A workspace names it, so
every connection goes through the SSRF guard, like any other server-side request.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from frontdesk.calendars import BusyTime, CalendarEvent
from frontdesk.calendars.caldav_wire import (
    Resource,
    WireError,
    busy_times,
    event_with_uid,
    events_in_range,
    ical_object,
    read_multistatus,
    uids_in,
)
from frontdesk.calendars.sync import CalendarError, RemoteEvent, merged
from frontdesk.kit.outbound import BlockedAddress, guard_transport, host_and_port

ICALENDAR = "text/calendar; charset=utf-8"
XML = "application/xml; charset=utf-8"
# A PUT or DELETE that lost a race with another writer (412) is tried again this many times,
# each time from a fresh read of the event.
CONFLICT_RETRIES = 2


class CalDAVCalendar:
    def __init__(
        self,
        url: str,
        *,
        username: str = "",
        password: str = "",
        timezone: str = "UTC",
        allow_private: bool = False,
        timeout: float = 15.0,
    ) -> None:
        try:  # the form only: addresses are checked at connect time, without blocking here
            host_and_port(url)
        except BlockedAddress as error:
            raise CalendarError(f"CalDAV calendar {error}", retryable=False) from None
        self.url = url if url.endswith("/") else url + "/"
        self.host = urlsplit(self.url).netloc
        try:
            self.zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"unknown time zone {timezone!r}", retryable=False) from None
        self._client = httpx.AsyncClient(
            transport=guard_transport(httpx.AsyncHTTPTransport(), allow_private=allow_private),
            auth=httpx.BasicAuth(username, password) if username else None,
            timeout=timeout,
            follow_redirects=False,  # a redirect could lead past the guard's first check
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def busy(self, start: datetime, end: datetime) -> list[BusyTime]:
        resources = await self._report(events_in_range(start, end))
        intervals: list[BusyTime] = []
        for resource in resources:
            try:
                intervals.extend(busy_times(resource.calendar_data, self.zone))
            except WireError as error:
                raise CalendarError(f"CalDAV server at {self.host}: {error}") from None
        return merged(intervals, start, end)

    async def upsert(self, event: CalendarEvent, *, meet_link: bool = False) -> RemoteEvent:
        """PUT the event where it is (If-Match its ETag) or at a new href (If-None-Match: *),
        so a change made meanwhile by someone else is never overwritten blindly: the event is
        read again and written again. ``meet_link`` is Google's; CalDAV has none."""
        body = ical_object(event)
        for _attempt in range(CONFLICT_RETRIES + 1):
            found = await self._find(event.uid)
            if found is None:
                href = urljoin(self.url, quote(event.uid, safe="") + ".ics")
                guard = {"If-None-Match": "*"}
            else:
                href = urljoin(self.url, found.href)
                guard = {"If-Match": found.etag} if found.etag else {}
            response = await self._send(
                "PUT", href, content=body, headers={"Content-Type": ICALENDAR, **guard}
            )
            if response.status_code != 412:
                self._raise_for(response, f"writing event {event.uid}")
                return RemoteEvent(remote_id=urlsplit(href).path)
        raise CalendarError(f"CalDAV event {event.uid} kept changing while it was written")

    async def delete(self, uid: str) -> None:
        for _attempt in range(CONFLICT_RETRIES + 1):
            found = await self._find(uid)
            if found is None:
                return
            headers = {"If-Match": found.etag} if found.etag else {}
            response = await self._send("DELETE", urljoin(self.url, found.href), headers=headers)
            if response.status_code in (404, 410):
                return
            if response.status_code != 412:
                self._raise_for(response, f"deleting event {uid}")
                return
        raise CalendarError(f"CalDAV event {uid} kept changing while it was deleted")

    async def _find(self, uid: str) -> Resource | None:
        for resource in await self._report(event_with_uid(uid)):
            if uid in uids_in(resource.calendar_data):
                return resource
        return None

    async def _report(self, body: str) -> list[Resource]:
        response = await self._send(
            "REPORT",
            self.url,
            content=body.encode(),
            headers={"Depth": "1", "Content-Type": XML},
        )
        if response.status_code != 207:
            self._raise_for(response, "reading the calendar")
            raise CalendarError(
                f"CalDAV server at {self.host} answered {response.status_code} to a REPORT "
                "(expected 207 Multi-Status: is the URL a CalDAV calendar?)",
                retryable=False,
            )
        try:
            return read_multistatus(response.content)
        except WireError as error:
            raise CalendarError(f"CalDAV server at {self.host}: {error}") from None

    async def _send(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        try:
            return await self._client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except BlockedAddress as error:
            raise CalendarError(f"CalDAV calendar {error}", retryable=False) from None
        except httpx.TimeoutException:
            raise CalendarError(f"CalDAV server at {self.host} did not answer in time") from None
        except httpx.TransportError as error:
            raise CalendarError(
                f"CalDAV server at {self.host} cannot be reached ({type(error).__name__}: "
                f"{error or 'connection failed'})"
            ) from None

    def _raise_for(self, response: httpx.Response, doing: str) -> None:
        status = response.status_code
        if status < 300:
            return
        where = f"CalDAV server at {self.host}"
        if status in (401, 403):
            raise CalendarError(
                f"{where} refused the username or password ({status}) while {doing}",
                retryable=False,
            )
        if status in (404, 405, 410):
            raise CalendarError(
                f"{where} has no calendar at {urlsplit(self.url).path} ({status}) while {doing}",
                retryable=False,
            )
        if 300 <= status < 400:
            raise CalendarError(
                f"{where} redirected ({status}) to {response.headers.get('location', '?')} "
                f"while {doing}: use that calendar URL",
                retryable=False,
            )
        raise CalendarError(
            f"{where} answered {status} while {doing}",
            retryable=status >= 500 or status == 429,
        )
