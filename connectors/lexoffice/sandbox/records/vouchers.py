"""The stored shape of invoices, order confirmations and delivery notes."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..store import OrgStore
from ..util import add_days_iso, now_iso, plain
from . import totals
from .contacts import display_name


@dataclass(frozen=True)
class Kind:
    """What differs between the three sales-voucher endpoints."""

    collection: str
    event: str  # webhook prefix
    voucher_type: str  # voucherlist type
    title: str
    priced: bool = True
    delivery_terms: bool = False
    prefers_shipping_address: bool = False


KINDS = {
    "invoices": Kind("invoices", "invoice", "invoice", "Rechnung"),
    "order-confirmations": Kind(
        "order-confirmations",
        "order-confirmation",
        "orderconfirmation",
        "Auftragsbestätigung",
        delivery_terms=True,
    ),
    "delivery-notes": Kind(
        "delivery-notes",
        "delivery-note",
        "deliverynote",
        "Lieferschein",
        priced=False,
        delivery_terms=True,
        prefers_shipping_address=True,
    ),
}
BY_TYPE = {kind.voucher_type: kind for kind in KINDS.values()}

DEFAULT_PAYMENT = {
    "paymentTermLabel": "Zahlbar in 14 Tagen, rein netto ohne Abzug",
    "paymentTermLabelTemplate": "Zahlbar in {paymentRange} Tagen, rein netto ohne Abzug",
    "paymentTermDuration": 14,
}
DEFAULT_TEXTS = {
    "introduction": "Unsere Lieferungen/Leistungen stellen wir Ihnen wie folgt in Rechnung.",
    "remark": "Vielen Dank für die gute Zusammenarbeit.",
}
# What only lexoffice (or a user in the web app) sets; an API body's values are ignored.
READ_ONLY = ("dueDate", "relatedVouchers", "voucherStatus", "voucherNumber", "archived")
LINE_FIELDS = ("id", "type", "name", "description", "quantity", "unitName")
ADDRESS_FIELDS = ("name", "supplement", "street", "city", "zip", "countryCode")


def resolve_address(org: OrgStore, address: dict[str, Any], kind: Kind) -> dict[str, Any]:
    """The voucher address: the contact's (billing, or shipping for delivery notes), then
    whatever the body sends on top of it for this voucher only."""
    given = {key: address[key] for key in ADDRESS_FIELDS if address.get(key) is not None}
    contact = org.collection("contacts").get(str(address.get("contactId")))
    if contact is None:
        return given
    lists = contact.get("addresses") or {}
    order = ("shipping", "billing") if kind.prefers_shipping_address else ("billing", "shipping")
    base: dict[str, Any] = next((lists[key][0] for key in order if lists.get(key)), {})
    resolved = {"contactId": contact["id"], "name": display_name(contact)}
    resolved.update({key: base[key] for key in ADDRESS_FIELDS[1:] if base.get(key) is not None})
    resolved.update(given)
    return resolved


def _line(line: dict[str, Any], kind: Kind) -> dict[str, Any]:
    kept = {key: line[key] for key in LINE_FIELDS if line.get(key) is not None}
    if line.get("type") != "text" and kind.priced:
        unit = line.get("unitPrice") or {}
        kept["unitPrice"] = {k: unit[k] for k in unit if k != "lineItemAmount"}
        kept["discountPercentage"] = line.get("discountPercentage") or 0
    return kept


def _status(
    body: dict[str, Any], stored: dict[str, Any] | None, finalize: bool, as_user: bool
) -> str:
    if as_user and body.get("voucherStatus"):
        return str(body["voucherStatus"])
    if stored:
        return str(stored["voucherStatus"])
    return "open" if finalize else "draft"


def build_voucher(
    org: OrgStore,
    kind: Kind,
    body: dict[str, Any],
    record_id: str,
    stored: dict[str, Any] | None = None,
    finalize: bool = False,
    as_user: bool = False,
) -> dict[str, Any]:
    """A sales voucher as lexoffice stores it. Read-only fields of an API body are ignored;
    a user (`as_user`) may set status, number, dates and `archived`."""
    body = plain(copy.deepcopy(body))
    if not as_user:
        body = {key: value for key, value in body.items() if key not in READ_ONLY}
    status = _status(body, stored, finalize, as_user)
    record: dict[str, Any] = {
        "id": record_id,
        "organizationId": org.organization_id,
        "createdDate": (stored or {}).get("createdDate"),
        "updatedDate": (stored or {}).get("updatedDate"),
        "version": (stored or {}).get("version", 1),
        "language": body.get("language") or "de",
        "archived": bool(body.get("archived"))
        if as_user
        else (stored or {}).get("archived", False),
        "voucherStatus": status,
    }
    number = _voucher_number(org, kind, body, stored, status, as_user)
    if number:
        record["voucherNumber"] = number
    record["voucherDate"] = (
        body.get("voucherDate") or (stored or {}).get("voucherDate") or now_iso()
    )
    record["address"] = resolve_address(org, body.get("address") or {}, kind)
    record["electronicDocumentProfile"] = "NONE"
    record["lineItems"] = [_line(line, kind) for line in body.get("lineItems") or []]
    _prices(record, kind, body)
    record["taxConditions"] = body.get("taxConditions") or {"taxType": "net"}
    _conditions(record, kind, body, status)
    record["relatedVouchers"] = (
        (stored or {}).get("relatedVouchers") or body.get("relatedVouchers") or []
    )
    _texts(record, kind, body)
    return record


def _voucher_number(
    org: OrgStore, kind: Kind, body: dict, stored: dict | None, status: str, as_user: bool
) -> str | None:
    if as_user and body.get("voucherNumber"):
        org.claim_voucher_number(kind.collection, str(body["voucherNumber"]))
        return str(body["voucherNumber"])
    if stored and stored.get("voucherNumber"):
        return str(stored["voucherNumber"])
    return org.next_voucher_number(kind.collection) if status != "draft" else None


def _prices(record: dict[str, Any], kind: Kind, body: dict[str, Any]) -> None:
    if not kind.priced:
        return
    tax_type = (body.get("taxConditions") or {}).get("taxType", "net")
    total_price, tax_amounts = totals.compute(
        record["lineItems"], tax_type, body.get("totalPrice") or {}
    )
    record["totalPrice"] = total_price
    record["taxAmounts"] = tax_amounts


def _conditions(record: dict[str, Any], kind: Kind, body: dict[str, Any], status: str) -> None:
    if kind.priced:
        payment = body.get("paymentConditions")
        if isinstance(payment, dict):
            payment = {**payment, "paymentTermLabelTemplate": payment.get("paymentTermLabel")}
        record["paymentConditions"] = payment or dict(DEFAULT_PAYMENT)
    record["shippingConditions"] = body.get("shippingConditions") or {"shippingType": "none"}
    if kind.collection == "invoices":
        if status != "draft" and record["voucherDate"]:
            days = int(record["paymentConditions"].get("paymentTermDuration") or 0)
            record["dueDate"] = body.get("dueDate") or add_days_iso(record["voucherDate"], days)
        record.update(closingInvoice=False, downPaymentDeductions=[], recurringTemplateId=None)
        record["claimedGrossAmount"] = record["totalPrice"]["totalGrossAmount"]


def _texts(record: dict[str, Any], kind: Kind, body: dict[str, Any]) -> None:
    if body.get("printLayoutId"):
        record["printLayoutId"] = body["printLayoutId"]
    if isinstance(body.get("xRechnung"), dict):
        record["xRechnung"] = body["xRechnung"]
    record["title"] = body.get("title") or kind.title
    record["introduction"] = body.get("introduction") or DEFAULT_TEXTS["introduction"]
    record["remark"] = body.get("remark") or DEFAULT_TEXTS["remark"]
    if kind.delivery_terms and body.get("deliveryTerms"):
        record["deliveryTerms"] = body["deliveryTerms"]


def public(record: dict[str, Any]) -> dict[str, Any]:
    return dict(record)
