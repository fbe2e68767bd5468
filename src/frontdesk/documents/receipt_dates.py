"""The date a receipt was paid, from its text: numeric (2026-12-03, 03/12/2026, 03.12.26) or
written out in English or Spanish (Dec 3, 2026; 3 de diciembre de 2026). A line labelled as
the date ("Date", "Fecha", "Paid on") wins over other dates on the receipt."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "january": 1, "ene": 1, "enero": 1,
    "feb": 2, "february": 2, "febrero": 2,
    "mar": 3, "march": 3, "marzo": 3,
    "apr": 4, "april": 4, "abr": 4, "abril": 4,
    "may": 5, "mayo": 5,
    "jun": 6, "june": 6, "junio": 6,
    "jul": 7, "july": 7, "julio": 7,
    "aug": 8, "august": 8, "ago": 8, "agosto": 8,
    "sep": 9, "sept": 9, "september": 9, "septiembre": 9, "set": 9, "setiembre": 9,
    "oct": 10, "october": 10, "octubre": 10,
    "nov": 11, "november": 11, "noviembre": 11,
    "dec": 12, "december": 12, "dic": 12, "diciembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})\b")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s*(?:de\s+)?({_MONTH})\.?,?\s*(?:de\s+|del\s+)?(\d{{4}})\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(\d{{4}})\b", re.IGNORECASE
)
_DATE_LABEL = re.compile(r"\b(date|fecha|paid\s+on|pagado\s+el|emitido|issued)\b", re.IGNORECASE)


def find_date(lines: list[str], language: str = "en") -> str | None:
    labelled = [line for line in lines if _DATE_LABEL.search(line)]
    for line in labelled + lines:
        found = date_in(line, language)
        if found is not None:
            return found.isoformat()
    return None


def date_in(line: str, language: str = "en") -> date | None:
    for match in _ISO.finditer(line):
        if value := _make(int(match[1]), int(match[2]), int(match[3])):
            return value
    for match in _DAY_MONTH.finditer(line):
        month = MONTHS[match[2].lower()]
        if value := _make(int(match[3]), month, int(match[1])):
            return value
    for match in _MONTH_DAY.finditer(line):
        month = MONTHS[match[1].lower()]
        if value := _make(int(match[3]), month, int(match[2])):
            return value
    for match in _NUMERIC.finditer(line):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        year = year + 2000 if year < 100 else year
        # Day first unless impossible, or the receipt is English and month first fits:
        # 03/12/2026 is 3 December in Spanish and March 12 in US English.
        month_first = second > 12 or (language == "en" and first <= 12 and "/" in match[0])
        if first > 12:
            month_first = False
        day, month = (second, first) if month_first else (first, second)
        if value := _make(year, month, day):
            return value
    return None


def _make(year: int, month: int, day: int) -> date | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
