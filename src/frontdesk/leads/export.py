"""Leads as a spreadsheet: XLSX (``kit/xlsx.py``, the sheet's XML written directly) and CSV.

Both are built from plain rows (one statement, no ORM objects) so ten thousand leads take a
fraction of a second (``bench/leads_export.py``). Times are written in the workspace's time
zone, without one (a spreadsheet has no time zones). Text that a spreadsheet would run as a
formula is never one: XLSX text cells are shared strings (never formulas), CSV cells starting
with = + - @ (or a tab or carriage return) get a leading apostrophe, as OWASP advises.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.kit import xlsx
from frontdesk.leads.models import STATUSES

# (header, width in characters, kind) in the order of LeadRepository.export_rows: only what
# a person works from is exported.
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("Name", 24, "text"),
    ("Email", 30, "text"),
    ("Phone", 18, "text"),
    ("Status", 12, "text"),
    ("Owner", 20, "text"),
    ("Interest", 40, "text"),
    ("Source", 10, "text"),
    ("Value", 14, "money"),
    ("Follow-up", 12, "date"),
    ("Created", 18, "datetime"),
    ("Notes", 50, "text"),
)
HEADERS = [c[0] for c in COLUMNS]
FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {s: s.capitalize() for s in STATUSES}
UTC = ZoneInfo("UTC")
_KINDS: dict[str, xlsx.Kind] = {"text": "text", "money": "number", "date": "date"}
SHEET_COLUMNS = tuple(
    xlsx.Column(name, width, _KINDS.get(kind, "datetime"), FORMATS.get(kind, ""))
    for name, width, kind in COLUMNS
)


def typed_rows(rows: Iterable[Sequence[Any]], timezone: str) -> Iterator[list[Any]]:
    """Each row as the spreadsheet's values: money as a number, days as dates, instants as
    local date-times without a zone, empty text as None (a cell not written at all)."""
    zone = ZoneInfo(timezone or "UTC")
    for row in rows:
        name, email, phone, status, owner, interest, source, cents, due, created, notes = row[:11]
        if created.tzinfo is None:  # SQLite may hand raw columns back without a zone
            created = created.replace(tzinfo=UTC)
        yield [
            name or None,
            email or None,
            phone or None,
            STATUS_LABELS.get(status, status),
            owner or None,
            interest or None,
            source or None,
            None if cents is None else cents / 100,
            due,
            created.astimezone(zone).replace(tzinfo=None),
            notes or None,
        ]


def build_xlsx(rows: Iterable[Sequence[Any]], timezone: str, title: str = "Leads") -> bytes:
    return xlsx.build(title, SHEET_COLUMNS, typed_rows(rows, timezone))


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def build_csv(rows: Iterable[Sequence[Any]], timezone: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows([_csv_value(v) for v in values] for values in typed_rows(rows, timezone))
    # A byte-order mark so Excel opens UTF-8 names (José, Zoë) as written.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
