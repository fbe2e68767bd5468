"""``frontdesk backup`` and ``frontdesk restore``: the database and the uploads in one
``.tar.gz`` with a manifest (manifest.py), each database dumped its own safe way
(databases.py), put together and taken apart by archive.py."""

from frontdesk.backups.archive import create_backup, restore_backup
from frontdesk.backups.manifest import BackupError, Manifest

__all__ = ["BackupError", "Manifest", "create_backup", "restore_backup"]
