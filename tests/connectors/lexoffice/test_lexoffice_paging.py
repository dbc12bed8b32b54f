"""The page generator's stop rules and repeat guard, without I/O."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from connectors.lexoffice.models import ActionResult, Page
from connectors.lexoffice.paging import RepeatedPageError, iter_items, iter_pages

Fetch = Callable[[int], Page[ActionResult]]


def pages_of(ids: list[str], size: int, *, flags: bool = True) -> Fetch:
    """A fetch function over an in-memory list, with or without `last`/`totalPages`."""
    total_pages = max(1, -(-len(ids) // size))

    def fetch(number: int) -> Page[ActionResult]:
        chunk = ids[number * size : (number + 1) * size]
        return Page[ActionResult](
            content=[ActionResult(id=item) for item in chunk],
            number=number,
            last=number + 1 >= total_pages if flags else None,
            total_pages=total_pages if flags else None,
        )

    return fetch


def test_stops_on_last_page() -> None:
    ids = [str(n) for n in range(7)]
    assert [item.id for item in iter_items(pages_of(ids, 3))] == ids


def test_without_flags_stops_on_an_empty_page() -> None:
    ids = [str(n) for n in range(6)]
    assert [item.id for item in iter_items(pages_of(ids, 3, flags=False))] == ids


def test_total_pages_stops_when_last_is_missing() -> None:
    def fetch(number: int) -> Page[ActionResult]:
        return Page[ActionResult](content=[ActionResult(id=str(number))], total_pages=2)

    assert [page.content[0].id for page in iter_pages(fetch)] == ["0", "1"]


def test_a_server_that_ignores_the_page_parameter_is_caught() -> None:
    def always_first(number: int) -> Page[ActionResult]:
        return Page[ActionResult](content=[ActionResult(id="a")], last=False)

    with pytest.raises(RepeatedPageError, match="repeats"):
        list(iter_pages(always_first))


def test_a_page_with_the_wrong_number_is_caught() -> None:
    def wrong_number(number: int) -> Page[ActionResult]:
        return Page[ActionResult](content=[ActionResult(id=str(number))], number=0, last=False)

    with pytest.raises(RepeatedPageError, match="asked for page 1"):
        list(iter_pages(wrong_number))
