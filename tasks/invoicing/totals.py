"""The totals lexoffice will compute for the lines lexsync sends, in Decimal, to the cent.

What lexoffice documents (the invoice sample of the API reference, developers.lexware.io/docs
§ Invoices Endpoint, quoted in lexoffice-api.md §4.3/§4.6): `lineItemAmount` is the line after
its own `discountPercentage` (2 × 13.40 at 50 % = 13.40), and the tax is computed per tax
rate on the group's summed net amount (19 % on 13.40 → 2.55, 7 % on 8.32 → 0.58; net 26.72 +
tax 3.13 = gross 29.85). How lexoffice spreads `totalDiscountPercentage` /
`totalDiscountAbsolute` over the tax groups, and where it rounds, is not documented.

So lexsync sends an overall percentage discount as each line's own `discountPercentage`
(`fold_overall_percent`): then every total follows from the documented rules alone:
- line amount = round2(quantity × unit price × (1 − discount %)), with the net price, or the
  gross price for taxType `gross`;
- tax per tax rate on the group's summed net amount, rounded half-up; for taxType `gross`
  the net amount is derived from the group's gross sum instead.
An absolute overall discount has no per-line form; it is still sent as
`totalDiscountAbsolute` and expected spread over the tax groups in proportion to their sums
(the last group taking the remainder). Should lexoffice round it otherwise, the invoice is
not stranded: the run records both totals and a person accepts or voids it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
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


def fold_overall_percent(lines: Sequence[InvoiceLine], percent: Decimal) -> tuple[InvoiceLine, ...]:
    """The lines with an overall discount of `percent` folded into each priced line's own
    discount: 1 − (1 − own)(1 − overall), to the 2 places lexoffice takes (half-up)."""
    return tuple(
        replace(line, discount_percent=combined_discount(line.discount_percent, percent))
        if line.priced
        else line
        for line in lines
    )


def combined_discount(own: Decimal, overall: Decimal) -> Decimal:
    """Two discounts in a row as one percentage, e.g. 10 % then 3 % → 12.70 %."""
    return two_places(100 - (100 - own) * (100 - overall) / 100)


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
    shares = _discount_shares(discount, sums)
    groups = [_group(rate, amount - shares[rate], tax_type) for rate, amount in sums.items()]
    net = sum((g.net for g in groups), ZERO)
    tax = sum((g.tax for g in groups), ZERO)
    return Totals(net=net, tax=tax, gross=net + tax, groups=tuple(groups))


def _group(rate: Decimal, amount: Decimal, tax_type: str) -> TaxGroup:
    if tax_type == "gross":
        net = two_places(amount / (1 + rate / 100))
        return TaxGroup(rate, net, amount - net)
    return TaxGroup(rate, amount, two_places(amount * rate / 100))


def _discount_shares(
    discount: TotalDiscount | None, sums: dict[Decimal, Decimal]
) -> dict[Decimal, Decimal]:
    """What a total discount takes of each tax-rate group (never sent as a percentage by
    `plan`; kept to read back invoices made that way: each group rounded on its own)."""
    if discount is not None and discount.percent is not None:
        factor = 1 - discount.percent / 100
        return {rate: amount - two_places(amount * factor) for rate, amount in sums.items()}
    total = sum(sums.values(), ZERO)
    absolute = discount.absolute if discount is not None else None
    return _spread(ZERO if absolute is None or total <= 0 else min(absolute, total), sums)


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
