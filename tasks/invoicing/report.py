"""The invoice run's report: the lines as sent, the totals, and what happened."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tasks import error_text
from tasks import report_text as text
from tasks.invoicing.delivery import InvoiceResult
from tasks.invoicing.errors import InvoicingError
from tasks.invoicing.plan import InvoicePlan
from tasks.invoicing.totals import line_amount, sent_unit_price
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
    message = error.problem if isinstance(error, InvoicingError) else error_text.reason(error)
    report.section(ENTITY, DIRECTION).add_problem(Problem("error", record, message, field=field))


LINE_TYPES = {"service": "Leistung", "material": "Material", "custom": "Position", "text": "Text"}
LAYOUTS = {"detailed": "ausführlich (jede Position)", "grouped": "zusammengefasst"}
TAX_TYPES = {"net": "netto", "gross": "brutto", "vatfree": "umsatzsteuerfrei"}
TOTALS = {"net": "netto", "tax": "Umsatzsteuer", "gross": "brutto"}
# A longer line name is cut in the markdown (the table artifact has it whole).
NAME_LENGTH = 60


def line_rows(plan: InvoicePlan) -> list[dict[str, Any]]:
    """The lines as sent, one row each (amounts as lexoffice computes them), German headings."""
    tax_type = plan.context.tax_type
    rows = []
    for number, line in enumerate(plan.lines, 1):
        priced = line.priced
        discount = line.discount_percent
        rows.append(
            {
                "Pos.": number,
                "Art": LINE_TYPES.get(line.type, line.type),
                "Bezeichnung": line.name,
                "Menge": text.number(line.quantity) if priced and line.quantity else "",
                "Einheit": line.unit_name or "",
                "Einzelpreis": _price(sent_unit_price(line, tax_type)) if priced else "",
                "USt.": f"{text.number(line.tax_rate)} %" if priced and line.tax_rate else "",
                "Rabatt": f"{text.number(discount)} %" if priced and discount else "",
                "Betrag": text.amount(line_amount(line, tax_type)) if priced else "",
            }
        )
    return rows


def render_invoice(plan: InvoicePlan, result: InvoiceResult | None) -> str:
    """Markdown: the invoice's lines as sent and its totals (lexsync's and lexoffice's)."""
    rows = line_rows(plan)
    header = list(rows[0]) if rows else []
    layout = plan.laid_out.layout
    tax_type = plan.context.tax_type
    lines = [
        f"# Rechnung für {plan.record}",
        "",
        f"Aufbau {LAYOUTS.get(layout, layout)}, Besteuerung {TAX_TYPES.get(tax_type, tax_type)}, "
        f"Referenz {plan.context.reference}.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "".join(" ---: |" if key in _NUMERIC else " --- |" for key in header),
        *("| " + " | ".join(_cell(row[key], key) for key in header) + " |" for row in rows),
        "",
        *_totals(plan, result),
    ]
    return "\n".join(lines) + "\n"


_NUMERIC = frozenset({"Pos.", "Menge", "Einzelpreis", "USt.", "Rabatt", "Betrag"})


def _totals(plan: InvoicePlan, result: InvoiceResult | None) -> list[str]:
    expected = plan.totals
    discount = plan.discount
    table = ["| Summe | lexsync | lexoffice |", "| --- | ---: | ---: |"]
    for name, label in TOTALS.items():
        actual = text.amount(getattr(result.totals, name)) if result else "(nicht gelesen)"
        table.append(f"| {label} | {text.amount(getattr(expected, name))} | {actual} |")
    if discount is not None:
        what = (
            f"{text.number(discount.percent)} %"
            if discount.percent is not None
            else text.amount(discount.absolute or 0)
        )
        table += ["", f"Gesamtrabatt: {what}."]
    if plan.folded_percent is not None:
        folded = text.number(plan.folded_percent)
        table += ["", f"Gesamtrabatt {folded} %, in den Rabatt jeder Position eingerechnet."]
    if result is not None:
        number = result.voucher_number or "Entwurf, noch ohne Nummer"
        table += ["", f"Rechnung in lexoffice: [{number}]({result.url})"]
    return table


def _price(value: Decimal) -> str:
    """A unit price: cents always, up to 4 decimals when it has them (lexoffice keeps 4)."""
    return text.amount(value, digits=4)


def _cell(value: object, key: str) -> str:
    shown = str(value)
    if key == "Bezeichnung" and len(shown) > NAME_LENGTH:
        shown = shown[: NAME_LENGTH - 1].rstrip() + "…"
    return shown.replace("|", "\\|").replace("\n", " ")
