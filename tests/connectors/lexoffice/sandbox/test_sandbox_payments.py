"""/v1/payments/{id} and the control API's booked payments: open amount, status, events."""

from __future__ import annotations

import json

import httpx

from connectors.lexoffice.sandbox import SandboxServer
from tests.support.sandbox import WebhookReceiver

INVOICE = {
    "voucherStatus": "open",
    "address": {"name": "Bar", "countryCode": "DE"},
    "lineItems": [{"type": "custom", "name": "X", "quantity": 1, "unitName": "h",
                   "unitPrice": {"netAmount": 100, "taxRatePercentage": 19}}],
}  # fmt: skip


def seed_invoice(sandbox: SandboxServer, **changes: object) -> str:
    [invoice_id] = sandbox.control.post("/seed/invoices", json=[INVOICE | changes]).json()["ids"]
    return str(invoice_id)


def test_payments_lower_the_open_amount_until_the_invoice_is_paid(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    invoice_id = seed_invoice(sandbox)
    assert api.get(f"/v1/payments/{invoice_id}").json()["openAmount"] == 119.0

    sandbox.control.post(f"/payments/{invoice_id}", json={"amount": 19}).raise_for_status()
    part = api.get(f"/v1/payments/{invoice_id}").json()
    assert (part["openAmount"], part["voucherStatus"], part["paidDate"]) == (100.0, "open", None)
    listed = api.get("/v1/voucherlist", params={"voucherType": "invoice", "voucherStatus": "any"})
    assert listed.json()["content"][0]["openAmount"] == 100.0

    sandbox.control.post(f"/payments/{invoice_id}", json={"amount": 100}).raise_for_status()
    paid = api.get(f"/v1/payments/{invoice_id}").json()
    assert (paid["openAmount"], paid["voucherStatus"], paid["paymentStatus"]) == (
        0.0,
        "paid",
        "balanced",
    )
    assert paid["paidDate"] and len(paid["paymentItems"]) == 2
    assert api.get(f"/v1/invoices/{invoice_id}").json()["voucherStatus"] == "paid"


def test_payments_of_a_draft_are_refused(sandbox: SandboxServer, api: httpx.Client) -> None:
    draft = seed_invoice(sandbox, voucherStatus="draft")
    assert api.get(f"/v1/payments/{draft}").status_code == 406
    assert sandbox.control.post(f"/payments/{draft}", json={"amount": 1}).status_code == 400


def test_a_payment_fires_payment_changed_and_the_last_one_status_changed(
    sandbox: SandboxServer, api: httpx.Client, receiver: WebhookReceiver
) -> None:
    for event in ("payment.changed", "invoice.status.changed"):
        body = {"eventType": event, "callbackUrl": receiver.url}
        api.post("/v1/event-subscriptions", json=body).raise_for_status()
    invoice_id = seed_invoice(sandbox)

    sandbox.control.post(f"/payments/{invoice_id}", json={"amount": 119}).raise_for_status()

    deliveries = receiver.wait_for(2)
    events = sorted(json.loads(d["body"])["eventType"] for d in deliveries)
    assert events == ["invoice.status.changed", "payment.changed"]
    assert {json.loads(d["body"])["resourceId"] for d in deliveries} == {invoice_id}
