"""Radicale, the CalDAV server from PyPI, as a real protocol peer on a loopback port: a
subprocess with its own storage folder, without authentication or with an htpasswd file."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.servers import free_port

MKCALENDAR = b"""<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
</D:prop></D:set></D:mkcol>"""


@contextmanager
def radicale(folder: Path, *, users: dict[str, str] | None = None) -> Iterator[str]:
    """A Radicale server; ``users`` (name -> password) turns on htpasswd plain auth."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    args = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(folder / "collections"),
    ]
    if users is None:
        args += ["--auth-type", "none"]
    else:
        htpasswd = folder / "users"
        htpasswd.write_text("".join(f"{name}:{password}\n" for name, password in users.items()))
        args += [
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(htpasswd),
            "--auth-htpasswd-encryption",
            "plain",
        ]
    log = folder / "radicale.log"
    with log.open("w") as output:
        process = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"radicale exited: {log.read_text()}")
            try:
                httpx.get(base + "/.web/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"radicale did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def new_calendar(base: str, user: str = "alice", password: str = "x") -> str:  # noqa: S107 - a test account
    """A fresh calendar collection on the server; its URL."""
    url = f"{base}/{user}/{uuid.uuid4().hex}/"
    response = httpx.request(
        "MKCOL",
        url,
        content=MKCALENDAR,
        auth=(user, password),
        headers={"Content-Type": "application/xml"},
    )
    assert response.status_code == 201, response.text
    return url
