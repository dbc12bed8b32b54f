"""lexoffice's two error body formats: the legacy IssueList and the regular `details` body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class ErrorDetail:
    """One field-level complaint of lexoffice (from either error body format)."""

    field: str | None
    violation: str | None
    message: str | None

    def __str__(self) -> str:
        parts = [self.field or "(no field)", self.violation or "", self.message or ""]
        return " ".join(part for part in parts if part).strip()


class _ErrorModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Issue(_ErrorModel):
    """One entry of the legacy `IssueList` (contacts, files, vouchers)."""

    i18nKey: str | None = None
    source: str | None = None
    type: str | None = None
    additionalData: Any = None
    args: Any = None

    def to_detail(self) -> ErrorDetail:
        return ErrorDetail(field=self.source, violation=self.i18nKey, message=self.type)


class IssueListBody(_ErrorModel):
    """Legacy error body: `{"IssueList": [...]}`."""

    IssueList: list[Issue]

    def to_details(self) -> list[ErrorDetail]:
        return [issue.to_detail() for issue in self.IssueList]


class Violation(_ErrorModel):
    """One entry of `details` in the regular error body."""

    violation: str | None = None
    field: str | None = None
    message: str | None = None

    def to_detail(self) -> ErrorDetail:
        return ErrorDetail(field=self.field, violation=self.violation, message=self.message)


class RegularErrorBody(_ErrorModel):
    """Regular error body: timestamp, status (number or string), error, path, message, details."""

    timestamp: str | None = None
    status: int | str | None = None
    error: str | None = None
    path: str | None = None
    traceId: str | None = None
    message: str | None = None
    details: list[Violation] | None = None

    def to_details(self) -> list[ErrorDetail]:
        return [violation.to_detail() for violation in self.details or []]
