"""What must hold before a work report is invoiced; each failure is a clear PreconditionError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from connectors.fieldservice.models import WorkReport, WorkReportStatus
from tasks.invoicing.errors import PreconditionError
from tasks.invoicing.lines import InvoiceLine
from tasks.invoicing.wording import work_report_label
from tasks.report_text import record

VAT_FREE_TAX_TYPES = frozenset({"vatfree"})
# Between 2020-07-01 and 2020-12-31 the reduced German rates applied (lexoffice-api.md §4.5).
REDUCED_2020 = (dt.date(2020, 7, 1), dt.date(2020, 12, 31))


def require_invoiceable(report: WorkReport | None, work_report_id: int) -> WorkReport:
    """The report, if it exists, is completed and not invoiced yet."""
    if report is None:
        raise PreconditionError(record("work report", work_report_id), None, "gibt es nicht")
    if report.status == WorkReportStatus.INVOICED or report.lexoffice_invoice_id is not None:
        number = report.lexoffice_invoice_number or "ein Entwurf"
        raise PreconditionError(
            work_report_label(report),
            "status",
            f"ist schon in lexoffice abgerechnet ({number}, ID {report.lexoffice_invoice_id}); "
            "ein Arbeitsnachweis wird nie zweimal abgerechnet",
        )
    if report.status != WorkReportStatus.COMPLETED:
        raise PreconditionError(
            work_report_label(report),
            "status",
            f"ist „{report.status}“: erst abschließen, dann abrechnen",
        )
    return report


def require_hourly_rates(report: WorkReport) -> None:
    """Every employee function used has an hourly rate (a rate of 0 counts as none)."""
    missing = sorted(
        {
            entry.employee_function.name
            for section in report.sections
            for entry in section.labour
            if not entry.employee_function.hourly_rate
        }
    )
    if missing:
        raise PreconditionError(
            work_report_label(report),
            "hourly_rate",
            f"fehlt für die Mitarbeiterfunktion(en) {', '.join(missing)}: "
            "erst einen Stundensatz eintragen",
        )


def allowed_tax_rates(tax_type: str, relevant_day: dt.date) -> frozenset[Decimal]:
    """The rates lexoffice accepts: 0 for vat-free invoices, else 0/7/19 (0/5/16 in 2020 H2)."""
    if tax_type in VAT_FREE_TAX_TYPES:
        return frozenset({Decimal(0)})
    if REDUCED_2020[0] <= relevant_day <= REDUCED_2020[1]:
        return frozenset(Decimal(r) for r in (0, 5, 16))
    return frozenset(Decimal(r) for r in (0, 7, 19))


def require_tax_rates(
    report: WorkReport, lines: Sequence[InvoiceLine], allowed: frozenset[Decimal]
) -> None:
    """Every line's tax rate is one lexoffice accepts for this invoice."""
    wrong = [
        f"{line.source} ({line.tax_rate} %)"
        for line in lines
        if line.priced and line.tax_rate not in allowed
    ]
    if wrong:
        rates = ", ".join(str(rate) for rate in sorted(allowed))
        raise PreconditionError(
            work_report_label(report),
            "tax_rate",
            f"nicht erlaubt, lexoffice nimmt nur {rates} %: {'; '.join(wrong)}",
        )


def require_priced_lines(report: WorkReport, lines: Sequence[InvoiceLine]) -> None:
    if not any(line.priced for line in lines):
        raise PreconditionError(
            work_report_label(report), "positions", "fehlen: nichts abzurechnen"
        )
