"""NUL characters (U+0000) never reach the database.

PostgreSQL cannot store NUL in text (the insert fails and the request with it); SQLite can,
so the two would disagree. Nobody means to type one, so they are dropped, in two places:

- at the door, by input schemas built on :class:`CleanInput` — what the caller gets back is
  what was stored, and a message of nothing but NULs is as empty as it looks;
- in every statement's parameters (:func:`strip_nul_parameters`, registered on each engine
  by ``kit/db.py``): the net under anything else that writes text (imported documents,
  forms and schemas not built on ``CleanInput``), the same on both databases.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator

NUL = "\x00"


def strip_nul(value: Any) -> Any:
    """``value`` with NUL removed from every string in it (lists and dicts included)."""
    if isinstance(value, str):
        return value.replace(NUL, "") if NUL in value else value
    if isinstance(value, list):
        return [strip_nul(item) for item in value]
    if isinstance(value, dict):
        return {strip_nul(key): strip_nul(item) for key, item in value.items()}
    return value


class CleanInput(BaseModel):
    """Base for request bodies: NUL is gone from every string before fields are validated."""

    @model_validator(mode="before")
    @classmethod
    def _without_nul(cls, data: Any) -> Any:
        return strip_nul(data)


def _has_nul(value: Any) -> bool:
    return isinstance(value, str) and NUL in value


def _clean_row(row: Any) -> Any:
    if isinstance(row, dict):
        if any(_has_nul(v) for v in row.values()):
            return {key: strip_nul(v) if isinstance(v, str) else v for key, v in row.items()}
    elif isinstance(row, (tuple, list)) and any(_has_nul(v) for v in row):
        return type(row)(strip_nul(v) if isinstance(v, str) else v for v in row)
    return row


def strip_nul_parameters(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    """SQLAlchemy ``before_cursor_execute`` hook (``retval=True``). Rows are rebuilt only
    when one of their strings holds a NUL, so ordinary statements cost one scan."""
    if executemany and isinstance(parameters, (list, tuple)):
        return statement, [_clean_row(row) for row in parameters]
    return statement, _clean_row(parameters)
