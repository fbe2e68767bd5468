"""The one-sheet XLSX writer, read back by openpyxl (an independent reader of the format)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from frontdesk.kit import xlsx

COLUMNS = (
    xlsx.Column("Name", 20),
    xlsx.Column("Amount", 12, "number", "#,##0.00"),
    xlsx.Column("Day", 12, "date", "yyyy-mm-dd"),
    xlsx.Column("At", 18, "datetime", "yyyy-mm-dd hh:mm:ss"),
)


def test_cells_keep_their_types_and_text_stays_text() -> None:
    at = datetime(2026, 3, 29, 1, 59, 58, 250_000)
    rows = [
        ("=1+1", 12.5, date(1900, 3, 1), at),
        ("  R&D <team>  ", 3, None, None),
        ("bell\x07 and \ufffe gone", None, date(2026, 12, 24), datetime(2026, 1, 1)),
        ("x" * 40_000, -0.01, None, None),
        ("", 0, None, None),
    ]
    data = xlsx.build("Q1: [draft] 'leads'/report-of-the-whole-year", COLUMNS, rows)
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Q1   draft  'leads' report-of-t"  # 31 characters, none refused
    assert [c.value for c in sheet[1]] == ["Name", "Amount", "Day", "At"]
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FF1F4E79"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D6"
    assert sheet.column_dimensions["A"].width == 20
    formula, spaced, cleaned, long, empty = list(sheet.iter_rows(min_row=2))
    assert formula[0].value == "=1+1" and formula[0].data_type == "s"
    assert formula[1].value == 12.5 and formula[1].number_format == "#,##0.00"
    assert formula[2].value == datetime(1900, 3, 1) and formula[2].is_date
    assert formula[3].value == at and formula[3].number_format == "yyyy-mm-dd hh:mm:ss"
    assert spaced[0].value == "  R&D <team>  " and spaced[1].value == 3
    assert spaced[2].value is None and spaced[3].value is None
    assert cleaned[0].value == "bell and  gone"
    assert cleaned[2].value == datetime(2026, 12, 24) and cleaned[3].value == datetime(2026, 1, 1)
    assert long[0].value == "x" * xlsx.MAX_CELL_TEXT and long[1].value == -0.01
    assert empty[0].value is None and empty[1].value == 0


def test_an_empty_export_is_a_header_and_a_valid_package() -> None:
    data = xlsx.build("Leads", COLUMNS, [])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert archive.testzip() is None
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:D1"
