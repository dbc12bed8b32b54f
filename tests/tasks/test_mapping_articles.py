"""lexoffice articles ⇄ canonical products (Materiallager) and activities (Tätigkeiten)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tasks.mapping.articles import (
    apply_activity_to_article,
    apply_product_to_article,
    article_to_activity,
    article_to_product,
)
from tasks.mapping.remote import NotSynced, RemoteRecord


def article(**parts: Any) -> dict[str, Any]:
    """A lexoffice article as GET returns it; `parts` replace top-level keys."""
    body: dict[str, Any] = {
        "id": "eb46d328-e1dd-11ee-8444-2fadfc2b1ef5",
        "organizationId": "aa93e8a8-2aa3-470b-b914-caad8a255dd8",
        "createdDate": "2024-03-15T09:30:00.000+01:00",
        "updatedDate": "2024-03-15T09:30:00.000+01:00",
        "archived": False,
        "title": "Schraube 4x40 ",
        "description": "verzinkt",
        "type": "PRODUCT",
        "articleNumber": "S-440",
        "gtin": "4006381333931",
        "note": "Lieferant Würth",
        "unitName": "Stück",
        "price": {"netPrice": 0.1, "grossPrice": 0.12, "leadingPrice": "NET", "taxRate": 19},
        "version": 2,
    }
    return body | parts


def test_product_article_reads_with_decimal_price():
    result = article_to_product(article())

    assert isinstance(result, RemoteRecord)
    product = result.record
    assert (product.name, product.article_number, product.ean, product.unit) == (
        "Schraube 4x40",
        "S-440",
        "4006381333931",
        "Stück",
    )
    assert product.net_price == Decimal("0.1000") and str(product.net_price) == "0.1000"
    assert product.tax_rate == Decimal("19")
    assert (result.version, result.writable) == (2, True)


def test_article_of_the_other_type_is_not_synced():
    assert isinstance(article_to_product(article(type="SERVICE")), NotSynced)
    assert isinstance(article_to_activity(article(type="PRODUCT")), NotSynced)


def test_service_article_reads_as_activity_with_its_default_price():
    result = article_to_activity(
        article(
            type="SERVICE",
            title="Montage",
            unitName="Stunde",
            price={"netPrice": 45, "leadingPrice": "NET", "taxRate": 19},
        )
    )

    assert isinstance(result, RemoteRecord)
    assert (result.record.name, result.record.unit, result.record.net_price) == (
        "Montage",
        "Stunde",
        Decimal("45.0000"),
    )


def test_new_product_body_is_net_led_and_typed():
    body = apply_product_to_article(
        None,
        {
            "name": "Kabel",
            "unit": "m",
            "net_price": Decimal("1.5"),
            "tax_rate": Decimal("19"),
            "ean": None,
        },
    )

    assert body == {
        "version": 0,
        "type": "PRODUCT",
        "title": "Kabel",
        "unitName": "m",
        "price": {
            "leadingPrice": "NET",
            "netPrice": Decimal("1.5000"),
            "taxRate": Decimal("19.00"),
        },
    }


def test_product_update_keeps_note_and_drops_read_only_fields():
    body = apply_product_to_article(article(), {"description": "feuerverzinkt"})

    assert body["note"] == "Lieferant Würth"
    assert body["description"] == "feuerverzinkt"
    assert body["version"] == 2
    assert body["price"] == article()["price"]  # untouched when no price field changes
    assert not {"id", "organizationId", "archived", "createdDate", "updatedDate"} & set(body)


def test_price_change_on_a_gross_led_article_switches_to_net():
    current = article(
        price={"netPrice": 10.0, "grossPrice": 11.9, "leadingPrice": "GROSS", "taxRate": 19}
    )

    body = apply_product_to_article(current, {"net_price": Decimal("12")})

    assert body["price"] == {
        "leadingPrice": "NET",
        "netPrice": Decimal("12.0000"),
        "taxRate": Decimal("19.00"),
    }


def test_new_activity_without_a_price_is_created_at_zero():
    body = apply_activity_to_article(
        None, {"name": "Anfahrt", "unit": None, "tax_rate": Decimal("19")}
    )

    assert body["type"] == "SERVICE"
    assert body["unitName"] == "Stunde"
    assert body["price"]["netPrice"] == Decimal("0")


def test_activity_update_without_price_field_keeps_lexoffice_price():
    current = article(type="SERVICE", price={"netPrice": 45, "leadingPrice": "NET", "taxRate": 19})

    body = apply_activity_to_article(current, {"name": "Montage groß"})

    assert body["price"] == {"netPrice": 45, "leadingPrice": "NET", "taxRate": 19}


def test_written_product_reads_back_unchanged():
    values = article_to_product(article()).record.values()  # type: ignore[union-attr]

    written = apply_product_to_article(article(), values) | {"id": "x"}

    assert article_to_product(written).record.values() == values  # type: ignore[union-attr]
