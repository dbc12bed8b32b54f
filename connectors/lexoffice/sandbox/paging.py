"""lexoffice's page envelope and page parameters (0-based `page`, `size` 25 … 250)."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request

from .errors import ApiError

DEFAULT_SIZE = 25
MAX_SIZE = 250
# Paged searches reach at most 10,000 entries; totalElements never reports more.
WINDOW = 10_000
WINDOW_MESSAGE = "Maximum search window size exceeded"


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def page_params(request: Request) -> tuple[int, int]:
    """`page` and `size` as Spring Data reads them: bad values fall back, sizes clamp at 250."""
    page = _int(request.query_params.get("page"))
    size = _int(request.query_params.get("size"))
    page = page if page is not None and page >= 0 else 0
    if size is None or size < 1:
        size = DEFAULT_SIZE
    return page, min(size, MAX_SIZE)


def sort_entry(prop: str, direction: str = "ASC") -> dict[str, Any]:
    """One element of the envelope's `sort` list."""
    return {
        "direction": direction,
        "property": prop,
        "ignoreCase": False,
        "nullHandling": "NATIVE",
        "ascending": direction == "ASC",
    }


def page_of(
    items: list[Any], page: int, size: int, sort: list[dict[str, Any]], windowed: bool = False
) -> dict[str, Any]:
    """The envelope for one page of an already filtered and sorted list.

    With `windowed` (the voucherlist), pages beyond the 10,000-entry window are refused and
    the paging fields describe only the reachable window. Otherwise every page stays
    reachable and only `totalElements` is capped.
    """
    if windowed and page * size + size > WINDOW:
        raise ApiError(400, message=WINDOW_MESSAGE)
    total = min(len(items), WINDOW) if windowed else len(items)
    total_pages = math.ceil(total / size)
    content = items[page * size : page * size + size] if page * size < total else []
    return {
        "content": content,
        "first": page == 0,
        "last": page >= total_pages - 1,
        "totalPages": total_pages,
        "totalElements": min(len(items), WINDOW),
        "numberOfElements": len(content),
        "size": size,
        "number": page,
        "sort": sort,
    }
