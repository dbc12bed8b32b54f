"""Articles, sales vouchers, the voucherlist, event subscriptions and the profile (sandbox)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import NotFoundError, ValidationError, VersionConflictError
from connectors.lexoffice.models import (
    Article,
    ArticlePrice,
    DeliveryNote,
    Invoice,
    LineItem,
    OrderConfirmation,
    ShippingConditions,
    TaxConditions,
    UnitPrice,
    VoucherAddress,
)
from connectors.lexoffice.voucherlist import VoucherlistQuery

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def work_hours(hours: str = "2", tax_rate: str | None = "19") -> LineItem:
    price = UnitPrice(
        net_amount=Decimal("55.50"),
        tax_rate_percentage=Decimal(tax_rate) if tax_rate is not None else None,
    )
    return LineItem(
        type="custom", name="Arbeitszeit", quantity=Decimal(hours), unit_name="Stunde",
        unit_price=price,
    )  # fmt: skip


def voucher_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "voucher_date": NOW,
        "address": VoucherAddress(name="Max Mustermann", country_code="DE"),
        "line_items": [work_hours()],
        "tax_conditions": TaxConditions(tax_type="net"),
        "shipping_conditions": ShippingConditions(shipping_type="service", shipping_date=NOW),
    }
    return fields | overrides


def hourly_article(number: str = "STD-1") -> Article:
    price = ArticlePrice(net_price=Decimal("55.5"), leading_price="NET", tax_rate=Decimal("19"))
    return Article(
        title="Arbeitsstunde", type="SERVICE", unit_name="Stunde", article_number=number,
        price=price,
    )  # fmt: skip


def test_article_lifecycle(lex_client: LexofficeClient) -> None:
    created = lex_client.create_article(hourly_article())
    article = lex_client.get_article(created.id)
    assert article.price is not None and article.price.gross_price == Decimal("66.05")
    article.title = "Arbeitsstunde Geselle"
    lex_client.update_article(article)
    assert [a.id for a in lex_client.iter_articles(article_number="STD-1")] == [created.id]
    assert list(lex_client.iter_articles(article_number="NOPE")) == []
    assert list(lex_client.iter_articles(article_type="PRODUCT")) == []
    lex_client.delete_article(created.id)
    with pytest.raises(NotFoundError):
        lex_client.get_article(created.id)


def test_deleting_a_missing_article_is_not_found(lex_client: LexofficeClient) -> None:
    with pytest.raises(NotFoundError):
        lex_client.delete_article("9b0c5d6a-0000-4000-8000-000000000000")


def test_invoices_are_created_as_drafts_or_finalized(lex_client: LexofficeClient) -> None:
    draft = lex_client.get_invoice(lex_client.create_invoice(Invoice(**voucher_fields())).id)
    final_id = lex_client.create_invoice(Invoice(**voucher_fields()), finalize=True).id
    final = lex_client.get_invoice(final_id)
    assert draft.voucher_status == "draft" and final.voucher_status == "open"
    assert final.total_price.total_net_amount == Decimal("111.00")
    assert final.total_price.total_gross_amount == Decimal("132.09")


def test_invalid_invoice_gives_readable_regular_details(lex_client: LexofficeClient) -> None:
    invoice = Invoice(**voucher_fields(line_items=[work_hours(tax_rate=None)]))
    with pytest.raises(ValidationError) as caught:
        lex_client.create_invoice(invoice)
    fields = [detail.field for detail in caught.value.details]
    assert "lineItems[0].unitPrice.taxRatePercentage" in fields
    assert caught.value.status == 406
    assert "lineItems[0].unitPrice.taxRatePercentage" in str(caught.value)


def test_order_confirmations_and_delivery_notes(lex_client: LexofficeClient) -> None:
    confirmation = OrderConfirmation(**voucher_fields(), delivery_terms="frei Baustelle")
    oc_id = lex_client.create_order_confirmation(confirmation, finalize=True).id
    assert lex_client.get_order_confirmation(oc_id).delivery_terms == "frei Baustelle"
    note = DeliveryNote(
        **voucher_fields(line_items=[work_hours().model_copy(update={"unit_price": None})])
    )
    dn_id = lex_client.create_delivery_note(note, preceding_id=oc_id).id
    delivery = lex_client.get_delivery_note(dn_id)
    assert delivery.voucher_status == "draft" and delivery.line_items[0].name == "Arbeitszeit"


def test_voucherlist_reads_all_pages_with_filters(
    lex_client: LexofficeClient, sandbox_requests: Any
) -> None:
    for _ in range(3):
        lex_client.create_invoice(Invoice(**voucher_fields()), finalize=True)
    lex_client.create_invoice(Invoice(**voucher_fields()))
    query = VoucherlistQuery(
        voucher_types=("invoice",), voucher_statuses=("open",), sort="voucherDate,DESC"
    )
    entries = list(lex_client.iter_voucherlist(query))
    assert len(entries) == 3
    assert {(e.voucher_type, e.voucher_status) for e in entries} == {("invoice", "open")}
    [request] = sandbox_requests("GET", "/v1/voucherlist")
    assert "voucherType=invoice" in request["query"] and "voucherStatus=open" in request["query"]


def test_voucherlist_pages_beyond_250(
    lex_client: LexofficeClient, seed: Any, sandbox_requests: Any
) -> None:
    invoice = Invoice(**voucher_fields()).to_write_json() | {"voucherStatus": "open"}
    seed("invoices", [invoice] * 260)
    entries = list(lex_client.iter_voucherlist(VoucherlistQuery(voucher_types=("invoice",))))
    assert len({entry.id for entry in entries}) == 260
    assert len(sandbox_requests("GET", "/v1/voucherlist")) == 2


class _Sink(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200)
        self.end_headers()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def webhook_url() -> Iterator[str]:
    """A local receiver that answers lexoffice's HEAD check (loopback http is allowed)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/lexoffice"
    server.shutdown()
    server.server_close()


def test_event_subscriptions_lifecycle(lex_client: LexofficeClient, webhook_url: str) -> None:
    url = webhook_url
    created = lex_client.create_event_subscription("contact.changed", url)
    assert [s.subscription_id for s in lex_client.list_event_subscriptions()] == [created.id]
    assert lex_client.get_event_subscription(created.id).callback_url == url
    with pytest.raises(VersionConflictError):
        lex_client.create_event_subscription("contact.changed", url)
    lex_client.delete_event_subscription(created.id)
    assert lex_client.list_event_subscriptions() == []


def test_profile_names_the_organization(lex_client: LexofficeClient) -> None:
    profile = lex_client.get_profile()
    assert profile.organization_id and profile.tax_type in {"net", "gross", "vatfree"}
