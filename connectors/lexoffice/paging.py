"""The page generator: fetch page 0, 1, 2, … until lexoffice says it was the last one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from connectors.lexoffice.models.common import Page, RejectedItem

ItemT = TypeVar("ItemT", bound=BaseModel)


class RepeatedPageError(RuntimeError):
    """lexoffice answered a page request with a page already seen; stopping avoids a loop."""


def iter_pages(
    fetch: Callable[[int], Page[ItemT]], first: Page[ItemT] | None = None
) -> Iterator[Page[ItemT]]:
    """Yield pages until `last` (or `totalPages`, or an empty page) says stop.

    `first` is page 0 when the caller already has it.
    """
    seen: set[tuple[Any, ...]] = set()
    number = 0
    page = first if first is not None else fetch(0)
    while True:
        _guard_against_repeats(page, number, seen)
        yield page
        if is_last_page(page, number):
            return
        number += 1
        page = fetch(number)


class Listing(Generic[ItemT]):
    """Every item of every page, fetched lazily; unreadable records land in `rejected`.

    A record lexoffice sends in a shape the model does not accept (see `Page`) must not stop
    the whole listing: the caller reads `rejected` after iterating and reports each one.
    """

    def __init__(
        self, fetch: Callable[[int], Page[ItemT]], first: Page[ItemT] | None = None
    ) -> None:
        self.rejected: list[RejectedItem] = []
        self._items = self._generate(fetch, first)

    def __iter__(self) -> Listing[ItemT]:
        return self

    def __next__(self) -> ItemT:
        return next(self._items)

    def _generate(
        self, fetch: Callable[[int], Page[ItemT]], first: Page[ItemT] | None
    ) -> Iterator[ItemT]:
        for page in iter_pages(fetch, first):
            self.rejected += page.rejected
            yield from page.content


def iter_items(
    fetch: Callable[[int], Page[ItemT]], first: Page[ItemT] | None = None
) -> Listing[ItemT]:
    """Every item of every page (unreadable ones collected in `.rejected`)."""
    return Listing(fetch, first)


def is_last_page(page: Page[Any], number: int) -> bool:
    """The explicit stop: `last`, else `totalPages`, else an empty page."""
    if page.last is not None:
        return page.last
    if page.total_pages is not None:
        return number + 1 >= page.total_pages
    return not page.content and not page.rejected


def _guard_against_repeats(page: Page[Any], number: int, seen: set[tuple[Any, ...]]) -> None:
    if page.number is not None and page.number != number:
        raise RepeatedPageError(f"asked for page {number}, got page {page.number}")
    fingerprint = tuple(_item_key(item) for item in [*page.content, *page.rejected])
    if fingerprint and fingerprint in seen:
        raise RepeatedPageError(f"page {number} repeats an earlier page; stopping")
    seen.add(fingerprint)


def _item_key(item: BaseModel) -> Any:
    item_id = getattr(item, "id", None)
    return item_id if item_id is not None else item.model_dump_json()
