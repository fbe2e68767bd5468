"""The real app under uvicorn, in a process that cannot reach past this machine.

The OpenAPI fuzz (tests/test_openapi_fuzz.py) sends the server whatever URLs the schema
allows: an engine ``base_url``, a knowledge source to import. The server would resolve and
fetch them. Here every host name resolves to loopback (a test DNS that points every name at
this machine, as /etc/hosts could) and any connection to an address off loopback is refused
by an audit hook, so no fuzzed request ever leaves the machine. The asyncio event loop is
used instead of uvloop because uvloop resolves and connects in C, past both guards.

Run as ``python -m tests.sandboxed_server PORT``; settings come from the environment.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any

import uvicorn

_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: object) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _loopback_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return _real_getaddrinfo(host if _is_loopback(host) else "127.0.0.1", port, *args, **kwargs)


def _refuse_off_machine(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"fuzz sandbox: no connection to {address[0]}")
    elif event == "socket.getaddrinfo" and not _is_loopback(args[0]):
        raise socket.gaierror(socket.EAI_NONAME, f"fuzz sandbox: {args[0]!r} not resolved")


def main() -> None:
    port = int(sys.argv[1])
    socket.getaddrinfo = _loopback_getaddrinfo
    sys.addaudithook(_refuse_off_machine)
    uvicorn.run(
        "frontdesk.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        loop="asyncio",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
