"""Model rules: read tolerantly, write no read-only fields, money as exact JSON numbers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError as PydanticValidationError

from connectors.lexoffice.models import (
    Article,
    ArticlePrice,
    Contact,
    Invoice,
    LineItem,
    Page,
    TaxConditions,
    UnitPrice,
    VoucherAddress,
    decimal_to_json_number,
)

READ_CONTACT = {
    "id": "be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9",
    "organizationId": "aa93e8a8-2aa3-470b-b914-caad8a255dd8",
    "version": 4,
    "roles": {"customer": {"number": 10307}, "vendor": {"number": 70303}},
    "company": {"name": "Testfirma", "contactPersons": [{"lastName": "Mustermann", "x": 1}]},
    "addresses": {"billing": [{"street": "Musterstr. 1", "countryCode": "DE", "geo": "52,13"}]},
    "note": "Notiz",
    "archived": False,
    "someFutureField": {"kept": True},
}


def test_contact_read_then_write_drops_read_only_fields_and_keeps_unknown_ones() -> None:
    body = Contact.model_validate(READ_CONTACT).to_write_json()
    assert "id" not in body and "organizationId" not in body and "archived" not in body
    assert body["roles"] == {"customer": {}, "vendor": {}}
    assert body["version"] == 4
    assert body["someFutureField"] == {"kept": True}
    assert body["addresses"]["billing"][0]["geo"] == "52,13"
    assert body["company"]["contactPersons"][0]["x"] == 1


def test_contact_round_trip_keeps_every_writable_field_unchanged() -> None:
    body = Contact.model_validate(READ_CONTACT).to_write_json()
    read_only = {"id", "organizationId", "archived", "roles"}
    assert {k: v for k, v in READ_CONTACT.items() if k not in read_only} == {
        k: v for k, v in body.items() if k not in read_only
    }


def test_article_write_sends_only_the_leading_price_and_no_dates() -> None:
    article = Article.model_validate(
        {
            "id": "a1",
            "createdDate": "2024-01-01T10:00:00.000+01:00",
            "title": "Arbeitsstunde",
            "type": "SERVICE",
            "unitName": "Stunde",
            "price": {"netPrice": 60, "grossPrice": 71.4, "leadingPrice": "NET", "taxRate": 19},
            "version": 2,
        }
    )
    body = article.to_write_json()
    assert body["price"] == {"netPrice": 60, "leadingPrice": "NET", "taxRate": 19}
    assert "createdDate" not in body and "id" not in body and body["version"] == 2


def test_article_money_is_decimal_when_read() -> None:
    article = Article.model_validate_json('{"price": {"netPrice": 0.1, "taxRate": 19}}')
    assert article.price == ArticlePrice(net_price=Decimal("0.1"), tax_rate=Decimal("19"))


def _invoice() -> Invoice:
    return Invoice(
        voucher_date=datetime(2025, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=1))),
        address=VoucherAddress(name="Max Mustermann", country_code="DE"),
        line_items=[
            LineItem(
                type="custom",
                name="Arbeitszeit",
                quantity=Decimal("1.5"),
                unit_name="Stunde",
                unit_price=UnitPrice(
                    net_amount=Decimal("49.9975"), tax_rate_percentage=Decimal("19")
                ),
                line_item_amount=Decimal("74.99"),
            )
        ],
        tax_conditions=TaxConditions(tax_type="net"),
        voucher_number="RE0001",
        voucher_status="open",
    )


def test_invoice_write_has_exact_numbers_and_lexoffice_datetimes() -> None:
    text = json.dumps(_invoice().to_write_json())
    assert '"netAmount": 49.9975' in text and '"quantity": 1.5' in text
    assert '"taxRatePercentage": 19' in text
    assert '"voucherDate": "2025-03-01T08:00:00.000+01:00"' in text


def test_invoice_write_never_sends_read_only_fields() -> None:
    body = _invoice().to_write_json()
    assert "voucherNumber" not in body and "voucherStatus" not in body
    assert "lineItemAmount" not in body["lineItems"][0]
    assert body["totalPrice"] == {"currency": "EUR"}


def test_invoice_read_keeps_totals_and_ignores_unknown_fields() -> None:
    invoice = Invoice.model_validate(
        {
            **_invoice().to_write_json(),
            "totalPrice": {"currency": "EUR", "totalNetAmount": 74.99, "totalGrossAmount": 89.24},
            "taxAmounts": [{"taxRatePercentage": 19, "taxAmount": 14.25, "netAmount": 74.99}],
            "brandNewField": 1,
        }
    )
    assert invoice.total_price.total_gross_amount == Decimal("89.24")
    assert invoice.tax_amounts and invoice.tax_amounts[0].tax_amount == Decimal("14.25")


def test_naive_voucher_dates_are_refused() -> None:
    with pytest.raises(PydanticValidationError):
        Invoice(
            voucher_date=datetime(2025, 3, 1),
            address=VoucherAddress(name="x", country_code="DE"),
            tax_conditions=TaxConditions(tax_type="net"),
        )


def test_decimal_to_json_number_is_exact_or_refuses() -> None:
    assert decimal_to_json_number(Decimal("19.00")) == 19
    assert decimal_to_json_number(Decimal("0.1")) == 0.1
    with pytest.raises(ValueError):
        decimal_to_json_number(Decimal("0.12345678901234567890"))


def test_pages_parse_generic_content() -> None:
    page = Page[Contact].model_validate(
        {"content": [READ_CONTACT], "last": True, "totalPages": 1, "totalElements": 1}
    )
    assert page.last is True and page.content[0].company is not None
