"""The planned invoice: preconditions, tax type, service date or period, the body sent."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from connectors.fieldservice.models import AdditionalPosition, WorkReport, WorkReportStatus
from connectors.lexoffice.models import Invoice
from tasks.invoicing import (
    ArticleLinks,
    InvoiceContext,
    InvoiceLayout,
    PreconditionError,
    plan_invoice,
    to_lexoffice,
)
from tasks.invoicing.plan import carries_reference, invoice_tax_type, new_reference
from tasks.invoicing.preconditions import require_invoiceable
from tests.tasks.invoicing.invoicing_builders import (
    HAND_CHECKED_GROSS,
    catalog,
    every_position_report,
)

D = Decimal


def _context(tax_type: str = "net", **changes: object) -> InvoiceContext:
    values: dict[str, object] = {
        "contact_id": uuid.uuid4(),
        "tax_type": tax_type,
        "links": ArticleLinks(),
        "layout": InvoiceLayout.DETAILED,
        "voucher_date": dt.date(2026, 11, 27),
        "reference": "AN7-0A1B2C3D",
        "remark": "Vielen Dank.",
    }
    return InvoiceContext(**(values | changes))  # type: ignore[arg-type]


def _report() -> WorkReport:
    report = every_position_report(catalog())
    report.id = 7
    return report


def test_plan_of_the_every_position_report_carries_the_hand_checked_total() -> None:
    plan = plan_invoice(_report(), _context())
    assert plan.totals.gross == HAND_CHECKED_GROSS
    assert len(plan.lines) == 15


def test_small_businesses_invoice_vat_free_at_rate_zero() -> None:
    assert invoice_tax_type("net", True) == "vatfree"
    assert invoice_tax_type("vatfree", None) == "vatfree"
    assert invoice_tax_type("gross", False) == "gross"
    plan = plan_invoice(_report(), _context("vatfree"))
    assert {line.tax_rate for line in plan.lines if line.priced} == {D(0)}
    assert (plan.totals.tax, plan.totals.net) == (D(0), plan.totals.gross)
    body = to_lexoffice(plan).to_write_json()
    assert body["taxConditions"] == {"taxType": "vatfree"}
    assert body["lineItems"][1]["unitPrice"]["taxRatePercentage"] == 0


def test_a_single_day_is_the_service_date_and_a_period_the_service_period() -> None:
    report = _report()
    body = to_lexoffice(plan_invoice(report, _context())).to_write_json()
    assert body["shippingConditions"] == {
        "shippingType": "service",
        "shippingDate": "2026-11-02T00:00:00.000+01:00",
    }
    report.date_to = dt.date(2026, 11, 4)
    body = to_lexoffice(plan_invoice(report, _context())).to_write_json()
    assert body["shippingConditions"]["shippingType"] == "serviceperiod"
    assert body["shippingConditions"]["shippingEndDate"] == "2026-11-04T00:00:00.000+01:00"


def test_the_body_has_headings_as_text_items_the_discount_and_the_reference() -> None:
    body = to_lexoffice(plan_invoice(_report(), _context())).to_write_json()
    assert body["lineItems"][0] == {"type": "text", "name": "Montage"}
    assert body["totalPrice"] == {"currency": "EUR"}  # 3 % overall: in each line instead
    assert body["address"] == {"contactId": body["address"]["contactId"]}
    assert body["remark"] == "Vielen Dank.\nlexsync-Referenz: AN7-0A1B2C3D"
    assert body["introduction"] == "Arbeitsnachweis Nr. 7 vom 02.11.2026"
    assert body["voucherDate"] == "2026-11-27T00:00:00.000+01:00"
    assert body["lineItems"][2]["unitPrice"] == {
        "currency": "EUR",
        "netAmount": 62,
        "taxRatePercentage": 19,
    }
    assert body["lineItems"][2]["discountPercentage"] == 12.7  # 10 % own, then 3 % overall


def test_the_reference_finds_the_invoice_it_was_written_into_and_no_other() -> None:
    reference = new_reference(7)
    assert reference.startswith("AN7-") and reference != new_reference(7)
    body = to_lexoffice(plan_invoice(_report(), _context(reference=reference))).to_write_json()
    invoice = Invoice.model_validate(body)
    assert carries_reference(invoice, reference)
    assert not carries_reference(invoice, new_reference(7))


def test_a_draft_work_report_is_refused() -> None:
    report = _report()
    report.status = WorkReportStatus.DRAFT
    with pytest.raises(PreconditionError, match="Status ist „draft“: erst abschließen"):
        require_invoiceable(report, 7)


def test_an_invoiced_work_report_is_refused_naming_its_invoice() -> None:
    report = _report()
    report.status = WorkReportStatus.INVOICED
    report.lexoffice_invoice_number = "RE0042"
    with pytest.raises(PreconditionError, match=r"schon in lexoffice abgerechnet \(RE0042"):
        require_invoiceable(report, 7)


def test_a_missing_work_report_is_refused() -> None:
    with pytest.raises(PreconditionError, match="Arbeitsnachweis 99: gibt es nicht"):
        require_invoiceable(None, 99)


def test_an_employee_function_without_hourly_rate_is_refused() -> None:
    report = _report()
    report.sections[0].labour[1].employee_function.hourly_rate = D(0)
    with pytest.raises(PreconditionError, match=r"Stundensatz fehlt .* Geselle"):
        plan_invoice(report, _context())


def test_a_tax_rate_lexoffice_does_not_accept_is_refused_naming_the_position() -> None:
    report = _report()
    report.sections[1].additional_positions.append(
        AdditionalPosition(text="Altrate", quantity=D(1), unit="x", unit_price=D(1), tax_rate=D(16))
    )
    with pytest.raises(PreconditionError, match=r"Abschnitt 'Prüfung', Zusatzposition 2 \(16"):
        plan_invoice(report, _context())


def test_the_reduced_rates_of_2020_apply_by_the_service_date() -> None:
    report = _report()
    report.date_from = dt.date(2020, 8, 3)
    for section in report.sections:
        for entry in section.labour:
            entry.activity.tax_rate = D(16)
        for use in section.materials:
            use.product.tax_rate = D(16) if use.product.tax_rate == D(19) else D(5)
        for position in section.additional_positions:
            position.tax_rate = D(16)
    report.sections[0].vehicle_uses = []
    report.sections[0].machine_uses = []
    report.sections[0].lump_sum = None
    plan = plan_invoice(report, _context())
    assert {line.tax_rate for line in plan.lines if line.priced} == {D(16), D(5)}
