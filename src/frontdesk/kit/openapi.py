"""The OpenAPI document, true to the service: every error an operation can answer is listed,
with the one error envelope every error leaves as (``kit/errors.py``).

FastAPI documents only the success status and its own 422 (with a ``{"detail": ...}`` body
the app never sends). The errors come from places a route signature does not show: the
bearer dependencies (401), role checks (403), path lookups (404), the body-limit middleware
(413, and 422 for JSON nested too deep), malformed JSON (400), rate limits (429), a database
or Redis that is down (503). They are added here once, by rule, over the generated document;
the few that only some operations raise (409, 415, 429) are listed by operation below.
``tests/test_openapi_fuzz.py`` holds the document to the running service with schemathesis.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable cause."},
                "message": {"type": "string", "description": "For a person to read."},
                "details": {"description": "Per-field problems, limits, or null."},
            },
        }
    },
}
DESCRIPTIONS = {
    400: "The body is not well-formed JSON.",
    401: "Missing, expired or revoked credentials.",
    403: "Your role does not allow this.",
    404: "No such resource in this workspace.",
    409: "Conflicts with the current state (a duplicate, the last owner, a deleted message).",
    413: "The body is larger than this instance accepts.",
    415: "A file of a type this instance does not accept.",
    422: "Some fields are missing or invalid (or the JSON is nested too deep).",
    429: "Too many attempts; retry after the Retry-After header's seconds.",
    503: "The database or Redis is unreachable; retry after the Retry-After header's seconds.",
}
# Operations that take credentials in the body or the path instead of a bearer token.
CREDENTIAL_OPERATIONS = {
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/invitations/{token}/accept"),
    ("get", "/api/invitations/{token}"),
    ("get", "/api/events"),
    ("get", "/api/portal/events"),
}
# Raised by only some operations' services, so listed by operation.
EXTRA_STATUSES: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/api/auth/register"): (409, 429),
    ("post", "/api/auth/login"): (429,),
    ("post", "/api/auth/switch"): (404,),
    ("post", "/api/invitations/{token}/accept"): (409, 429),
    ("post", "/api/workspace/members"): (409,),
    ("patch", "/api/workspace/members/{member_id}"): (409,),
    ("delete", "/api/workspace/members/{member_id}"): (409,),
    ("post", "/api/workspace/intents"): (409,),
    ("put", "/api/workspace/intents/{intent_id}"): (409,),
    ("post", "/api/knowledge/sources"): (409, 415),
    ("post", "/api/knowledge/sources/{source_id}/reimport"): (409, 415),
    ("patch", "/api/knowledge/sources/{source_id}"): (409,),
    ("delete", "/api/knowledge/sources/{source_id}"): (409,),
    ("post", "/api/conversations/{conversation_id}/messages"): (409,),
    ("post", "/api/conversations/import"): (409,),
    ("post", "/api/messages/{message_id}/approve"): (409,),
    ("post", "/api/messages/{message_id}/revise"): (409,),
    ("patch", "/api/messages/{message_id}"): (409,),
    ("delete", "/api/messages/{message_id}"): (409,),
    ("post", "/api/portal/{slug}/sessions"): (404, 429),
    ("post", "/api/portal/messages"): (409, 413, 415, 429),
    ("post", "/api/portal/uploads"): (413, 415, 429),
    ("post", "/api/portal/read"): (404,),
    ("get", "/api/portal/messages"): (404,),
}
# Successes that are not JSON (FastAPI documents every 200 as JSON).
_EVENT_STREAM = {
    "text/event-stream": {
        "schema": {"type": "string", "description": "Server-Sent Events: `id:` and `data:` lines."}
    }
}
SUCCESS_CONTENT: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/api/events"): _EVENT_STREAM,
    ("get", "/api/portal/events"): _EVENT_STREAM,
    ("get", "/api/conversations/{conversation_id}/export"): {
        "application/json": {"schema": {"type": "object"}},
        "text/csv": {"schema": {"type": "string"}},
    },
}
# Answers that touch neither the database nor Redis.
NO_DEPENDENCY = {("get", "/healthz")}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "string"},
    }
}
_PATH_PARAMETER = re.compile(r"\{[^}]+\}")


def error_statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """Every error status the operation can answer, by the rules in the module docstring."""
    statuses = set(EXTRA_STATUSES.get((method, path), ()))
    has_body = "requestBody" in operation
    if has_body:
        statuses |= {400, 413, 422}
    if operation.get("parameters"):
        statuses.add(422)
    if operation.get("security") or (method, path) in CREDENTIAL_OPERATIONS:
        statuses.add(401)
    if operation.get("security") and not path.startswith("/api/portal/"):
        statuses.add(403)  # staff routes check the role
    if _PATH_PARAMETER.search(path):
        statuses.add(404)
    if (method, path) not in NO_DEPENDENCY:
        statuses.add(503)
    return statuses


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}
        },
    }
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """The generated document with every operation's error answers added (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    # FastAPI's validation error shape is never sent: the envelope replaces it.
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            if (method, path) in SUCCESS_CONTENT:
                responses["200"]["content"] = SUCCESS_CONTENT[(method, path)]
            for status in sorted(error_statuses(method, path, operation)):
                responses.setdefault(str(status), _error_response(status))
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the documented-errors document at /openapi.json (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    openapi_version=app.openapi_version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI's documented override


__all__ = ["ERROR_SCHEMA", "document_errors", "error_statuses", "install_openapi"]
