"""Turning submitted forms into the API's own schemas, and schema errors into per-field
messages a page can show next to each input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from frontdesk.kit.errors import FrontdeskError
from frontdesk.workspaces.hours import WEEKDAYS

S = TypeVar("S", bound=BaseModel)
FormErrors = dict[str, str]


def parse_form(
    schema: type[S], data: Mapping[str, Any], rename: Mapping[str, str] | None = None
) -> tuple[S | None, FormErrors]:
    """Validate ``data`` with ``schema``; errors are keyed by form field name."""
    rename = rename or {}
    try:
        return schema.model_validate(dict(data)), {}
    except ValidationError as error:
        reverse = {v: k for k, v in rename.items()}
        errors: FormErrors = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "form"
            errors.setdefault(reverse.get(field, field), _humanise(item["msg"]))
        return None, errors


def errors_from(error: FrontdeskError) -> FormErrors:
    """Field errors carried by a domain error (``details`` as a list of field/message)."""
    if isinstance(error.details, list):
        return {d["field"]: d["message"] for d in error.details if "field" in d}
    return {}


def _humanise(message: str) -> str:
    message = message.removeprefix("Value error, ")
    return message[0].upper() + message[1:] if message else message


@dataclass(frozen=True)
class DayHours:
    day: int
    key: str
    label: str
    open: bool
    start: str
    end: str
    break_start: str
    break_end: str


def hours_rows(hours: dict[str, list[dict[str, str]]]) -> list[DayHours]:
    """Stored intervals as form rows: a two-interval day shows its gap as a break."""
    rows = []
    for index, (key, label) in enumerate(WEEKDAYS):
        intervals = hours.get(key) or []
        has_break = len(intervals) >= 2
        rows.append(
            DayHours(
                day=index,
                key=key,
                label=label,
                open=bool(intervals),
                start=intervals[0]["start"] if intervals else "09:00",
                end=intervals[-1]["end"] if intervals else "17:00",
                break_start=intervals[0]["end"] if has_break else "",
                break_end=intervals[1]["start"] if has_break else "",
            )
        )
    return rows


def hours_from_form(form: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
    hours: dict[str, list[dict[str, str]]] = {}
    for index, (key, _label) in enumerate(WEEKDAYS):
        prefix = f"hours_{index}_"
        if not form.get(prefix + "open"):
            hours[key] = []
            continue
        start, end = form.get(prefix + "start", ""), form.get(prefix + "end", "")
        break_start = form.get(prefix + "break_start", "")
        break_end = form.get(prefix + "break_end", "")
        if break_start and break_end:
            hours[key] = [{"start": start, "end": break_start}, {"start": break_end, "end": end}]
        else:
            hours[key] = [{"start": start, "end": end}]
    return hours


def hours_errors(message: str) -> FormErrors:
    """Place an hours error ("Monday: opening must be before closing") on its day's row."""
    for index, (_key, label) in enumerate(WEEKDAYS):
        if message.startswith(f"{label}: "):
            return {f"hours_{index}": message.removeprefix(f"{label}: ")}
    return {"hours": message}
