"""Exceptions by what the caller should do, and the one table that maps status → exception.

Messages name method, path and status; they never contain the API key or any header.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from connectors.lexoffice.models.errors import ErrorDetail, IssueListBody, RegularErrorBody


class LexofficeError(Exception):
    """Base of every error the lexoffice client raises.

    The message is for developers (English); the fields let `tasks/error_text.py` say it in
    German: `reason` as lexoffice or the network gave it, and for an error the client
    retried, how many `attempts` it made in how many seconds.
    """

    # Said when `reason` is empty (a subclass's standing explanation, for developers).
    default_reason = ""

    def __init__(
        self, method: str, path: str, status: int | None, reason: str = "", body_text: str = ""
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason
        self.body_text = body_text
        self.attempts: int | None = None
        self.elapsed_seconds: float | None = None
        self.budget_seconds: float | None = None
        super().__init__(self._message())

    def gave_up(self, attempts: int, elapsed_seconds: float, budget_seconds: float) -> None:
        """Record that the client stopped retrying after `attempts` within its budget."""
        self.attempts = attempts
        self.elapsed_seconds = elapsed_seconds
        self.budget_seconds = budget_seconds
        self.args = (self._message(),)

    def _message(self) -> str:
        status = "no response" if self.status is None else f"HTTP {self.status}"
        text = f"{self.method} {self.path} → {status}"
        reason = self.reason or self.default_reason
        if self.attempts is not None:
            note = (
                f"gave up after {self.attempts} attempts in {self.elapsed_seconds:.1f} s "
                f"(retry budget {self.budget_seconds:g} s)"
            )
            reason = f"{reason}; {note}" if reason else note
        return f"{text}: {reason}" if reason else text


class CredentialsError(LexofficeError):
    """401/403: the API key is missing, invalid, revoked, or lacks a scope. Fix the key."""


class PaymentRequiredError(LexofficeError):
    """402: the lexoffice plan does not allow this action. The customer must upgrade."""


class NotFoundError(LexofficeError):
    """404: the resource does not exist (any more)."""


class ValidationError(LexofficeError):
    """400/406: lexoffice refused the data. `details` lists (field, violation, message)."""

    def __init__(
        self,
        method: str,
        path: str,
        status: int | None,
        reason: str = "",
        body_text: str = "",
        details: list[ErrorDetail] | None = None,
    ) -> None:
        self.details = details or []
        readable = "; ".join(str(detail) for detail in self.details)
        super().__init__(method, path, status, readable or reason, body_text)


class VersionConflictError(LexofficeError):
    """409: the resource changed since it was read (stale version), or already exists.

    For a stale version: GET the resource again, re-apply the change, PUT again.
    """

    def __init__(
        self,
        method: str,
        path: str,
        status: int | None,
        reason: str = "",
        body_text: str = "",
        resource_id: str | None = None,
    ) -> None:
        self.resource_id = resource_id if resource_id is not None else resource_id_from(path)
        self.default_reason = f"conflict on {self.resource_id}"
        super().__init__(method, path, status, reason, body_text)


class RequestError(LexofficeError):
    """Another 4xx (405, 415, …): the request itself is wrong; a bug on our side."""


class RetryLaterError(LexofficeError):
    """lexoffice could not serve the request now; the client already retried within its
    retry budget (the message says how long). Try later."""


class RateLimitedError(RetryLaterError):
    """429 until the client's retry budget ran out."""


class ServerError(RetryLaterError):
    """5xx (or an unreadable answer) until the client's retry budget ran out."""


class ConnectionFailedError(RetryLaterError):
    """No connection, or the connection broke, after the client's retries ran out."""


class OutcomeUnknownError(LexofficeError):
    """A POST may or may not have been performed (any 5xx, timeout, lost or unreadable answer).

    Never resend blindly: look for the record first (e.g. in the voucherlist). `sent_body`
    is the JSON that was sent, so the caller can search for it.
    """

    default_reason = "outcome unknown; look before resending"

    def __init__(
        self,
        method: str,
        path: str,
        status: int | None,
        reason: str = "",
        body_text: str = "",
        sent_body: Any = None,
    ) -> None:
        self.sent_body = sent_body
        super().__init__(method, path, status, reason, body_text)


STATUS_ERRORS: dict[int, type[LexofficeError]] = {
    400: ValidationError,
    401: CredentialsError,
    402: PaymentRequiredError,
    403: CredentialsError,
    404: NotFoundError,
    406: ValidationError,
    409: VersionConflictError,
    429: RateLimitedError,
}


def error_class_for(status: int) -> type[LexofficeError]:
    """The exception for a final (non-retried) error status."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return ServerError if status >= 500 else RequestError


def error_for_response(method: str, path: str, status: int, body_text: str) -> LexofficeError:
    """Build the exception for a failed response, with lexoffice's details when present."""
    cls = error_class_for(status)
    details = parse_error_details(body_text)
    reason = "; ".join(str(detail) for detail in details) or _plain_message(body_text)
    if cls is ValidationError:
        return ValidationError(method, path, status, reason, body_text, details)
    return cls(method, path, status, reason, body_text)


def parse_error_details(body_text: str) -> list[ErrorDetail]:
    """Field-level details from a legacy IssueList body or a regular `details` body."""
    data = _json_or_none(body_text)
    if not isinstance(data, dict):
        return []
    try:
        if "IssueList" in data:
            return IssueListBody.model_validate(data).to_details()
        return RegularErrorBody.model_validate(data).to_details()
    except PydanticValidationError:
        return []


def _plain_message(body_text: str) -> str:
    data = _json_or_none(body_text)
    message = data.get("message") if isinstance(data, dict) else None
    return str(message)[:300] if message else ""


def _json_or_none(body_text: str) -> Any:
    try:
        return json.loads(body_text) if body_text else None
    except ValueError:
        return None


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def resource_id_from(path: str) -> str | None:
    """The last UUID in a request path (`/v1/contacts/{id}` → id), if any."""
    found = _UUID.findall(path)
    return found[-1] if found else None
