"""What a backup says about itself, checked before anything is restored."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from frontdesk.kit.migrations import alembic_config

FORMAT = "frontdesk-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    frontdesk_version: str
    alembic_revision: str | None
    created: str  # ISO 8601, UTC
    database: str  # "sqlite" or "postgresql"
    database_file: str  # the dump's name inside the archive
    uploads: str  # "included", or why not (uploads in an S3 bucket)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(raw)
        except ValueError as error:
            raise BackupError(f"the manifest is not JSON: {error}") from None
        if data.get("format") != FORMAT:
            raise BackupError("not a Frontdesk backup (its manifest names another format)")
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"backup format {data.get('format_version')!r} is not one this version reads "
                f"({FORMAT_VERSION})"
            )
        try:
            return cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except KeyError as missing:
            raise BackupError(f"the manifest lacks {missing}") from None

    def check_restorable(self, database: str) -> None:
        if self.database != database:
            raise BackupError(
                f"this backup holds a {self.database} database and this instance runs on "
                f"{database}; restore it into a {self.database} instance"
            )
        if self.alembic_revision is None:
            return
        try:
            known = ScriptDirectory.from_config(alembic_config()).get_revision(
                self.alembic_revision
            )
        except CommandError:
            known = None
        if known is None:
            raise BackupError(
                f"the backup's schema revision {self.alembic_revision} is newer than this "
                f"Frontdesk ({self.frontdesk_version} made it); upgrade Frontdesk, then restore"
            )
