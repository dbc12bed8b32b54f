"""/v1/voucherlist: the one listing of sales vouchers (types and statuses are mandatory)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import bad_request
from ..paging import page_of, page_params, sort_entry
from ..records.vouchers import BY_TYPE, KINDS
from ..store import OrgStore
from ..util import berlin_day, now, parse_any_dt
from .common import flag, org_of, query_error
from .payments import open_amount as invoice_open_amount

VOUCHER_TYPES = {
    "salesinvoice", "salescreditnote", "purchaseinvoice", "purchasecreditnote", "invoice",
    "downpaymentinvoice", "creditnote", "orderconfirmation", "quotation", "deliverynote",
}  # fmt: skip
STATUSES = {
    "draft", "open", "paid", "paidoff", "voided", "transferred", "sepadebit", "overdue",
    "accepted", "rejected", "unchecked",
}  # fmt: skip
SORTABLE = {
    name.lower(): name for name in ("voucherDate", "voucherNumber", "createdDate", "updatedDate")
}
DATE_FILTERS = {
    "voucherDate": "voucherDate",
    "createdDate": "createdDate",
    "updatedDate": "updatedDate",
}


def _single(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise query_error(name, legacy=False, why="must not appear twice")
    return values[0] if values else None


def _choice(request: Request, name: str, allowed: set[str]) -> set[str]:
    """A mandatory comma-separated list, or `any`."""
    text = _single(request, name)
    if text is None or not text.strip():
        raise bad_request(f"Required request parameter '{name}' is not present")
    values = {value.strip().lower() for value in text.split(",") if value.strip()}
    if values == {"any"}:
        return set(allowed)
    unknown = values - allowed
    if unknown:
        raise query_error(name, legacy=False, why=f"unknown value(s) {sorted(unknown)}")
    return values


def _day(request: Request, name: str) -> date | None:
    text = _single(request, name)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise query_error(name, legacy=False, why="expected yyyy-MM-dd") from None


def is_overdue(record: dict[str, Any], moment: datetime) -> bool:
    due = parse_any_dt(record.get("dueDate"))
    return record["voucherStatus"] in ("open", "sepadebit") and due is not None and due < moment


def _status_check(statuses: set[str]) -> Callable[[dict[str, Any]], bool]:
    if statuses == STATUSES:  # `any`
        return lambda record: True
    if "overdue" in statuses and len(statuses) > 1:
        raise query_error("voucherStatus", legacy=False, why="overdue cannot be combined")
    moment = now()
    if statuses == {"overdue"}:
        return lambda record: is_overdue(record, moment)
    return lambda record: record["voucherStatus"] in statuses


def _filters(request: Request) -> list[Callable[[dict[str, Any]], bool]]:
    checks = [_status_check(_choice(request, "voucherStatus", STATUSES))]
    archived = flag(request, "archived")
    if archived is not None:
        checks.append(lambda r: bool(r.get("archived")) == archived)
    contact_id = _single(request, "contactId")
    if contact_id is not None:
        checks.append(lambda r: (r.get("address") or {}).get("contactId") == contact_id)
    number = _single(request, "voucherNumber")
    if number is not None:
        wanted = html.unescape(number)
        checks.append(lambda r: r.get("voucherNumber") == wanted)
    for prefix, key in DATE_FILTERS.items():
        low, high = _day(request, prefix + "From"), _day(request, prefix + "To")
        if low or high:
            checks.append(_date_check(key, low, high))
    return checks


def _date_check(key: str, low: date | None, high: date | None) -> Callable[[dict[str, Any]], bool]:
    """Whole days in CET/CEST, both ends inclusive."""

    def check(record: dict[str, Any]) -> bool:
        day = berlin_day(record.get(key))
        return day is not None and (low is None or day >= low) and (high is None or day <= high)

    return check


def _sort(request: Request) -> tuple[str, str]:
    text = _single(request, "sort") or "voucherDate,DESC"
    prop, _, direction = text.partition(",")
    direction = (direction or "ASC").strip().upper()
    if prop.strip().lower() not in SORTABLE or direction not in ("ASC", "DESC"):
        raise query_error(
            "sort", legacy=False, why="voucherDate|voucherNumber|createdDate|updatedDate"
        )
    return SORTABLE[prop.strip().lower()], direction


def entry(record: dict[str, Any], voucher_type: str, org: OrgStore) -> dict[str, Any]:
    """A voucher as the voucherlist shows it."""
    total = (record.get("totalPrice") or {}).get("totalGrossAmount", 0.0)
    open_amount = None
    if voucher_type == "invoice":
        open_amount = invoice_open_amount(org, record)  # less its payments
    address = record.get("address") or {}
    return {
        "id": record["id"],
        "voucherType": voucher_type,
        "voucherStatus": record["voucherStatus"],
        "voucherNumber": record.get("voucherNumber"),
        "voucherDate": record.get("voucherDate"),
        "createdDate": record.get("createdDate"),
        "updatedDate": record.get("updatedDate"),
        "dueDate": record.get("dueDate"),
        "contactId": address.get("contactId"),
        "contactName": address.get("name"),
        "totalAmount": total,
        "openAmount": open_amount,
        "currency": "EUR",
        "archived": bool(record.get("archived")),
    }


def _candidates(org: OrgStore, types: set[str]) -> list[tuple[dict[str, Any], str]]:
    return [
        (record, kind.voucher_type)
        for kind in KINDS.values()
        if kind.voucher_type in types
        for record in org.collection(kind.collection).values()
    ]


async def voucherlist(request: Request) -> Response:
    types = _choice(request, "voucherType", VOUCHER_TYPES)
    checks = _filters(request)
    prop, direction = _sort(request)
    page, size = page_params(request)
    org = org_of(request)
    found = [
        pair for pair in _candidates(org, types & set(BY_TYPE)) if all(c(pair[0]) for c in checks)
    ]
    found.sort(key=lambda pair: _sort_value(pair[0], prop), reverse=direction == "DESC")
    envelope = page_of(found, page, size, [sort_entry(prop.lower(), direction)], windowed=True)
    envelope["content"] = [
        entry(record, voucher_type, org) for record, voucher_type in envelope["content"]
    ]
    return JSONResponse(envelope)


def _sort_value(record: dict[str, Any], prop: str) -> tuple[Any, ...]:
    if prop == "voucherNumber":
        return (record.get("voucherNumber") or "", record["id"])
    moment = parse_any_dt(record.get(prop))
    return (moment.timestamp() if moment else 0.0, record["id"])


ROUTES = [Route("/v1/voucherlist", voucherlist, methods=["GET"])]
