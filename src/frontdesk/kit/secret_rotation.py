"""``frontdesk rotate-secret-key``: re-seal every stored secret with the newest key.

Every column typed :class:`SealedText` in the models is covered, so a new secret column is
rotated as soon as it is declared. The walk is safe to repeat and to run beside live
servers: a value already sealed with the newest key is left alone, and each re-sealed value
is written only if the row still holds what was read (a key the owner saved meanwhile is
never overwritten with the old one). Values no key opens are counted and named by row, never
shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, MetaData, Table, select, update

from frontdesk.kit.db import Database
from frontdesk.kit.secrets import SealedText, SecretBox, SecretUnreadable
from frontdesk.settings import Settings

BATCH_SIZE = 200  # rows per transaction: no long-held locks on a big table


@dataclass
class RotationReport:
    resealed: int = 0
    already_current: int = 0
    changed_meanwhile: int = 0  # rewritten by a server during the walk (with its own key)
    unreadable: list[str] = field(default_factory=list)  # "table.column row <id>"


def secret_columns(metadata: MetaData) -> list[tuple[Table, Column[Any]]]:
    return [
        (table, column)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, SealedText)
    ]


async def rotate_secrets(
    db: Database, box: SecretBox, metadata: MetaData, batch_size: int = BATCH_SIZE
) -> RotationReport:
    report = RotationReport()
    for table, column in secret_columns(metadata):
        await _rotate_column(db, box, table, column, report, batch_size)
    return report


async def _rotate_column(
    db: Database,
    box: SecretBox,
    table: Table,
    column: Column[Any],
    report: RotationReport,
    batch_size: int,
) -> None:
    (key,) = table.primary_key.columns  # every table here has one id column
    last: Any = None
    while True:
        query = select(key, column).where(column != "").order_by(key).limit(batch_size)
        if last is not None:
            query = query.where(key > last)
        async with db.engine.begin() as connection:
            rows = (await connection.execute(query)).all()
            for row_id, value in rows:
                await _rotate_value(connection, box, table, column, row_id, value, report)
        if len(rows) < batch_size:
            return
        last = rows[-1][0]


async def _rotate_value(
    connection: Any,
    box: SecretBox,
    table: Table,
    column: Column[Any],
    row_id: Any,
    value: str,
    report: RotationReport,
) -> None:
    if box.is_current(value):
        report.already_current += 1
        return
    try:
        resealed = box.reseal(value)
    except SecretUnreadable:
        report.unreadable.append(f"{table.name}.{column.name} row {row_id}")
        return
    (key,) = table.primary_key.columns
    # Columns kept on update (updated_at) keep their value: re-sealing changes nothing the
    # business would call an edit.
    unchanged = {c.name: c for c in table.columns if c.onupdate is not None}
    result = await connection.execute(
        update(table)
        .where(key == row_id, column == value)
        .values({**unchanged, column.name: resealed})
    )
    if result.rowcount == 1:
        report.resealed += 1
    else:
        report.changed_meanwhile += 1


async def rotate_command(settings: Settings) -> int:
    """What ``frontdesk rotate-secret-key`` prints and returns: 0 when every stored secret
    is sealed with the newest key, 1 when some could not be opened (or the schema is old)."""
    from frontdesk.kit.migrations import is_current
    from frontdesk.models import Base

    try:
        box = SecretBox.for_settings(settings)
    except ValueError as error:
        print(f"frontdesk: {error}")
        return 1
    db = Database(settings.resolved_database_url)
    try:
        if not await is_current(db):
            print("frontdesk: the database is not up to date; run `frontdesk migrate` first.")
            return 1
        report = await rotate_secrets(db, box, Base.metadata)
    finally:
        await db.dispose()
    print(
        f"Stored secrets: {report.resealed} re-sealed with the newest key, "
        f"{report.already_current} already were, {report.changed_meanwhile} changed meanwhile."
    )
    if report.unreadable:
        print(
            f"{len(report.unreadable)} could not be opened with any configured key: put the "
            "key they were sealed with back into FRONTDESK_SECRETS_KEYS and run this again, "
            "or have their owners enter them again."
        )
        for where in report.unreadable:
            print(f"  {where}")
        return 1
    return 0
