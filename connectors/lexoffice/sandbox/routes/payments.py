"""/v1/payments/{voucherId}: an invoice's payment state (GET only), and the control API's
`POST /_sandbox/payments/{invoiceId}` with which a test books a payment as the bank
reconciliation of lexoffice would (fires `payment.changed`, and `invoice.status.changed`
when the invoice is paid in full).

Payment items live in the organization's `payments` collection (invoice id → items). An open
invoice's open amount is its gross total less the payments; paid and voided ones owe 0.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import ApiError, bad_request, not_found
from ..store import OrgStore
from ..util import now_iso
from .common import org_of, runtime_of

OWING = ("open", "sepadebit")


def payment_items(org: OrgStore, invoice_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = org.collection("payments").get(invoice_id, {}).get("items", [])
    return items


def open_amount(org: OrgStore, record: dict[str, Any]) -> float | None:
    """What the invoice still owes: None for drafts, 0 unless open."""
    if record["voucherStatus"] == "draft":
        return None
    if record["voucherStatus"] not in OWING:
        return 0.0
    total = Decimal(str((record.get("totalPrice") or {}).get("totalGrossAmount", 0)))
    items = payment_items(org, record["id"])
    paid = sum((Decimal(str(item["amount"])) for item in items), Decimal())
    return float(max(total - paid, Decimal()))


def paid_date(org: OrgStore, record: dict[str, Any]) -> str | None:
    if record["voucherStatus"] != "paid":
        return None
    items = payment_items(org, record["id"])
    return items[-1]["postingDate"] if items else record.get("updatedDate")


async def get_payments(request: Request) -> Response:
    org = org_of(request)
    record = org.collection("invoices").get(request.path_params["id"])
    if record is None:
        raise not_found()
    if record["voucherStatus"] == "draft":
        raise ApiError(406, message="Payments of a draft cannot be read.")
    owed = open_amount(org, record)
    return JSONResponse(
        {
            "openAmount": owed,
            "currency": "EUR",
            "paymentStatus": "openRevenue" if owed else "balanced",
            "voucherType": "invoice",
            "voucherStatus": record["voucherStatus"],
            "paidDate": paid_date(org, record),
            "paymentItems": payment_items(org, record["id"]),
        }
    )


async def book_payment(request: Request) -> Response:
    """Control API: `{"amount": 119.0, "postingDate"?: ISO}` paid on an open invoice."""
    from ..control import _body, _org  # the control API's organization and body

    org = _org(request)
    record = org.collection("invoices").get(request.path_params["id"])
    if record is None:
        raise not_found()
    if record["voucherStatus"] not in OWING:
        raise bad_request(f"the invoice is {record['voucherStatus']}, not open")
    body = await _body(request)
    amount = body.get("amount") if isinstance(body, dict) else None
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
        raise bad_request('{"amount": number} is expected')
    item = {
        "paymentItemType": "manualPayment",
        "postingDate": body.get("postingDate") or now_iso(),
        "amount": float(amount),
        "currency": "EUR",
    }
    org.collection("payments").setdefault(record["id"], {"items": []})["items"].append(item)
    runtime = runtime_of(request)
    if open_amount(org, record) == 0.0:
        record["voucherStatus"] = "paid"
        record["version"] += 1
        record["updatedDate"] = now_iso()
        runtime.emit(org, "invoice.status.changed", record["id"])
    runtime.emit(org, "payment.changed", record["id"])
    runtime.store.dirty = True
    return JSONResponse({"openAmount": open_amount(org, record)}, status_code=201)


ROUTES = [Route("/v1/payments/{id}", get_payments, methods=["GET"])]
CONTROL_ROUTES = [Route("/_sandbox/payments/{id}", book_payment, methods=["POST"])]
