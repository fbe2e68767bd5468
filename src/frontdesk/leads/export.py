"""Leads as a spreadsheet: XLSX (openpyxl, write-only) and CSV.

Both are built from plain rows (one statement, no ORM objects) so ten thousand leads take a
fraction of a second (``bench/leads_export.py``). Times are written in the workspace's time
zone, without one (a spreadsheet has no time zones). Text that a spreadsheet would run as a
formula is never one: XLSX cells are typed as text, CSV cells starting with = + - @ (or a
tab or carriage return) get a leading apostrophe, as OWASP advises.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from frontdesk.leads.models import STATUSES

# (header, width in characters, kind) in the order of LeadRepository.export_rows. A cell
# costs about 8 µs in openpyxl: only what a person works from is exported.
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
MAX_CELL_TEXT = 32_767  # Excel's limit per cell
UTC = ZoneInfo("UTC")


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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name in HEADERS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    # One styled cell per typed column; each value copies its style (cheaper than setting
    # the number format through openpyxl's descriptors per cell).
    styles = {}
    for index, (_, _, kind) in enumerate(COLUMNS):
        if kind in FORMATS:
            template = WriteOnlyCell(sheet, value=0)
            template.number_format = FORMATS[kind]
            styles[index] = template._style
    count = 0
    for values in typed_rows(rows, timezone):
        count += 1
        for index, style in styles.items():
            if values[index] is not None:
                cell = WriteOnlyCell(sheet, value=values[index])
                cell._style = style
                values[index] = cell
        for index in (0, 5, 10):  # customer- and staff-written text
            text = values[index]
            if text is not None and (text[0] == "=" or len(text) > MAX_CELL_TEXT):
                # openpyxl reads a leading "=" as a formula: this one is someone's text.
                cell = WriteOnlyCell(sheet, value=text[:MAX_CELL_TEXT])
                cell.data_type = "s"
                values[index] = cell
        sheet.append(values)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
