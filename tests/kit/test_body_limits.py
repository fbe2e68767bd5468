"""Request bodies are limited while they stream in: an oversized upload is refused without the
server buffering it, JSON bodies are capped, and JSON nested too deep is refused before any
parser recurses into it."""

from __future__ import annotations

import http.client
import json
import os
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from frontdesk.kit.body_limits import JSON_DEPTH_LIMIT, json_too_deep
from tests import media
from tests.factories import register, start_chat
from tests.servers import process_server

MB = 1_000_000
BOUNDARY = "frontdesk-test-boundary"


def multipart_chunks(size: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    """A multipart body carrying a `size`-byte file, made as it is sent (never held whole)."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    yield media.png()
    zeros = bytes(chunk)
    left = size - len(media.png())
    while left > 0:
        yield zeros[: min(chunk, left)]
        left -= chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def multipart_length(size: int) -> int:
    return sum(len(part) for part in multipart_chunks(size, chunk=size))


def stream_post(
    base: str, path: str, token: str, chunks: Iterator[bytes], declared: int | None
) -> tuple[int, dict[str, Any], int]:
    """POST a body as a client that keeps sending until the server answers (raw socket:
    the test sees exactly when the answer comes). Returns status, JSON body, bytes sent."""
    address = urlsplit(base)
    framing = "Transfer-Encoding: chunked" if declared is None else f"Content-Length: {declared}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n{framing}\r\n\r\n"
    ).encode()
    sent = 0
    with socket.create_connection((address.hostname, address.port), timeout=60) as sock:
        sock.sendall(head)
        deadline = time.monotonic() + 60
        pending = b""
        for chunk in chunks:
            pending = chunk if declared is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk)
            answered = False
            while pending and not answered:
                readable, writable, _ = select.select([sock], [sock], [], 5)
                answered = bool(readable)
                if writable and not answered:
                    try:
                        written = sock.send(pending)
                    except (BrokenPipeError, ConnectionResetError):
                        answered = True
                        break
                    sent += written
                    pending = pending[written:]
                assert time.monotonic() < deadline, "the server neither read nor answered"
            if answered:
                break
        else:
            if declared is None:
                sock.sendall(b"0\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read()), sent


def server_pid(port: int) -> int:
    """The `frontdesk serve --port <port>` process (process_server starts exactly one)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in command and b"--port" in command and str(port).encode() in command:
            return int(entry.name)
    raise AssertionError(f"no server process on port {port}")


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def test_oversized_upload_is_refused_while_streaming_without_buffering_it(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATA_DIR=str(tmp_path / "var"),
        FRONTDESK_SECRET_KEY="body-limits-" + "k" * 40,
        FRONTDESK_UPLOAD_LIMIT_MB="20",
        FRONTDESK_WARM_ASSISTANT="false",
        FRONTDESK_ACCESS_LOG="false",
        # The size limit is under test, not the hourly quota per chat.
        FRONTDESK_PORTAL_UPLOAD_MB_PER_SESSION="100000/hour",
    )
    with process_server(env, tmp_path / "serve.log") as base:
        pid = server_pid(int(urlsplit(base).port or 0))
        owner = httpx.post(
            base + "/api/auth/register",
            json={
                "email": "owner@example.com",
                "password": "correct horse battery",
                "full_name": "Sam Owner",
                "business_name": "Big Files Ltd",
            },
        ).json()
        slug = owner["workspace"]["slug"]
        token = httpx.post(base + f"/api/portal/{slug}/sessions", json={}).json()["session_token"]
        # A normal upload first, so whatever an upload costs once is already paid.
        small = httpx.post(
            base + "/api/portal/uploads",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("photo.png", media.png() + bytes(2 * MB))},
        )
        assert small.status_code == 201, small.text

        resident_before = memory_kb(pid, "VmRSS")
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
        size = 70 * MB  # 50 MB over the limit
        answers = [
            (path, declared, *stream_post(base, path, token, multipart_chunks(size), declared))
            for path in ("/api/portal/uploads", "/api/portal/messages")
            for declared in (multipart_length(size), None)  # Content-Length, then chunked
        ]
        peak_growth_mb = (memory_kb(pid, "VmHWM") - resident_before) / 1024
        print(f"refusing 4 x 70 MB: server peak memory +{peak_growth_mb:.1f} MB")
        assert peak_growth_mb < 15, f"server memory grew by {peak_growth_mb:.0f} MB"
        for path, declared, status, body, sent in answers:
            assert status == 413, (path, declared, body)
            assert body["error"]["code"] == "body_too_large"
            assert "20 MB" in body["error"]["message"]
            # Refused before the limit when declared (what was sent sat in socket buffers),
            # soon after it when chunked; never after the whole body.
            assert sent < (20 if declared else 40) * MB, (path, declared, sent)

        # A file within the limit is stored from its spooled copy, never read whole either.
        resident_before = memory_kb(pid, "VmRSS")
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        accepted = httpx.post(
            base + "/api/portal/messages",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("scan.png", media.png() + bytes(18 * MB))},
            timeout=60,
        )
        assert accepted.status_code == 201, accepted.text
        assert accepted.json()["attachments"][0]["size"] == len(media.png()) + 18 * MB
        peak_growth_mb = (memory_kb(pid, "VmHWM") - resident_before) / 1024
        print(f"storing 18 MB: server peak memory +{peak_growth_mb:.1f} MB")
        assert peak_growth_mb < 6, f"storing 18 MB grew server memory by {peak_growth_mb:.0f} MB"


