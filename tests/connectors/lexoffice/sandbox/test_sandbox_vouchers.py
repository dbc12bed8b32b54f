"""Invoices, order confirmations, delivery notes: validation, totals, numbers, read-only fields."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.lexoffice.sandbox import SandboxServer
from tests.support.sandbox import DATE, article, company, details, invoice, line

NO_ID = "00000000-0000-0000-0000-000000000000"


def create(api: httpx.Client, path: str, body: dict[str, Any], **params: str) -> dict[str, Any]:
    response = api.post(path, json=body, params=params)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == response.json()["resourceUri"]
    stored: dict[str, Any] = api.get(f"{path}/{response.json()['id']}").json()
    return stored


def test_totals_follow_the_docs_sample(api: httpx.Client) -> None:
    lines = [
        line(13.40, quantity=2, rate=19, discountPercentage=50),
        line(1.04, quantity=8, rate=7),
        line(5.00, quantity=1, rate=0),
        {"type": "text", "name": "Hinweis", "description": "Danke"},
    ]
    stored = create(api, "/v1/invoices", invoice(lineItems=lines))
    assert [item.get("lineItemAmount") for item in stored["lineItems"]] == [13.4, 8.32, 5.0, None]
    assert stored["lineItems"][0]["unitPrice"]["grossAmount"] == 15.946
    taxes = {t["taxRatePercentage"]: (t["netAmount"], t["taxAmount"]) for t in stored["taxAmounts"]}
    assert taxes == {19: (13.4, 2.55), 7: (8.32, 0.58), 0: (5.0, 0.0)}
    total = stored["totalPrice"]
    assert (total["totalNetAmount"], total["totalTaxAmount"], total["totalGrossAmount"]) == (
        26.72,
        3.13,
        29.85,
    )


def test_tax_is_rounded_per_rate_on_summed_net_amounts(api: httpx.Client) -> None:
    stored = create(api, "/v1/invoices", invoice(lineItems=[line(0.125, rate=19)] * 3))
    assert stored["taxAmounts"] == [{"taxRatePercentage": 19, "taxAmount": 0.07, "netAmount": 0.39}]


def test_gross_invoices_derive_net_from_gross(api: httpx.Client) -> None:
    gross_line = line()
    gross_line["unitPrice"] = {"currency": "EUR", "grossAmount": 11.90, "taxRatePercentage": 19}
    body = invoice(lineItems=[gross_line], taxConditions={"taxType": "gross"})
    total = create(api, "/v1/invoices", body)["totalPrice"]
    assert (total["totalGrossAmount"], total["totalNetAmount"], total["totalTaxAmount"]) == (
        11.9,
        10.0,
        1.9,
    )


def test_total_discounts_are_applied(api: httpx.Client) -> None:
    percent = invoice(totalPrice={"currency": "EUR", "totalDiscountPercentage": 10})
    total = create(api, "/v1/invoices", {**percent, "lineItems": [line(100.0)]})["totalPrice"]
    assert (total["totalNetAmount"], total["totalGrossAmount"]) == (90.0, 107.1)
    absolute = invoice(totalPrice={"currency": "EUR", "totalDiscountAbsolute": 15})
    total = create(api, "/v1/invoices", {**absolute, "lineItems": [line(100.0)]})["totalPrice"]
    assert (total["totalNetAmount"], total["totalDiscountAbsolute"]) == (85.0, 15.0)


def test_a_total_percentage_reduces_each_tax_group_as_lexoffice_showed(api: httpx.Client) -> None:
    """Issue 15: 3 % on one 19 % position of 100.50 showed net 97.49, gross 116.01 in
    lexoffice (the group rounded after the discount, not the discount rounded first)."""
    percent = invoice(totalPrice={"currency": "EUR", "totalDiscountPercentage": 3})
    total = create(api, "/v1/invoices", {**percent, "lineItems": [line(100.50)]})["totalPrice"]
    assert (total["totalNetAmount"], total["totalGrossAmount"]) == (97.49, 116.01)


def test_finalize_assigns_numbers_drafts_have_none(api: httpx.Client) -> None:
    draft = create(api, "/v1/invoices", invoice())
    first = create(api, "/v1/invoices", invoice(), finalize="true")
    second = create(api, "/v1/invoices", invoice(), finalize="true")
    assert (draft["voucherStatus"], "voucherNumber" in draft) == ("draft", False)
    assert (first["voucherStatus"], first["voucherNumber"]) == ("open", "RE0001")
    assert second["voucherNumber"] == "RE0002"
    assert first["dueDate"] == "2026-03-16T10:00:00.000+01:00"
    confirmation = create(api, "/v1/order-confirmations", invoice(), finalize="true")
    note_body = {**invoice(), "lineItems": [{**line(), "unitPrice": None}]}
    note = create(api, "/v1/delivery-notes", note_body, finalize="true")
    assert (confirmation["voucherNumber"], note["voucherNumber"]) == ("AB0001", "LS0001")
    assert "totalPrice" not in note and "unitPrice" not in note["lineItems"][0]


def test_read_only_fields_are_ignored(api: httpx.Client) -> None:
    body = invoice(
        voucherStatus="paid",
        voucherNumber="RE9999",
        version=7,
        taxAmounts=[{"taxRatePercentage": 19, "taxAmount": 99}],
        lineItems=[line(10.0, lineItemAmount=1234)],
    )
    stored = create(api, "/v1/invoices", body)
    assert (stored["voucherStatus"], stored.get("voucherNumber")) == ("draft", None)
    assert stored["taxAmounts"][0]["taxAmount"] == 1.9
    assert stored["lineItems"][0]["lineItemAmount"] == 10.0


def test_invoices_cannot_be_changed_deleted_or_listed(api: httpx.Client) -> None:
    stored = create(api, "/v1/invoices", invoice())
    assert api.put(f"/v1/invoices/{stored['id']}", json=invoice()).status_code == 405
    assert api.delete(f"/v1/invoices/{stored['id']}").status_code == 405
    assert api.get("/v1/invoices").status_code == 405
    assert api.get("/v1/invoices/00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.parametrize(
    "date", ["2026-03-02T10:00:00+01:00", "2026-03-02T10:00:00.000000+01:00", "2026-03-02",
             "2026-03-02T10:00:00.000+0100", "2026-03-02 10:00:00.000Z"],
)  # fmt: skip
def test_voucher_date_must_use_the_exact_format(api: httpx.Client, date: str) -> None:
    assert ("PATTERN", "voucherDate") in details(
        api.post("/v1/invoices", json=invoice(voucherDate=date))
    )


def test_voucher_date_with_z_is_accepted(api: httpx.Client) -> None:
    create(api, "/v1/invoices", invoice(voucherDate="2026-03-02T09:00:00.000Z"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"address": None}, "address"),
        ({"address": {"countryCode": "DE"}}, "address.name"),
        ({"address": {"name": "X"}}, "address.countryCode"),
        ({"address": {"name": "X", "countryCode": "XX"}}, "address.countryCode"),
        ({"address": {"contactId": "00000000-0000-0000-0000-000000000000"}}, "address.contactId"),
        ({"lineItems": []}, "lineItems"),
        ({"lineItems": [line()] * 301}, "lineItems"),
        ({"lineItems": [line(10.12345)]}, "lineItems[0].unitPrice.netAmount"),
        ({"lineItems": [line(quantity=1.23456)]}, "lineItems[0].quantity"),
        ({"lineItems": [line(rate=16)]}, "lineItems[0].unitPrice.taxRatePercentage"),
        ({"lineItems": [{**line(), "unitPrice": {"currency": "EUR", "netAmount": 1}}]},
         "lineItems[0].unitPrice.taxRatePercentage"),
        ({"lineItems": [{**line(), "unitName": None}]}, "lineItems[0].unitName"),
        ({"lineItems": [{**line(), "quantity": None}]}, "lineItems[0].quantity"),
        ({"lineItems": [{**line(), "name": "n" * 256}]}, "lineItems[0].name"),
        ({"lineItems": [{**line(), "description": "d" * 2001}]}, "lineItems[0].description"),
        ({"lineItems": [{**line(), "type": "material"}]}, "lineItems[0].id"),
        ({"lineItems": [{**line(), "type": "service", "id": NO_ID}]}, "lineItems[0].id"),
        ({"lineItems": [{**line(), "type": "voucher"}]}, "lineItems[0].type"),
        ({"lineItems": [line(discountPercentage=12.345)]}, "lineItems[0].discountPercentage"),
        ({"title": "t" * 26}, "title"),
        ({"introduction": "i" * 2001}, "introduction"),
        ({"remark": "r" * 2001}, "remark"),
        ({"taxConditions": {"taxType": "reduced"}}, "taxConditions.taxType"),
        ({"taxConditions": None}, "taxConditions.taxType"),
        ({"taxConditions": {"taxType": "constructionService13b"}}, "taxConditions.taxType"),
        ({"taxConditions": {"taxType": "vatfree"}}, "lineItems[0].unitPrice.taxRatePercentage"),
        ({"totalPrice": {"currency": "USD"}}, "totalPrice.currency"),
        ({"shippingConditions": None}, "shippingConditions.shippingType"),
        ({"shippingConditions": {"shippingType": "delivery"}}, "shippingConditions.shippingDate"),
        ({"shippingConditions": {"shippingType": "serviceperiod", "shippingDate": DATE}},
         "shippingConditions.shippingEndDate"),
        ({"shippingConditions": {"shippingType": "serviceperiod", "shippingDate": DATE,
                                 "shippingEndDate": "2026-03-01T10:00:00.000+01:00"}},
         "shippingConditions.shippingEndDate"),
    ],
)  # fmt: skip
def test_invalid_invoices_are_406_in_regular_format(
    api: httpx.Client, change: dict[str, Any], field: str
) -> None:
    response = api.post("/v1/invoices", json={**invoice(), **change})
    assert field in {f for _, f in details(response)}
    assert response.json()["message"]


def test_vatfree_types_need_rate_zero_and_work_with_it(api: httpx.Client) -> None:
    body = invoice(lineItems=[line(rate=0)], taxConditions={"taxType": "vatfree"})
    assert create(api, "/v1/invoices", body)["totalPrice"]["totalTaxAmount"] == 0.0


def test_contact_address_needs_the_customer_role(api: httpx.Client) -> None:
    vendor = api.post("/v1/contacts", json={**company(), "roles": {"vendor": {}}}).json()
    response = api.post("/v1/invoices", json=invoice(address={"contactId": vendor["id"]}))
    assert ("INVALID", "address.contactId") in details(response)


def test_contact_address_is_filled_from_the_contact(api: httpx.Client) -> None:
    billing = {"street": "Hauptstr. 5", "zip": "12345", "city": "Musterort", "countryCode": "DE"}
    body = {**company("Kunde GmbH"), "addresses": {"billing": [billing]}}
    contact = api.post("/v1/contacts", json=body).json()
    address = {"contactId": contact["id"], "supplement": "Hinterhaus"}
    stored = create(api, "/v1/invoices", invoice(address=address))
    assert stored["address"] == {"contactId": contact["id"], "name": "Kunde GmbH", **billing,
                                 "supplement": "Hinterhaus"}  # fmt: skip


def test_material_lines_reference_articles(api: httpx.Client) -> None:
    article_id = api.post("/v1/articles", json=article()).json()["id"]
    material = {**line(), "type": "material", "id": article_id}
    stored = create(api, "/v1/invoices", invoice(lineItems=[material]))
    assert stored["lineItems"][0]["id"] == article_id


def test_historic_2020_rates_depend_on_the_relevant_date(api: httpx.Client) -> None:
    date = "2020-08-03T10:00:00.000+02:00"
    shipping = {"shippingType": "service", "shippingDate": date}
    body = invoice(voucherDate=date, shippingConditions=shipping, lineItems=[line(rate=16)])
    create(api, "/v1/invoices", body)
    old = {**body, "lineItems": [line(rate=19)]}
    assert "lineItems[0].unitPrice.taxRatePercentage" in {f for _, f in details(
        api.post("/v1/invoices", json=old))}  # fmt: skip


def test_small_business_may_only_write_vatfree(sandbox: SandboxServer) -> None:
    spec = {"companyName": "Klein", "smallBusiness": True, "taxType": "vatfree"}
    key = sandbox.control.post("/organizations", json=spec).json()["apiKey"]
    with sandbox.client(api_key=key) as api:
        assert ("INVALID", "taxConditions.taxType") in details(
            api.post("/v1/invoices", json=invoice())
        )


def test_pursued_invoice_links_the_finalized_order_confirmation(api: httpx.Client) -> None:
    draft = create(api, "/v1/order-confirmations", invoice())
    response = api.post(
        "/v1/invoices", json=invoice(), params={"precedingSalesVoucherId": draft["id"]}
    )
    assert ("INVALID", "precedingSalesVoucherId") in details(response)
    confirmation = create(api, "/v1/order-confirmations", invoice(), finalize="true")
    pursued = create(api, "/v1/invoices", invoice(), precedingSalesVoucherId=confirmation["id"])
    assert pursued["relatedVouchers"] == [
        {"id": confirmation["id"], "voucherNumber": "AB0001", "voucherType": "orderconfirmation"}
    ]


def test_file_download_needs_a_finalized_voucher(api: httpx.Client) -> None:
    draft = create(api, "/v1/invoices", invoice())
    final = create(api, "/v1/invoices", invoice(), finalize="true")
    assert api.get(f"/v1/invoices/{draft['id']}/file").status_code == 409
    pdf = api.get(f"/v1/invoices/{final['id']}/file", headers={"Accept": "application/pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        api.get(f"/v1/invoices/{final['id']}/file", headers={"Accept": "text/html"}).status_code
        == 406
    )
