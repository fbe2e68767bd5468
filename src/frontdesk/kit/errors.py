"""Domain errors carry their HTTP status; one handler turns them into the error envelope.

Every API error leaves as ``{"error": {"code", "message", "details"}}``. Nothing else, and
never a stack trace, reaches a client.
"""

from __future__ import annotations

from typing import Any


class FrontdeskError(Exception):
    status_code = 400
    code = "bad_request"
    #: Keep the unit of work's changes although the request fails (see ``Database``).
    commit_changes = False

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details
        self.headers = headers or {}

    def envelope(self) -> dict[str, Any]:
        return error_envelope(self.code, self.message, self.details)


class NotAuthenticated(FrontdeskError):
    status_code = 401
    code = "not_authenticated"


class AuthenticationFailed(NotAuthenticated):
    """A refused credential whose consequences (audit entry, revoked family) must persist."""

    code = "authentication_failed"
    commit_changes = True


class PermissionDenied(FrontdeskError):
    status_code = 403
    code = "permission_denied"


class NotFound(FrontdeskError):
    status_code = 404
    code = "not_found"


class Conflict(FrontdeskError):
    status_code = 409
    code = "conflict"


class InvalidInput(FrontdeskError):
    status_code = 422
    code = "validation_error"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, details=[{"field": field, "message": message}])


class RateLimited(FrontdeskError):
    status_code = 429
    code = "rate_limited"
    commit_changes = True

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(
            message, details={"retry_after": retry_after}, headers={"Retry-After": str(retry_after)}
        )


def error_envelope(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}
