"""Files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Backblaze B2, ...)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, BinaryIO

from aiobotocore.session import get_session


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        prefix: str = "",
    ) -> None:
        self.bucket, self.prefix = bucket, prefix
        self._options = {
            "endpoint_url": endpoint_url,
            "region_name": region,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
        }
        self._session = get_session()

    @asynccontextmanager
    async def _client(self) -> AsyncIterator[Any]:
        # A client per operation: uploads are rare next to messages, and nothing stays open.
        async with self._session.create_client("s3", **self._options) as client:
            yield client

    def _key(self, key: str) -> str:
        if not key or "/" in key or key.startswith("."):
            raise ValueError(f"invalid storage key {key!r}")
        return self.prefix + key

    async def save(self, key: str, data: bytes) -> None:
        async with self._client() as client:
            await client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    async def save_file(self, key: str, source: BinaryIO) -> None:
        source.seek(0)
        async with self._client() as client:
            await client.put_object(Bucket=self.bucket, Key=self._key(key), Body=source)

    async def load(self, key: str) -> bytes:
        async with self._client() as client:
            response = await client.get_object(Bucket=self.bucket, Key=self._key(key))
            async with response["Body"] as body:
                return bytes(await body.read())

    async def delete(self, key: str) -> None:
        async with self._client() as client:
            await client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def local_path(self, key: str) -> Path | None:
        return None  # tools that need a file get a temporary copy
