"""The page generator: fetch page 0, 1, 2, … until lexoffice says it was the last one.

Once page 0 has told how many pages there are, the next pages are requested while earlier
ones are still being answered (up to `PAGES_IN_FLIGHT` at a time, each request still paced):
lexoffice answers in about a second, so one page after the other would use only half of the
2 requests/s a key may send. Pages are still handed out in order, and no page is requested
that page 0 did not announce, so a listing costs exactly its pages.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from connectors.lexoffice.models.common import Page, RejectedItem

ItemT = TypeVar("ItemT", bound=BaseModel)
# Enough to keep 2 requests/s busy while each answer takes up to about 2 s.
PAGES_IN_FLIGHT = 4


class RepeatedPageError(RuntimeError):
    """lexoffice answered a page request with a page already seen; stopping avoids a loop."""


def iter_pages(
    fetch: Callable[[int], Page[ItemT]],
    first: Page[ItemT] | None = None,
    in_flight: int = PAGES_IN_FLIGHT,
    all_requested: Callable[[], None] = lambda: None,
) -> Iterator[Page[ItemT]]:
    """Yield pages until `last` (or `totalPages`, or an empty page) says stop.

    `first` is page 0 when the caller already has it. Pages that page 0 announced are
    requested up to `in_flight` at a time; beyond them (the collection grew meanwhile), or
    without `totalPages`, one after the other. `all_requested` is called once the last page
    page 0 announced has been asked for (another listing may start then).
    """
    seen: set[tuple[Any, ...]] = set()
    page = first if first is not None else fetch(0)
    _guard_against_repeats(page, 0, seen)
    if is_last_page(page, 0):
        all_requested()
        yield page
        return
    yield page
    announced = page.total_pages or 0
    pool = ThreadPoolExecutor(max_workers=max(1, in_flight), thread_name_prefix="lexoffice-page")
    try:
        ahead: deque[Future[Page[ItemT]]] = deque()
        number, requested = 1, 1
        while True:
            while requested < announced and len(ahead) < in_flight:
                ahead.append(pool.submit(fetch, requested))
                requested += 1
            if requested >= announced:
                all_requested()
            if ahead:
                page = ahead.popleft().result()
            else:
                page, requested = fetch(number), requested + 1
            _guard_against_repeats(page, number, seen)
            yield page
            if is_last_page(page, number):
                return
            number += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class Listing(Generic[ItemT]):
    """Every item of every page, fetched lazily; unreadable records land in `rejected`.

    A record lexoffice sends in a shape the model does not accept (see `Page`) must not stop
    the whole listing: the caller reads `rejected` after iterating and reports each one.
    """

    def __init__(
        self, fetch: Callable[[int], Page[ItemT]], first: Page[ItemT] | None = None
    ) -> None:
        self.rejected: list[RejectedItem] = []
        self._all_requested: list[threading.Event] = []
        self._items = self._generate(fetch, first)

    def signal_when_all_requested(self, event: threading.Event) -> None:
        """Set `event` once every page is asked for (or the listing ended, even by an error):
        a next listing can start while this one's last answers are on their way."""
        self._all_requested.append(event)

    def __iter__(self) -> Listing[ItemT]:
        return self

    def __next__(self) -> ItemT:
        return next(self._items)

    def _generate(
        self, fetch: Callable[[int], Page[ItemT]], first: Page[ItemT] | None
    ) -> Iterator[ItemT]:
        try:
            for page in iter_pages(fetch, first, all_requested=self._signal_all_requested):
                self.rejected += page.rejected
                yield from page.content
        finally:
            self._signal_all_requested()

    def _signal_all_requested(self) -> None:
        for event in self._all_requested:
            event.set()


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
