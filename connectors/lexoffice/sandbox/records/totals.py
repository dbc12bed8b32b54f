"""Sales-voucher arithmetic as lexoffice's samples show it.

- `lineItemAmount` = round2(quantity × unit price × (1 − discount %)), net or gross by taxType;
- `totalDiscountPercentage` reduces each tax-rate group's sum: round2(sum × (1 − p)). Not
  documented; it reproduces what lexoffice showed (issue 15: 3 % on one 19 % line of 100.50
  → net 97.49, gross 116.01);
- `totalDiscountAbsolute` is spread over the tax-rate groups in proportion to their sums, the
  last group taking the remainder (not documented either);
- tax is computed per tax rate on the summed (discounted) net amount, rounded half-up
  (19 % on 13.40 → 2.55, 7 % on 8.32 → 0.58); with taxType gross the net amount is derived
  from the summed gross amount instead.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..util import number, round2, round4, to_decimal

ZERO = Decimal(0)


def _d(value: Any) -> Decimal:
    return to_decimal(value) or ZERO


def price_line(line: dict[str, Any], gross_mode: bool) -> tuple[Decimal, Decimal]:
    """Complete a priced line item in place; returns (tax rate, line amount)."""
    unit = line.get("unitPrice") or {}
    rate = _d(unit.get("taxRatePercentage"))
    factor = 1 + rate / 100
    if gross_mode:
        gross = _d(unit.get("grossAmount"))
        net = round4(gross / factor)
    else:
        net = _d(unit.get("netAmount"))
        gross = round4(net * factor)
    line["unitPrice"] = {
        "currency": unit.get("currency") or "EUR",
        "netAmount": number(net),
        "grossAmount": number(gross),
        "taxRatePercentage": number(rate) if rate % 1 else int(rate),
    }
    discount = _d(line.get("discountPercentage"))
    line["discountPercentage"] = number(discount) if discount % 1 else int(discount)
    base = gross if gross_mode else net
    amount = round2(_d(line.get("quantity")) * base * (1 - discount / 100))
    line["lineItemAmount"] = number(amount)
    return rate, amount


def _spread(discount: Decimal, groups: dict[Decimal, Decimal]) -> dict[Decimal, Decimal]:
    """Split a total discount over the tax-rate groups; the last group takes the remainder."""
    total = sum(groups.values(), ZERO)
    shares: dict[Decimal, Decimal] = {}
    left = discount
    rates = list(groups)
    for rate in rates[:-1]:
        share = round2(discount * groups[rate] / total) if total else ZERO
        shares[rate] = share
        left -= share
    if rates:
        shares[rates[-1]] = left
    return shares


def _discount_shares(
    total_price: dict[str, Any], groups: dict[Decimal, Decimal]
) -> dict[Decimal, Decimal]:
    """How much of each tax-rate group's sum the total discount takes."""
    percentage = to_decimal(total_price.get("totalDiscountPercentage"))
    if percentage is not None:
        return {rate: sum_ - round2(sum_ * (1 - percentage / 100)) for rate, sum_ in groups.items()}
    absolute = to_decimal(total_price.get("totalDiscountAbsolute"))
    total = sum(groups.values(), ZERO)
    discount = ZERO if absolute is None or total <= 0 else min(absolute, total)
    return _spread(discount, groups)


def compute(
    lines: list[dict[str, Any]], tax_type: str, total_price: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Fill in line amounts; returns the full `totalPrice` and `taxAmounts`."""
    gross_mode = tax_type == "gross"
    groups: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.get("type") == "text":
            continue
        rate, amount = price_line(line, gross_mode)
        groups[rate] = groups.get(rate, ZERO) + amount
    shares = _discount_shares(total_price, groups)
    net_total = tax_total = ZERO
    tax_amounts = []
    for rate, amount in groups.items():
        if gross_mode:
            gross = amount - shares[rate]
            net = round2(gross / (1 + rate / 100))
            tax = gross - net
        else:
            net = amount - shares[rate]
            tax = round2(net * rate / 100)
        net_total, tax_total = net_total + net, tax_total + tax
        tax_amounts.append(
            {
                "taxRatePercentage": number(rate) if rate % 1 else int(rate),
                "taxAmount": number(tax),
                "netAmount": number(net),
            }
        )
    result = {
        "currency": "EUR",
        "totalNetAmount": number(net_total),
        "totalGrossAmount": number(net_total + tax_total),
        "totalTaxAmount": number(tax_total),
    }
    for key in ("totalDiscountAbsolute", "totalDiscountPercentage"):
        if total_price.get(key) is not None:
            result[key] = number(_d(total_price[key]))
    return result, tax_amounts
