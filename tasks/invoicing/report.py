"""The invoice run's report: the lines as sent, the totals, and what happened."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tasks.invoicing.delivery import InvoiceResult
from tasks.invoicing.errors import InvoicingError
from tasks.invoicing.plan import InvoicePlan
from tasks.invoicing.totals import line_amount, sent_unit_price
from tasks.invoicing.wording import euro, german
from tasks.report import Problem, RunReport

ENTITY = "invoice"
DIRECTION = "system → lexoffice"


def record_result(report: RunReport, plan: InvoicePlan, result: InvoiceResult) -> None:
    """Count the invoice: created by this run, or found as an earlier run left it."""
    section = report.section(ENTITY, DIRECTION)
    section.count("created" if result.created_now else "unchanged")
    if plan.laid_out.note:
        section.add_problem(Problem("skip", plan.record, plan.laid_out.note, field="layout"))


def record_failure(report: RunReport, record: str, error: Exception) -> None:
    """The reason the invoice was not made (or not confirmed), as the report's problem."""
    field = error.field if isinstance(error, InvoicingError) else None
    record = error.record if isinstance(error, InvoicingError) else record
    message = error.problem if isinstance(error, InvoicingError) else str(error)
    report.section(ENTITY, DIRECTION).add_problem(Problem("error", record, message, field=field))


def line_rows(plan: InvoicePlan) -> list[dict[str, Any]]:
    """The lines as sent, one row each (amounts as lexoffice computes them)."""
    tax_type = plan.context.tax_type
    rows = []
    for number, line in enumerate(plan.lines, 1):
        priced = line.priced
        rows.append(
            {
                "#": number,
                "type": line.type,
                "name": line.name,
                "quantity": str(line.quantity) if priced else "",
                "unit": line.unit_name or "",
                "unit price": str(sent_unit_price(line, tax_type)) if priced else "",
                "tax %": str(line.tax_rate) if priced else "",
                "discount %": str(line.discount_percent) if priced else "",
                "amount": str(line_amount(line, tax_type)) if priced else "",
            }
        )
    return rows


def render_invoice(plan: InvoicePlan, result: InvoiceResult | None) -> str:
    """Markdown: the invoice's lines as sent and its totals (lexsync's and lexoffice's)."""
    rows = line_rows(plan)
    header = list(rows[0]) if rows else []
    lines = [
        f"# Invoice for {plan.record}",
        "",
        f"Layout {plan.laid_out.layout}, tax type {plan.context.tax_type}, "
        f"reference {plan.context.reference}.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * len(header),
        *("| " + " | ".join(_cell(row[key]) for key in header) + " |" for row in rows),
        "",
        *_totals(plan, result),
    ]
    return "\n".join(lines) + "\n"


def _totals(plan: InvoicePlan, result: InvoiceResult | None) -> list[str]:
    expected = plan.totals
    discount = plan.discount
    text = ["| total | lexsync | lexoffice |", "| --- | --- | --- |"]
    for name in ("net", "tax", "gross"):
        actual = euro(getattr(result.totals, name)) if result else "(not read)"
        text.append(f"| {name} | {euro(getattr(expected, name))} | {actual} |")
    if discount is not None:
        percent, absolute = discount.percent, discount.absolute
        what = f"{german(percent)} %" if percent is not None else euro(absolute or Decimal(0))
        text += ["", f"Overall discount: {what}."]
    if plan.folded_percent is not None:
        text += ["", f"Overall discount {german(plan.folded_percent)} %, in each line's discount."]
    if result is not None:
        number = result.voucher_number or "draft, no number yet"
        text += ["", f"lexoffice invoice: [{number}]({result.url})"]
    return text


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
