"""Scripts and stylesheets answered from memory, gzipped once.

A page built from native modules asks for each of its small files on every first visit, so
each one is worth answering quickly and in few bytes: Starlette's StaticFiles opens and reads
the file through the thread pool on every request and never compresses. MemoryStaticFiles
keeps each script, stylesheet and SVG in memory with a gzipped copy (read again when the file
changes); every other file is left to StaticFiles.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from typing import Any, TypeVar

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

KEPT_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
_LARGEST_KEPT = 512 * 1024  # the vendored bundles above this stay on disk
PageResponse = TypeVar("PageResponse", bound=Response)


@dataclass(frozen=True)
class Compressed:
    """A body and its gzipped copy; the tag names the content, so a change is seen."""

    body: bytes
    gzipped: bytes
    tag: str

    @classmethod
    def of(cls, body: bytes) -> Compressed:
        tag = hashlib.sha256(body).hexdigest()[:16]
        return cls(body, gzip.compress(body, compresslevel=9, mtime=0), tag)


def compressed_response(
    content: Compressed, request: Headers, media_type: str, headers: dict[str, str]
) -> Response:
    """gzip when the browser takes it (each encoding has its own ETag), 304 when it has it."""
    gzipped = "gzip" in request.get("accept-encoding", "")
    etag = f'"{content.tag}-gzip"' if gzipped else f'"{content.tag}"'
    headers = {**headers, "ETag": etag, "Vary": "Accept-Encoding"}
    if _not_modified(request, etag, headers.get("Last-Modified")):
        return Response(status_code=304, headers=headers)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        return Response(content.gzipped, media_type=media_type, headers=headers)
    return Response(content.body, media_type=media_type, headers=headers)


def gzipped_page(response: PageResponse, request: Headers) -> PageResponse:
    """A rendered page, gzipped when the browser takes it. Only for a page that carries no
    secret next to text a visitor chooses (BREACH): the portal page is the same for all."""
    if "gzip" not in request.get("accept-encoding", "") or "content-encoding" in response.headers:
        return response
    response.body = gzip.compress(response.body, compresslevel=6, mtime=0)
    response.headers["Content-Length"] = str(len(response.body))
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


def _not_modified(request: Headers, etag: str, last_modified: str | None) -> bool:
    if if_none_match := request.get("if-none-match"):
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = request.get("if-modified-since")
    if since and last_modified:
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


@dataclass(frozen=True)
class _Kept:
    stamp: tuple[int, int]  # mtime in ns and size: the file is read again when either changes
    content: Compressed
    last_modified: str


class MemoryStaticFiles(StaticFiles):
    """StaticFiles (same lookup, same path checks) answering small text files from memory."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._kept: dict[str, _Kept] = {}

    async def get_response(self, path: str, scope: Scope) -> Response:
        # StaticFiles looks the path up in a worker thread; for the kept files that hop costs
        # more than the lookup itself (a realpath and a stat), so it is done inline.
        if scope["method"] in ("GET", "HEAD") and os.path.splitext(path)[1] in KEPT_TYPES:
            try:
                full_path, stat_result = self.lookup_path(path)
            except (OSError, ValueError):
                full_path, stat_result = "", None  # StaticFiles answers these as it does
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                return self.file_response(full_path, stat_result, scope)
        return await super().get_response(path, scope)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        path = os.fspath(full_path)
        media_type = KEPT_TYPES.get(os.path.splitext(path)[1])
        request = Headers(scope=scope)
        small = stat_result.st_size <= _LARGEST_KEPT
        if media_type is None or not small or status_code != 200 or "range" in request:
            return super().file_response(full_path, stat_result, scope, status_code)
        kept = self._kept_file(path, stat_result)
        headers = {"Last-Modified": kept.last_modified}
        return compressed_response(kept.content, request, media_type, headers)

    def _kept_file(self, path: str, stat_result: os.stat_result) -> _Kept:
        stamp = (stat_result.st_mtime_ns, stat_result.st_size)
        kept = self._kept.get(path)
        if kept is None or kept.stamp != stamp:
            # A blocking read, once per file and change: small files, well under a millisecond.
            with open(path, "rb") as source:
                content = Compressed.of(source.read())
            last_modified = formatdate(stat_result.st_mtime, usegmt=True)
            kept = _Kept(stamp, content, last_modified)
            self._kept[path] = kept
        return kept
