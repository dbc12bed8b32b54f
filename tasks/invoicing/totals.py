"""The totals lexoffice will compute for the lines lexsync sends, in Decimal, to the cent.

The same arithmetic as lexoffice's samples (lexoffice-api.md §4.6) and the sandbox
(`connectors/lexoffice/sandbox/records/totals.py`):
- line amount = round2(quantity × unit price × (1 − discount %)), with the net price, or the
  gross price for taxType `gross`;
- the total discount (absolute, or a percentage of the summed line amounts) is spread over
  the tax-rate groups in proportion to their sums, the last group taking the remainder;
- tax per tax rate on the group's summed net amount, rounded half-up; for taxType `gross`
  the net amount is derived from the group's gross sum instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tasks.invoicing.lines import ZERO, InvoiceLine, four_places, two_places


@dataclass(frozen=True)
class TotalDiscount:
    """The overall discount of the invoice: a percentage or an absolute amount (or none)."""

    percent: Decimal | None = None
    absolute: Decimal | None = None


@dataclass(frozen=True)
class TaxGroup:
    rate: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    """net + tax = gross, and the tax per rate."""

    net: Decimal
    tax: Decimal
    gross: Decimal
    groups: tuple[TaxGroup, ...] = ()


def sent_unit_price(line: InvoiceLine, tax_type: str) -> Decimal:
    """The unit price as sent: net, or gross (4 places) for taxType `gross`."""
    net = line.unit_price or ZERO
    if tax_type != "gross":
        return net
    return four_places(net * (1 + (line.tax_rate or ZERO) / 100))


def line_amount(line: InvoiceLine, tax_type: str) -> Decimal:
    """lexoffice's `lineItemAmount` of a priced line (net, or gross for taxType `gross`)."""
    factor = 1 - line.discount_percent / 100
    return two_places((line.quantity or ZERO) * sent_unit_price(line, tax_type) * factor)


def expected_totals(
    lines: Sequence[InvoiceLine], tax_type: str, discount: TotalDiscount | None = None
) -> Totals:
    """What lexoffice will show as totalNet/Tax/GrossAmount for these lines."""
    sums: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.priced:
            rate = line.tax_rate or ZERO
            sums[rate] = sums.get(rate, ZERO) + line_amount(line, tax_type)
    shares = _spread(_discount_amount(discount, sum(sums.values(), ZERO)), sums)
    groups = [_group(rate, amount - shares[rate], tax_type) for rate, amount in sums.items()]
    net = sum((g.net for g in groups), ZERO)
    tax = sum((g.tax for g in groups), ZERO)
    return Totals(net=net, tax=tax, gross=net + tax, groups=tuple(groups))


def _group(rate: Decimal, amount: Decimal, tax_type: str) -> TaxGroup:
    if tax_type == "gross":
        net = two_places(amount / (1 + rate / 100))
        return TaxGroup(rate, net, amount - net)
    return TaxGroup(rate, amount, two_places(amount * rate / 100))


def _discount_amount(discount: TotalDiscount | None, total: Decimal) -> Decimal:
    if discount is None:
        return ZERO
    if discount.percent is not None:
        return two_places(total * discount.percent / 100)
    if discount.absolute is not None:
        return min(discount.absolute, total) if total > 0 else ZERO
    return ZERO


def _spread(discount: Decimal, sums: dict[Decimal, Decimal]) -> dict[Decimal, Decimal]:
    """The discount split over the tax-rate groups; the last group takes the remainder."""
    total = sum(sums.values(), ZERO)
    shares: dict[Decimal, Decimal] = {}
    left = discount
    rates = list(sums)
    for rate in rates[:-1]:
        shares[rate] = two_places(discount * sums[rate] / total) if total else ZERO
        left -= shares[rate]
    if rates:
        shares[rates[-1]] = left
    return shares
