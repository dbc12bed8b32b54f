"""lexsync's expected totals: to the cent, the way lexoffice (and its sandbox) computes them."""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from typing import Any

import pytest

from connectors.lexoffice.sandbox.records.totals import compute as sandbox_compute
from tasks.invoicing import (
    ArticleLinks,
    InvoiceLine,
    TotalDiscount,
    detailed_lines,
    expected_totals,
    grouped_lines,
)
from tasks.invoicing.totals import (
    combined_discount,
    fold_overall_percent,
    line_amount,
    sent_unit_price,
)
from tests.tasks.invoicing.invoicing_builders import (
    HAND_CHECKED_GROSS,
    HAND_CHECKED_NET,
    HAND_CHECKED_TAX,
    catalog,
    every_position_report,
)

D = Decimal


def _line(quantity: str, price: str, rate: int, discount: str = "0") -> InvoiceLine:
    return InvoiceLine(
        kind="additional",
        type="custom",
        name="x",
        source="test",
        quantity=D(quantity),
        unit_name="Stück",
        unit_price=D(price),
        tax_rate=D(rate),
        discount_percent=D(discount),
    )


def test_every_position_report_adds_up_to_the_hand_checked_total() -> None:
    lines = detailed_lines(every_position_report(catalog()), ArticleLinks())
    totals = expected_totals(fold_overall_percent(lines, D(3)), "net")
    assert (totals.net, totals.tax, totals.gross) == (
        HAND_CHECKED_NET,
        HAND_CHECKED_TAX,
        HAND_CHECKED_GROSS,
    )
    assert [(g.rate, g.net, g.tax) for g in totals.groups] == [
        (D(19), D("825.47"), D("156.84")),
        (D(7), D("24.15"), D("1.69")),
    ]


def test_lexoffice_documentation_sample_gives_its_totals() -> None:
    """The invoice sample of the API reference, https://developers.lexware.io/docs/
    § Invoices Endpoint (lexoffice-api.md §4.3, §4.6): lines 2 × 13.40 at 19 % with 50 %
    discount (lineItemAmount 13.40), 1 × 8.32 at 7 %, 1 × 5.00 at 0 %; taxAmounts 2.55 and
    0.58; totalNetAmount 26.72, totalTaxAmount 3.13, totalGrossAmount 29.85."""
    lines = [_line("2", "13.40", 19, "50"), _line("1", "8.32", 7), _line("1", "5.00", 0)]
    totals = expected_totals(lines, "net")
    assert (totals.net, totals.tax, totals.gross) == (D("26.72"), D("3.13"), D("29.85"))
    assert line_amount(lines[0], "net") == D("13.40")


def test_the_documented_sample_with_its_discount_folded_from_an_overall_one() -> None:
    """The same sample, its 50 % sent as 40 % of the line and 16.67 % overall: the folded
    line discount is the documented 50 % (to lexoffice's 2 places), so the totals are too."""
    folded = fold_overall_percent([_line("2", "13.40", 19, "40")], D("16.67"))
    assert folded[0].discount_percent == D("50.00")
    assert line_amount(folded[0], "net") == D("13.40")


def test_an_overall_percentage_per_line_gives_what_lexoffice_showed_in_issue_15() -> None:
    """Issue 15: 3 % overall on one 19 % position of 100.50; lexoffice showed net 97.49,
    gross 116.01 (lexsync's old spread of a rounded total discount said 97.48 / 116.00)."""
    totals = expected_totals(fold_overall_percent([_line("1", "100.50", 19)], D(3)), "net")
    assert (totals.net, totals.tax, totals.gross) == (D("97.49"), D("18.52"), D("116.01"))


def test_two_discounts_in_a_row_combine_to_two_places() -> None:
    assert combined_discount(D(10), D(3)) == D("12.70")
    assert combined_discount(D(5), D(3)) == D("7.85")
    assert combined_discount(D(0), D("2.5")) == D("2.50")


def test_line_amount_rounds_half_up_to_cents() -> None:
    assert line_amount(_line("25.5", "0.89", 19), "net") == D("22.70")
    assert line_amount(_line("1", "0.005", 19), "net") == D("0.01")


def test_absolute_discount_larger_than_the_sum_takes_it_to_zero() -> None:
    totals = expected_totals([_line("1", "10", 19)], "net", TotalDiscount(absolute=D(50)))
    assert (totals.net, totals.tax, totals.gross) == (D(0), D(0), D(0))


def test_gross_invoices_send_gross_unit_prices_and_derive_net_from_the_gross_sum() -> None:
    line = _line("3", "10.00", 19)
    assert sent_unit_price(line, "gross") == D("11.9000")
    totals = expected_totals([line], "gross")
    assert (totals.net, totals.tax, totals.gross) == (D("30.00"), D("5.70"), D("35.70"))


def test_grouped_lines_may_differ_from_detailed_by_rounding_and_both_are_computed_as_sent() -> None:
    lines = [_line("1", "0.125", 19), _line("1", "0.125", 19)]
    assert expected_totals(lines, "net").net == D("0.26")
    assert expected_totals(grouped_lines(lines), "net").net == D("0.25")


def _random_line(rng: random.Random) -> InvoiceLine:
    quantity = D(rng.randint(1, 400_000)) / D(10_000)
    price = D(rng.randint(0, 9_999_999)) / D(10_000)
    discount = D(rng.choice([0, 0, 5, 10, 12.5, 33.33]))
    return _line(str(quantity), str(price), rng.choice([0, 7, 19]), str(discount))


def _sandbox_body(lines: list[InvoiceLine], tax_type: str) -> list[dict[str, Any]]:
    key = "grossAmount" if tax_type == "gross" else "netAmount"
    return [
        {
            "type": "custom",
            "quantity": float(line.quantity or 0),
            "unitPrice": {
                key: float(sent_unit_price(line, tax_type)),
                "taxRatePercentage": float(line.tax_rate or 0),
            },
            "discountPercentage": float(line.discount_percent),
        }
        for line in lines
    ]


@pytest.mark.parametrize("tax_type", ["net", "gross"])
@pytest.mark.parametrize(
    "discount", [None, TotalDiscount(percent=D("7.5")), TotalDiscount(absolute=D("99.99"))]
)
def test_expected_totals_equal_the_sandboxes_for_random_invoices(
    tax_type: str, discount: TotalDiscount | None
) -> None:
    """The same rules written twice keep the sandbox and lexsync in step; the authority on
    what lexoffice computes are the documented sample and issue 15's observation above."""
    rng = random.Random(4711)
    total_price: dict[str, Any] = {}
    if discount and discount.percent is not None:
        total_price["totalDiscountPercentage"] = float(discount.percent)
    if discount and discount.absolute is not None:
        total_price["totalDiscountAbsolute"] = float(discount.absolute)
    for _ in range(200):
        lines = [_random_line(rng) for _ in range(rng.randint(1, 12))]
        body = _sandbox_body(lines, tax_type)
        theirs, _ = sandbox_compute(copy.deepcopy(body), tax_type, total_price)
        ours = expected_totals(lines, tax_type, discount)
        assert (D(str(theirs["totalNetAmount"])), D(str(theirs["totalTaxAmount"]))) == (
            ours.net,
            ours.tax,
        )
        assert D(str(theirs["totalGrossAmount"])) == ours.gross
