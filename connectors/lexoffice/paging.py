"""The page generator: fetch page 0, 1, 2, … until lexoffice says it was the last one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel

from connectors.lexoffice.models.common import Page

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


def iter_items(
    fetch: Callable[[int], Page[ItemT]], first: Page[ItemT] | None = None
) -> Iterator[ItemT]:
    """Yield every item of every page."""
    for page in iter_pages(fetch, first):
        yield from page.content


def is_last_page(page: Page[Any], number: int) -> bool:
    """The explicit stop: `last`, else `totalPages`, else an empty page."""
    if page.last is not None:
        return page.last
    if page.total_pages is not None:
        return number + 1 >= page.total_pages
    return not page.content


def _guard_against_repeats(page: Page[Any], number: int, seen: set[tuple[Any, ...]]) -> None:
    if page.number is not None and page.number != number:
        raise RepeatedPageError(f"asked for page {number}, got page {page.number}")
    fingerprint = tuple(_item_key(item) for item in page.content)
    if fingerprint and fingerprint in seen:
        raise RepeatedPageError(f"page {number} repeats an earlier page; stopping")
    seen.add(fingerprint)


def _item_key(item: BaseModel) -> Any:
    item_id = getattr(item, "id", None)
    return item_id if item_id is not None else item.model_dump_json()
