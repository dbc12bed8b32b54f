"""Voucherlist queries, split by date so none crosses lexoffice's 10,000-result window."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from connectors.lexoffice.datetimes import format_date
from connectors.lexoffice.errors import LexofficeError
from connectors.lexoffice.models.common import Page
from connectors.lexoffice.models.voucherlist import VoucherlistEntry
from connectors.lexoffice.paging import iter_items
from connectors.lexoffice.search import Params, html_encode_search

SEARCH_WINDOW = 10_000
WINDOW_EXCEEDED_TEXT = "maximum search window size exceeded"
# Used when the date field being split has no bound: before lexoffice existed, and far ahead.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY_AHEAD = timedelta(days=3 * 366)


class SearchWindowError(RuntimeError):
    """Even a single day holds 10,000 or more vouchers: narrow the query by other filters."""


@dataclass(frozen=True)
class VoucherlistQuery:
    """Filters of `GET /v1/voucherlist`. Types and statuses are required (`["any"]` for all).

    `split_on` names the date filter that is bisected when a query would exceed lexoffice's
    10,000-result window.
    """

    voucher_types: tuple[str, ...] = ("any",)
    voucher_statuses: tuple[str, ...] = ("any",)
    archived: bool | None = None
    contact_id: str | None = None
    voucher_number: str | None = None
    voucher_date_from: date | None = None
    voucher_date_to: date | None = None
    created_date_from: date | None = None
    created_date_to: date | None = None
    updated_date_from: date | None = None
    updated_date_to: date | None = None
    split_on: str = "updatedDate"
    sort: str | None = None

    def range_of(self, field: str) -> tuple[date | None, date | None]:
        """The (from, to) days of a date filter, e.g. `updatedDate`."""
        start, end = _RANGE_ATTRIBUTES[field]
        return getattr(self, start), getattr(self, end)

    def with_range(self, field: str, start: date, end: date) -> VoucherlistQuery:
        start_name, end_name = _RANGE_ATTRIBUTES[field]
        changes: dict[str, Any] = {start_name: start, end_name: end}
        return dataclasses.replace(self, **changes)

    def params(self) -> Params:
        """The query parameters (without page and size)."""
        params: dict[str, str | bool | list[str] | None] = {
            "voucherType": list(self.voucher_types),
            "voucherStatus": list(self.voucher_statuses),
            "archived": self.archived,
            "contactId": self.contact_id,
            "voucherNumber": _search_or_none(self.voucher_number),
        }
        for field in _RANGE_ATTRIBUTES:
            start, end = self.range_of(field)
            params[f"{field}From"] = format_date(start) if start else None
            params[f"{field}To"] = format_date(end) if end else None
        params["sort"] = self.sort
        return params


_RANGE_ATTRIBUTES = {
    "voucherDate": ("voucher_date_from", "voucher_date_to"),
    "createdDate": ("created_date_from", "created_date_to"),
    "updatedDate": ("updated_date_from", "updated_date_to"),
}


def _search_or_none(text: str | None) -> str | None:
    return html_encode_search(text) if text is not None else None


PageFetcher = Callable[[VoucherlistQuery, int], Page[VoucherlistEntry]]


def iter_voucherlist(
    fetch: PageFetcher, query: VoucherlistQuery, today: date
) -> Iterator[VoucherlistEntry]:
    """Every entry matching `query`, bisecting its date range while a part is too big."""
    first = _first_page_or_none(fetch, query)
    if first is not None and (first.total_elements or 0) < SEARCH_WINDOW:
        yield from iter_items(lambda number: fetch(query, number), first)
        return
    for part in _halves(query, today):
        yield from iter_voucherlist(fetch, part, today)


def _first_page_or_none(
    fetch: PageFetcher, query: VoucherlistQuery
) -> Page[VoucherlistEntry] | None:
    try:
        return fetch(query, 0)
    except LexofficeError as error:
        if WINDOW_EXCEEDED_TEXT in (error.body_text + error.reason).lower():
            return None
        raise


def _halves(query: VoucherlistQuery, today: date) -> list[VoucherlistQuery]:
    start, end = query.range_of(query.split_on)
    start, end = start or EARLIEST_DAY, end or today + LATEST_DAY_AHEAD
    if start >= end:
        raise SearchWindowError(
            f"{query.split_on} {start} alone has ≥ {SEARCH_WINDOW} vouchers; add filters"
        )
    middle = start + (end - start) // 2
    halves = [
        query.with_range(query.split_on, start, middle),
        query.with_range(query.split_on, middle + timedelta(days=1), end),
    ]
    descending = (query.sort or "").lower() == f"{query.split_on.lower()},desc"
    return halves[::-1] if descending else halves
