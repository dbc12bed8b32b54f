"""Shapes shared by many endpoints: action results and pages."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from connectors.lexoffice.models.base import LexDateTime, LexofficeModel

ItemT = TypeVar("ItemT", bound=BaseModel)


class ActionResult(LexofficeModel):
    """The body of a successful POST or PUT: where the resource lives and its new version."""

    id: str
    resource_uri: str | None = None
    created_date: LexDateTime | None = None
    updated_date: LexDateTime | None = None
    version: int | None = None


class SortOrder(LexofficeModel):
    property: str | None = None
    direction: str | None = None


class RejectedItem(LexofficeModel):
    """A listed record whose JSON does not fit the model (e.g. edited in the web app into a
    shape the API documents nowhere). It is set aside so one record cannot stop a listing."""

    id: str | None = None
    field: str  # the first offending field, dotted as lexoffice names it: "company.name"
    reason: str  # pydantic's words, for developers
    raw: dict[str, Any] | None = None  # the record as sent, for a person to look at
    # The first problem as data, for the words people read (tasks/error_text.py): pydantic's
    # error type ("string_type"), the value found, what was expected, how many more.
    error_type: str = ""
    got: str = ""
    expected: str = ""
    more: int = 0


class Page(LexofficeModel, Generic[ItemT]):
    """One page of a paged list (`content` plus the paging facts).

    Items that do not fit the item model are moved to `rejected` instead of failing the page.
    """

    content: list[ItemT] = Field(default_factory=list)
    rejected: list[RejectedItem] = Field(default_factory=list, exclude=True)
    first: bool | None = None
    last: bool | None = None
    total_pages: int | None = None
    # lexoffice caps this at 10,000.
    total_elements: int | None = None
    number_of_elements: int | None = None
    size: int | None = None
    number: int | None = None
    sort: list[SortOrder] | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _set_aside_unreadable_items(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        try:
            return handler(data)
        except ValidationError as error:
            by_item = _errors_by_item(error, data)
            if by_item is None:
                raise  # the page itself is malformed, not one of its records
            content = data["content"]
            kept = [item for index, item in enumerate(content) if index not in by_item]
            page = handler({**data, "content": kept})
            page.rejected = [_rejected(content[i], errors) for i, errors in by_item.items()]
            return page


def _errors_by_item(error: ValidationError, data: Any) -> dict[int, list[ErrorDetails]] | None:
    """The errors grouped by item index, or None if any error lies outside `content[i]`."""
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        return None
    by_item: dict[int, list[ErrorDetails]] = {}
    for detail in error.errors():
        loc = detail["loc"]
        if len(loc) < 2 or loc[0] != "content" or not isinstance(loc[1], int):
            return None
        by_item.setdefault(loc[1], []).append(detail)
    return by_item


def _rejected(item: Any, errors: list[ErrorDetails]) -> RejectedItem:
    first = errors[0]
    path = ".".join(str(part) for part in first["loc"][2:]) or "(record)"
    got = repr(first.get("input"))[:80]
    reasons = [f"{first['msg']} (got {got})"]
    if len(errors) > 1:
        reasons.append(f"and {len(errors) - 1} more problem(s)")
    record = item if isinstance(item, dict) else None
    record_id = record.get("id") if record is not None else None
    return RejectedItem(
        id=record_id if isinstance(record_id, str) else None,
        field=path,
        reason=" ".join(reasons),
        raw=record,
        error_type=first["type"],
        got=got,
        expected=str((first.get("ctx") or {}).get("expected", "")),
        more=len(errors) - 1,
    )
