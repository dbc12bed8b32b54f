"""The stored shape of an article; the price that is not leading is computed from the tax rate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..util import number, plain, round2, to_decimal

WRITABLE = ("title", "description", "type", "articleNumber", "gtin", "note", "unitName")


def compute_price(price: dict[str, Any]) -> dict[str, Any]:
    """netPrice/grossPrice/leadingPrice/taxRate with the non-leading price derived (cents)."""
    rate = to_decimal(price.get("taxRate")) or Decimal(0)
    factor = 1 + rate / 100
    leading = price.get("leadingPrice") or "NET"
    if leading == "GROSS":
        gross = to_decimal(price.get("grossPrice")) or Decimal(0)
        net = round2(gross / factor)
    else:
        net = to_decimal(price.get("netPrice")) or Decimal(0)
        gross = round2(net * factor)
    return {
        "netPrice": number(net),
        "grossPrice": number(gross),
        "leadingPrice": leading,
        "taxRate": number(rate) if rate != rate.to_integral_value() else int(rate),
    }


def build_article(
    organization_id: str,
    body: dict[str, Any],
    record_id: str,
    stored: dict[str, Any] | None = None,
    as_user: bool = False,
) -> dict[str, Any]:
    """An article as lexoffice stores it; read-only fields of the body are ignored."""
    record: dict[str, Any] = {
        "id": record_id,
        "organizationId": organization_id,
        "createdDate": (stored or {}).get("createdDate"),
        "updatedDate": (stored or {}).get("updatedDate"),
        "archived": bool(body.get("archived"))
        if as_user
        else (stored or {}).get("archived", False),
    }
    for key in WRITABLE:
        if body.get(key) is not None:
            record[key] = plain(body[key])
    record["price"] = compute_price(body.get("price") or {})
    record["version"] = (stored or {}).get("version", 0)
    return record


def public(record: dict[str, Any]) -> dict[str, Any]:
    return dict(record)


def sort_key(record: dict[str, Any]) -> tuple[str, str]:
    return str(record.get("title") or "").casefold(), record["id"]
