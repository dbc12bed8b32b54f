"""/v1/articles: price computation, tax rates, GTIN, versions, delete, filters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.sandbox import article, details


def create(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/v1/articles", json=body)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == response.json()["resourceUri"]
    stored: dict[str, Any] = api.get(f"/v1/articles/{response.json()['id']}").json()
    return stored


def test_net_leading_price_computes_gross(api: httpx.Client) -> None:
    price = {"netPrice": 61.90, "leadingPrice": "NET", "taxRate": 19, "grossPrice": 1.0}
    stored = create(api, article(price=price))
    assert stored["price"] == {
        "netPrice": 61.9,
        "grossPrice": 73.66,
        "leadingPrice": "NET",
        "taxRate": 19,
    }
    assert stored["version"] == 0
    assert stored["archived"] is False


def test_gross_leading_price_computes_net(api: httpx.Client) -> None:
    stored = create(
        api, article(price={"grossPrice": 10.70, "leadingPrice": "GROSS", "taxRate": 7})
    )
    assert (stored["price"]["netPrice"], stored["price"]["grossPrice"]) == (10.0, 10.7)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"type": None}, "type"),
        ({"type": "THING"}, "type"),
        ({"unitName": ""}, "unitName"),
        ({"price": None}, "price"),
        ({"price": {"leadingPrice": "NET", "taxRate": 19}}, "price.netPrice"),
        ({"price": {"leadingPrice": "GROSS", "taxRate": 19, "netPrice": 1}}, "price.grossPrice"),
        ({"price": {"netPrice": 1, "taxRate": 19}}, "price.leadingPrice"),
        ({"price": {"netPrice": 1, "leadingPrice": "NET", "taxRate": 16}}, "price.taxRate"),
        ({"gtin": "4006381333932"}, "gtin"),
        ({"gtin": "12345"}, "gtin"),
        ({"version": 1}, "version"),
    ],
)
def test_invalid_articles_are_406_in_regular_format(
    api: httpx.Client, change: dict[str, Any], field: str
) -> None:
    response = api.post("/v1/articles", json={**article(), **change})
    assert field in {f for _, f in details(response)}
    body = response.json()
    assert (body["status"], body["error"], body["path"]) == (406, "Not Acceptable", "/v1/articles")
    assert {"timestamp", "traceId", "message"} <= body.keys()


@pytest.mark.parametrize("gtin", ["96385074", "036000291452", "4006381333931", "14006381333938"])
def test_valid_gtins_are_accepted(api: httpx.Client, gtin: str) -> None:
    assert create(api, article(gtin=gtin))["gtin"] == gtin


def test_put_needs_current_version_and_ignores_read_only_fields(api: httpx.Client) -> None:
    stored = create(api, article("Alt"))
    changed = {**stored, "title": "Neu", "archived": True, "createdDate": "egal"}
    response = api.put(f"/v1/articles/{stored['id']}", json=changed)
    assert response.status_code == 200
    assert response.json()["version"] == 1
    current = api.get(f"/v1/articles/{stored['id']}").json()
    assert (current["title"], current["archived"], current["version"]) == ("Neu", False, 1)
    assert current["createdDate"] == stored["createdDate"]
    assert api.put(f"/v1/articles/{stored['id']}", json=changed).status_code == 409
    no_version = {k: v for k, v in current.items() if k != "version"}
    assert ("NOTNULL", "version") in details(
        api.put(f"/v1/articles/{stored['id']}", json=no_version)
    )


def test_delete_is_204_then_404(api: httpx.Client) -> None:
    stored = create(api, article())
    assert api.delete(f"/v1/articles/{stored['id']}").status_code == 204
    assert api.get(f"/v1/articles/{stored['id']}").status_code == 404
    assert api.delete(f"/v1/articles/{stored['id']}").status_code == 404


def test_list_filters_and_title_order(api: httpx.Client) -> None:
    create(api, article("Zange", articleNumber="A-1", gtin="4006381333931"))
    create(api, article("Bohrer", articleNumber="A-2"))
    create(api, article("Anfahrt", type="SERVICE", unitName="Pauschal"))
    titles = [a["title"] for a in api.get("/v1/articles").json()["content"]]
    assert titles == ["Anfahrt", "Bohrer", "Zange"]
    by_number = api.get("/v1/articles", params={"articleNumber": "A-2"}).json()["content"]
    assert [a["title"] for a in by_number] == ["Bohrer"]
    assert api.get("/v1/articles", params={"articleNumber": "A-9"}).json()["content"] == []
    by_gtin = api.get("/v1/articles", params={"gtin": "4006381333931"}).json()["content"]
    assert [a["title"] for a in by_gtin] == ["Zange"]
    services = api.get("/v1/articles", params={"type": "SERVICE"}).json()["content"]
    assert [a["title"] for a in services] == ["Anfahrt"]
    assert api.get("/v1/articles", params={"type": "GOODS"}).status_code == 400
