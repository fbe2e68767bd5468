"""One ``.tar.gz`` per backup: ``manifest.json`` first, then the database dump, then the
uploads folder under ``uploads/``.

A backup is written next to its final name and renamed when complete, so a half-written file
never looks like a backup. A restore checks the manifest, refuses an instance that already
holds data unless forced, puts the database and the uploads back, and migrates (a backup
from an older version comes back at the current schema). Stop the servers and workers
before restoring; backing up is safe while they run.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from frontdesk import __version__
from frontdesk.backups import databases
from frontdesk.backups.manifest import MANIFEST_NAME, BackupError, Manifest
from frontdesk.kit.db import Database
from frontdesk.kit.migrations import upgrade
from frontdesk.settings import Settings

UPLOADS = "uploads"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def backup_path(target: str | Path, now: datetime) -> Path:
    """A directory (existing, or named with a trailing slash) gets a dated file inside it."""
    if Path(target).is_dir() or str(target).endswith(("/", "\\")):
        return Path(target) / f"frontdesk-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    return Path(target)


async def create_backup(settings: Settings, target: str | Path) -> tuple[Path, Manifest]:
    now = datetime.now(UTC)
    destination = backup_path(target, now)
    destination.parent.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    kind = databases.kind_of(url)
    db = Database(url)
    try:
        revision = await databases.current_revision(db)
    finally:
        await db.dispose()
    local_uploads = settings.storage == "local"
    manifest = Manifest(
        frontdesk_version=__version__,
        alembic_revision=revision,
        created=now.isoformat(timespec="seconds"),
        database=kind,
        database_file=DUMP_NAMES[kind],
        uploads="included" if local_uploads else "not included: uploads live in the S3 bucket",
    )
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as work:
        dump = Path(work) / manifest.database_file
        if kind == "sqlite":
            databases.copy_sqlite(databases.sqlite_path(url), dump)
        else:
            databases.dump_postgres(url, dump)
        partial = Path(work) / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST_NAME, manifest.to_json())
            archive.add(dump, arcname=manifest.database_file)
            uploads = settings.resolved_storage_dir
            if local_uploads and uploads.is_dir():
                archive.add(uploads, arcname=UPLOADS)
        partial.chmod(0o600)  # it holds every customer's messages and the sealed secrets
        partial.replace(destination)
    return destination, manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.extractfile(MANIFEST_NAME)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"no {MANIFEST_NAME} in the archive: not a Frontdesk backup")
    return Manifest.from_json(member.read())


async def restore_backup(settings: Settings, source: Path, *, force: bool = False) -> Manifest:
    url = settings.resolved_database_url
    kind = databases.kind_of(url)
    uploads = settings.resolved_storage_dir
    local_uploads = settings.storage == "local"
    archive = _open_archive(source)
    db = Database(url)
    try:
        with archive:
            manifest = read_manifest(archive)
            manifest.check_restorable(kind)
            if not force:
                await _refuse_if_in_use(db, uploads if local_uploads else None)
            uploads.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=uploads.parent, prefix=".restore-") as work:
                # The "data" filter refuses absolute names, "..", links out of the folder and
                # device files: an archive cannot write outside the work folder.
                archive.extractall(work, filter="data")
                dump = Path(work) / manifest.database_file
                if not dump.is_file():
                    raise BackupError(f"the archive lacks its database ({manifest.database_file})")
                if kind == "sqlite":
                    await db.dispose()
                    databases.copy_sqlite(dump, databases.sqlite_path(url))
                else:
                    await databases.load_postgres(db, url, dump)
                if local_uploads and manifest.uploads == "included":
                    _replace_folder(uploads, Path(work) / UPLOADS)
        await db.dispose()  # SQLite: connections opened before the copy saw the old file
        await upgrade(db)
    finally:
        await db.dispose()
    return manifest


async def _refuse_if_in_use(db: Database, uploads: Path | None) -> None:
    if await databases.holds_data(db):
        raise BackupError(
            "the database already holds data; restoring replaces all of it: use --force"
        )
    if uploads is not None and _holds_files(uploads):
        raise BackupError(f"{uploads} already holds files; restoring replaces them: use --force")


def _open_archive(source: Path) -> tarfile.TarFile:
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    try:
        return tarfile.open(source, "r:gz")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"cannot read {source} as a .tar.gz: {error}") from None


def _holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def _replace_folder(target: Path, restored: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    if restored.is_dir():
        shutil.move(restored, target)
    else:
        target.mkdir(parents=True)
