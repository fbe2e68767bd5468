"""Query parameter types that accept exactly what the OpenAPI document says they accept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator


def _iso_text_only(value: Any) -> Any:
    # Pydantic's lax mode reads a number (or a numeric string) as a Unix timestamp; the
    # document says date-time.
    numeric = isinstance(value, int | float)
    if isinstance(value, str):
        try:
            float(value)
            numeric = True
        except ValueError:
            pass
    if numeric:
        raise ValueError("use an ISO 8601 date-time, e.g. 2024-05-01T09:00:00Z")
    return value


#: An ISO 8601 date-time with a time zone, as the document's ``format: date-time`` says.
IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_text_only)]
#: An ISO 8601 date-time (a time zone optional), never a bare number.
TextDatetime = Annotated[datetime, BeforeValidator(_iso_text_only)]


def _json_whole_number(value: Any) -> Any:
    # JSON Schema's integer takes 30.0 but neither true nor "30": pydantic's lax mode would
    # read both, its strict mode refuses 30.0.
    if isinstance(value, bool | str):
        raise ValueError("give a number")
    return value


# After Field(...) in Annotated[int, Field(...), JsonWholeNumber] (before it, the constraints
# leave the JSON Schema as pydantic names ("ge") rather than "minimum"): a whole number as
# JSON Schema reads one.
JsonWholeNumber = BeforeValidator(_json_whole_number)


#: A character ``str.strip()`` keeps (JSON Schema's ``\s`` lacks U+001C-U+001F and U+0085,
#: and NUL is removed from every request string): a field matching it is not blank.
WRITTEN = r"[^\s\u0000\u001c-\u001f\u0085]"
#: Written, with nothing for ``strip()`` to remove at either end.
STRIPPED = rf"^{WRITTEN}([\s\S]*{WRITTEN})?$"


def written(*fields: str) -> dict[str, Any]:
    """JSON Schema: each field is present and not blank (a validator checks the same)."""
    return {
        "required": list(fields),
        "properties": {field: {"type": "string", "pattern": WRITTEN} for field in fields},
    }


def not_null(*fields: str) -> Callable[[dict[str, Any]], None]:
    """JSON Schema hook: these optional fields may be left out, but not sent as null (the
    service refuses to empty them)."""

    def drop_null(schema: dict[str, Any]) -> None:
        for field in fields:
            prop = schema["properties"][field]
            options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
            if len(options) == 1:  # what the field itself says wins over the type's default
                prop.update({**options[0], **prop})
            elif options:
                prop["anyOf"] = options
            if prop.get("default", "") is None:
                del prop["default"]

    return drop_null
