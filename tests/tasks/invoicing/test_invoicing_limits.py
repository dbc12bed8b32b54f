"""lexoffice's limits: 300 line items, text lengths, 4 decimals for quantities and prices."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from connectors.fieldservice.models import LabourEntry, MaterialUse, Product, WorkReport
from tasks.invoicing import (
    MAX_LINE_ITEMS,
    ArticleLinks,
    InvoiceLayout,
    TooManyLinesError,
    detailed_lines,
    lay_out,
)
from tests.tasks.invoicing.invoicing_builders import catalog, every_position_report

D = Decimal


def _report_with_labour_entries(count: int) -> WorkReport:
    c = catalog()
    report = every_position_report(c)
    report.sections[0].labour = [
        LabourEntry(employee_function=c.meister, activity=c.installation, hours=D("0.25"))
        for _ in range(count)
    ]
    return report


def test_a_detailed_invoice_over_300_lines_is_grouped_and_says_so() -> None:
    lines = detailed_lines(_report_with_labour_entries(MAX_LINE_ITEMS), ArticleLinks())
    assert len(lines) > MAX_LINE_ITEMS
    laid_out = lay_out(lines, InvoiceLayout.DETAILED)
    assert laid_out.layout == InvoiceLayout.GROUPED
    assert len(laid_out.lines) <= MAX_LINE_ITEMS
    assert laid_out.note is not None and "höchstens 300" in laid_out.note
    meister = [line for line in laid_out.lines if line.name == "Elektroinstallation (Meister)"]
    assert meister[0].quantity == D("0.25") * MAX_LINE_ITEMS + 1


def test_exactly_300_detailed_lines_are_sent_as_they_are() -> None:
    lines = detailed_lines(_report_with_labour_entries(0), ArticleLinks())
    report = _report_with_labour_entries(MAX_LINE_ITEMS - len(lines))
    lines = detailed_lines(report, ArticleLinks())
    assert len(lines) == MAX_LINE_ITEMS
    assert lay_out(lines, InvoiceLayout.DETAILED).layout == InvoiceLayout.DETAILED


def test_more_than_300_different_positions_are_refused_with_a_clear_error() -> None:
    report = every_position_report(catalog())
    report.sections[0].materials = [
        MaterialUse(
            product=Product(name=f"Artikel {n}", unit="Stück", net_price=D(1), tax_rate=D(19)),
            quantity=D(1),
        )
        for n in range(MAX_LINE_ITEMS + 1)
    ]
    lines = detailed_lines(report, ArticleLinks())
    with pytest.raises(TooManyLinesError, match=r"lexoffice nimmt höchstens 300 .* aufteilen"):
        lay_out(lines, InvoiceLayout.GROUPED, "Arbeitsnachweis 7")


def test_a_name_over_255_characters_is_cut_and_kept_whole_in_the_description() -> None:
    report = every_position_report(catalog())
    long_name = "Sonderleuchte " + "x" * 300
    report.sections[0].materials[0].product.name = long_name
    line = detailed_lines(report, ArticleLinks())[3]
    assert len(line.name) == 255 and line.name.endswith("…")
    assert line.description == long_name


def test_quantities_and_unit_prices_keep_four_decimals_and_discounts_two() -> None:
    report = every_position_report(catalog())
    report.sections[0].materials[0].quantity = D("1.23456")
    report.sections[0].materials[0].product.net_price = D("0.123449")
    report.sections[0].materials[0].discount_percent = D("2.345")
    line = detailed_lines(report, ArticleLinks())[3]
    assert (line.quantity, line.unit_price, line.discount_percent) == (
        D("1.2346"),
        D("0.1234"),
        D("2.35"),
    )
    assert line.quantity is not None
    assert json.loads(json.dumps(float(line.quantity))) == 1.2346
