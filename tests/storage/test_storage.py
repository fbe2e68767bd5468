"""File storage adapters against real peers: the local disk, and an S3 server on loopback
(moto's S3 server speaks the S3 wire protocol; our adapter talks HTTP to it)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from frontdesk.settings import Settings
from frontdesk.storage import COPY_CHUNK, LocalStorage, create_storage
from frontdesk.storage.s3 import S3Storage
from tests.servers import free_port


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


async def roundtrip(storage: LocalStorage | S3Storage) -> None:
    await storage.save("a1b2c3", b"hello files")
    assert await storage.load("a1b2c3") == b"hello files"
    await storage.delete("a1b2c3")
    with pytest.raises(Exception):  # noqa: B017 - each backend raises its own "not found"
        await storage.load("a1b2c3")
    # An upload is stored from its spooled file, from the start, whatever was read of it.
    spooled = tempfile.SpooledTemporaryFile(max_size=1024)  # noqa: SIM115 - closed below
    with spooled:
        spooled.write(b"x" * 3 * COPY_CHUNK + b"end")
        await storage.save_file("d4e5f6", spooled)  # type: ignore[arg-type]
    assert await storage.load("d4e5f6") == b"x" * 3 * COPY_CHUNK + b"end"
    await storage.delete("d4e5f6")
    for bad in ("../etc/passwd", "dir/file", ".hidden", ""):
        with pytest.raises(ValueError):
            await storage.save(bad, b"x")


async def test_local_storage(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "uploads")
    await roundtrip(storage)
    assert storage.local_path("k") == tmp_path / "uploads" / "k"


async def test_s3_storage_against_an_s3_server(s3_endpoint: str) -> None:
    settings = Settings(
        secret_key="x" * 40,
        storage="s3",
        s3_bucket="frontdesk-test",
        s3_endpoint_url=s3_endpoint,
        s3_region="us-east-1",
        s3_access_key_id="test",
        s3_secret_access_key="test",
    )
    storage = create_storage(settings)
    assert isinstance(storage, S3Storage) and storage.local_path("k") is None
    async with storage._client() as client:  # the bucket exists before the app uses it
        await client.create_bucket(Bucket="frontdesk-test")
    await roundtrip(storage)


def test_s3_needs_a_bucket() -> None:
    with pytest.raises(ValueError, match="FRONTDESK_S3_BUCKET"):
        Settings(secret_key="x" * 40, storage="s3")