async def test_a_json_body_over_the_limit_is_refused(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    huge = json.dumps({"text": "x" * (2 * 1024 * 1024)})  # 2 MB, limit 1 MB
    for path, headers in (
        ("/api/portal/messages", chat.headers),
        ("/api/portal/typing", chat.headers),
        ("/api/auth/login", {}),
    ):
        refused = await client.post(
            path, content=huge, headers={**headers, "Content-Type": "application/json"}
        )
        assert refused.status_code == 413, (path, refused.text)
        assert refused.json()["error"]["code"] == "body_too_large"
        assert "1024 KB" in refused.json()["error"]["message"]

    async def chunked() -> Any:
        for _ in range(20):
            yield b" " * 100_000  # no Content-Length: counted as it arrives
        yield b'{"text": "hi"}'

    undeclared = await client.post(
        "/api/portal/messages",
        content=chunked(),
        headers={**chat.headers, "Content-Type": "application/json"},
    )
    assert undeclared.status_code == 413, undeclared.text
    fine = await client.post("/api/portal/messages", headers=chat.headers, json={"text": "hi"})
    assert fine.status_code == 201


async def test_json_nested_too_deep_is_refused_with_the_error_envelope(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    deep = "[" * 100_000 + "]" * 100_000
    deep_object = '{"text": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}"
    for path, headers, body in (
        ("/api/portal/messages", chat.headers, deep),
        ("/api/portal/messages", chat.headers, deep_object),
        ("/api/portal/typing", chat.headers, deep),
        ("/api/knowledge/sources", owner.headers, deep_object),
        ("/api/auth/login", {}, deep),
    ):
        refused = await client.post(
            path, content=body, headers={**headers, "Content-Type": "application/json"}
        )
        assert refused.status_code == 422, (path, refused.status_code, refused.text[:200])
        error = refused.json()["error"]
        assert error["code"] == "validation_error"
        assert f"deeper than {JSON_DEPTH_LIMIT}" in error["message"]
    # The portal parses JSON whatever the declared type: the check does not depend on it.
    for content_type in ("application/x-www-form-urlencoded", "text/plain", "Multipart/Form-Data"):
        disguised = await client.post(
            "/api/portal/messages",
            content=deep,
            headers={**chat.headers, "Content-Type": content_type},
        )
        assert disguised.status_code == 422, (content_type, disguised.text[:200])
    # Brackets inside strings do not count, and ordinary nesting passes.
    text = "[" * 5_000
    fine = await client.post("/api/portal/messages", headers=chat.headers, json={"text": text})
    assert fine.status_code == 201, fine.text


def test_depth_scan_counts_brackets_outside_strings_only() -> None:
    assert not json_too_deep(b'{"a": [1, 2, {"b": "[[[[[[[[[["}]}', limit=3)
    assert json_too_deep(b'{"a": [1, 2, {"b": [[]]}]}', limit=3)
    assert not json_too_deep(json.dumps({"s": '\\"' + "[" * 100}).encode(), limit=2)
    nested = "[" * (JSON_DEPTH_LIMIT + 1) + "]" * (JSON_DEPTH_LIMIT + 1)
    assert json_too_deep(nested.encode())
    assert not json_too_deep(("[]" * 10_000).encode())
