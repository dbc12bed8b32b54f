"""lexoffice's error bodies: legacy `IssueList`, regular `details` (gateway ones: gateway.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .util import now_iso

# The German texts lexoffice's validation messages use (they are not meant for end users).
MESSAGES = {
    "NOTNULL": "darf nicht leer sein",
    "NOTEMPTY": "darf nicht leer sein",
    "SIZE": "Größe ist ungültig",
    "PATTERN": "muss dem Format entsprechen",
    "DIGITS": "zu viele Nachkommastellen",
    "RANGE": "Wert liegt außerhalb des gültigen Bereichs",
    "INVALID": "ungültiger Wert",
    "NOT_FOUND": "Referenz existiert nicht",
}
VALIDATION_MESSAGE = "Validation failed for request. Please see details list for specific causes."


@dataclass
class Violation:
    """One entry of a regular error's `details` list."""

    violation: str
    field: str
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        text = self.message or MESSAGES.get(self.violation, "ungültiger Wert")
        return {"violation": self.violation, "field": self.field, "message": text}


@dataclass
class Issue:
    """One entry of a legacy error's `IssueList` (contacts, files, vouchers)."""

    i18n_key: str
    source: str | None
    type: str = "validation_failure"
    additional_data: Any = None
    args: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "i18nKey": self.i18n_key,
            "source": self.source,
            "type": self.type,
            "additionalData": self.additional_data,
            "args": self.args,
        }


@dataclass
class ApiError(Exception):
    """An error answer of the lexoffice API, rendered in the format its endpoint uses."""

    status: int
    message: str | None = None
    details: list[Violation] = field(default_factory=list)
    issues: list[Issue] | None = None

    def body(self, path: str) -> dict[str, Any]:
        """The JSON body lexoffice would send for this error."""
        if self.issues is not None:
            return {"IssueList": [issue.to_json() for issue in self.issues]}
        body: dict[str, Any] = {
            "timestamp": now_iso(),
            "status": self.status,
            "error": HTTPStatus(self.status).phrase,
            "path": path,
            "traceId": secrets.token_hex(8),
            "message": self.message,
        }
        if self.details:
            body["details"] = [violation.to_json() for violation in self.details]
        return body

    def response(self, path: str) -> Response:
        return JSONResponse(self.body(path), status_code=self.status)


def validation_failed(violations: list[Violation]) -> ApiError:
    """406 in the regular format (all endpoints except contacts)."""
    return ApiError(406, message=VALIDATION_MESSAGE, details=violations)


def legacy_failed(issues: list[Issue], status: int = 406) -> ApiError:
    """406 (or 400) in the legacy format used by the contacts endpoint."""
    return ApiError(status, issues=issues)


def bad_request(message: str) -> ApiError:
    """400 in the regular format."""
    return ApiError(400, message=message)


def not_found() -> ApiError:
    """404 for an unknown id."""
    return ApiError(404, message="Resource not found")


async def handle_api_error(request: Request, exc: Exception) -> Response:
    """Starlette exception handler for ApiError."""
    assert isinstance(exc, ApiError)
    return exc.response(request.url.path)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Unknown paths (404) and wrong methods (405) in the regular format."""
    assert isinstance(exc, HTTPException)
    message = "Resource not found" if exc.status_code == 404 else exc.detail
    error = ApiError(exc.status_code, message=message)
    response = error.response(request.url.path)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response
