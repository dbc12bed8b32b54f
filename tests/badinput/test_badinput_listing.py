"""Listings with records in shapes the sandbox cannot produce (served by httpx.MockTransport):
each unreadable record is set aside with its id and field, the listing goes on to the end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from pydantic import SecretStr

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.settings import LexofficeSettings
from tasks.sync.entities import ADAPTERS
from tasks.sync.extract import read_lexoffice_side

PRICE = {"leadingPrice": "NET", "netPrice": 10, "grossPrice": 11.9, "taxRate": 19}


def article(article_id: str | None, **changes: Any) -> dict[str, Any]:
    record = {"id": article_id, "title": f"Artikel {article_id}", "type": "PRODUCT"}
    return record | {"unitName": "Stück", "price": PRICE, "version": 1} | changes


# key → (record as lexoffice sends it, the field the report must name)
MALFORMED: dict[str, tuple[Any, str]] = {
    "price_is_text": (article("a-text", price=PRICE | {"netPrice": "zehn Euro"}), "price.netPrice"),
    "rate_is_list": (article("a-nan", price=PRICE | {"taxRate": [19]}), "price.taxRate"),
    "version_not_int": (article("a-ver", version="eins"), "version"),
    "archived_not_bool": (article("a-arch", archived="vielleicht"), "archived"),
    "no_id": (article(None), "id"),
    "not_an_object": ("junk", "(record)"),
}
GOOD = [article(f"good-{n}") for n in range(3)]


def pages(*contents: list[Any]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "0"))
        last = number == len(contents) - 1
        body = {"content": contents[number], "number": number, "last": last}
        return httpx.Response(200, json=body | {"totalPages": len(contents)})

    return handler


def client_for(handler: Callable[[httpx.Request], httpx.Response], tmp: Path) -> LexofficeClient:
    settings = LexofficeSettings(
        api_key=SecretStr("listing-key"), base_url="https://lexoffice.test", pacing_dir=tmp,
        rate_per_second=1000.0, max_attempts=1,
    )  # fmt: skip
    return LexofficeClient(settings, httpx.Client(transport=httpx.MockTransport(handler)))


def test_unreadable_articles_are_set_aside_and_the_listing_reaches_its_end(
    tmp_path: Path,
) -> None:
    malformed = [record for record, _ in MALFORMED.values()]
    client = client_for(pages([GOOD[0], *malformed], GOOD[1:]), tmp_path)

    side = read_lexoffice_side(client, ADAPTERS["products"])

    assert sorted(side.remote["lexoffice_id"]) == ["good-0", "good-1", "good-2"]
    reported = {(u.lexoffice_id, u.field) for u in side.unreadable}
    expected = {
        (record.get("id") if isinstance(record, dict) else None, field)
        for record, field in MALFORMED.values()
    }
    assert reported == expected
    assert all("nicht lesen kann" in u.reason for u in side.unreadable)


def test_a_page_that_is_itself_malformed_stops_the_listing_loudly(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"content": "not a list", "last": True})

    client = client_for(handler, tmp_path)

    with pytest.raises(pydantic.ValidationError):
        list(client.iter_articles(article_type="PRODUCT"))


def test_a_page_of_only_unreadable_records_does_not_end_the_listing(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        content = [["junk"], [GOOD[0]], []][number]
        return httpx.Response(200, json={"content": content, "number": number})

    listing = client_for(handler, tmp_path).iter_articles()

    assert [item.id for item in listing] == ["good-0"]
    assert [item.field for item in listing.rejected] == ["(record)"]
