"""Shapes shared by many endpoints: action results and pages."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

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


class Page(LexofficeModel, Generic[ItemT]):
    """One page of a paged list (`content` plus the paging facts)."""

    content: list[ItemT] = Field(default_factory=list)
    first: bool | None = None
    last: bool | None = None
    total_pages: int | None = None
    # lexoffice caps this at 10,000.
    total_elements: int | None = None
    number_of_elements: int | None = None
    size: int | None = None
    number: int | None = None
    sort: list[SortOrder] | None = None
