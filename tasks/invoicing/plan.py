"""The invoice for one work report, planned in full before anything is sent.

`plan_invoice` checks the preconditions, builds the lines in the chosen layout, computes the
totals lexoffice must come to, and `to_lexoffice` turns the plan into the lexoffice body. The
unique `reference` goes into the invoice's remark, so that an invoice whose creation was not
confirmed can be found again (`carries_reference`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from connectors.fieldservice.models import DiscountKind, WorkReport
from connectors.lexoffice.models import Invoice
from connectors.lexoffice.models.vouchers import (
    LineItem,
    ShippingConditions,
    TaxConditions,
    TotalPrice,
    UnitPrice,
    VoucherAddress,
)
from tasks.invoicing import preconditions as check
from tasks.invoicing.layout import LaidOut, lay_out
from tasks.invoicing.lines import ArticleLinks, InvoiceLine, detailed_lines
from tasks.invoicing.totals import (
    TotalDiscount,
    Totals,
    expected_totals,
    fold_overall_percent,
    sent_unit_price,
)
from tasks.invoicing.wording import work_report_label
from tasks.settings import InvoiceLayout

BERLIN = ZoneInfo("Europe/Berlin")
REFERENCE_LABEL = "lexsync-Referenz"


@dataclass(frozen=True)
class InvoiceContext:
    """What the plan needs besides the work report: the lexoffice side and the choices."""

    contact_id: uuid.UUID
    tax_type: str  # net, gross or vatfree (from the lexoffice profile)
    links: ArticleLinks
    layout: InvoiceLayout
    voucher_date: dt.date
    reference: str
    remark: str = ""


@dataclass(frozen=True)
class InvoicePlan:
    """Everything that will be sent, and the totals lexoffice must show for it."""

    work_report_id: int
    record: str
    context: InvoiceContext
    laid_out: LaidOut
    # The overall discount as sent in `totalPrice` (only an absolute one: a percentage is
    # folded into the lines, see `totals.fold_overall_percent`).
    discount: TotalDiscount | None
    totals: Totals
    service_from: dt.date
    service_to: dt.date | None
    introduction: str
    # The work report's overall percentage, as folded into every priced line.
    folded_percent: Decimal | None = None

    @property
    def lines(self) -> tuple[InvoiceLine, ...]:
        return self.laid_out.lines


def invoice_tax_type(profile_tax_type: str | None, small_business: bool | None) -> str:
    """Small businesses (§19 UStG) and vat-free organizations invoice `vatfree`, at rate 0."""
    if small_business or profile_tax_type == "vatfree":
        return "vatfree"
    return "gross" if profile_tax_type == "gross" else "net"


def new_reference(work_report_id: int) -> str:
    """A reference no other invoice carries, e.g. `AN12-9F3A2B1C` (AN = Arbeitsnachweis)."""
    return f"AN{work_report_id}-{secrets.token_hex(4).upper()}"


def plan_invoice(report: WorkReport, context: InvoiceContext) -> InvoicePlan:
    """The invoice of a completed work report; PreconditionError when it cannot be made."""
    check.require_hourly_rates(report)
    lines = detailed_lines(report, context.links)
    if context.tax_type == "vatfree":
        lines = [
            dataclasses.replace(line, tax_rate=Decimal("0.00")) if line.priced else line
            for line in lines
        ]
    check.require_priced_lines(report, lines)
    service_day = report.date_to or report.date_from
    check.require_tax_rates(report, lines, check.allowed_tax_rates(context.tax_type, service_day))
    laid_out = lay_out(lines, context.layout, work_report_label(report))
    discount = _discount(report)
    folded = discount.percent if discount is not None else None
    if folded is not None:
        laid_out = dataclasses.replace(laid_out, lines=fold_overall_percent(laid_out.lines, folded))
        discount = None
    return InvoicePlan(
        work_report_id=report.id,
        record=work_report_label(report),
        context=context,
        laid_out=laid_out,
        discount=discount,
        totals=expected_totals(laid_out.lines, context.tax_type, discount),
        service_from=report.date_from,
        service_to=report.date_to if report.date_to != report.date_from else None,
        introduction=_introduction(report),
        folded_percent=folded,
    )


def _discount(report: WorkReport) -> TotalDiscount | None:
    if report.discount_kind is None or not report.discount_value:
        return None
    if report.discount_kind == DiscountKind.PERCENT:
        return TotalDiscount(percent=report.discount_value)
    return TotalDiscount(absolute=report.discount_value)


def _introduction(report: WorkReport) -> str:
    period = f"vom {report.date_from:%d.%m.%Y}"
    if report.date_to and report.date_to != report.date_from:
        period = f"vom {report.date_from:%d.%m.%Y} bis {report.date_to:%d.%m.%Y}"
    text = f"Arbeitsnachweis Nr. {report.id} {period}"
    if report.project is not None:
        text += f", Projekt {report.project.name}"
    return text[:2000]


def remark_with_reference(remark: str, reference: str) -> str:
    """The remark printed on the invoice, ending with lexsync's reference."""
    tail = f"{REFERENCE_LABEL}: {reference}"
    return f"{remark.strip()}\n{tail}" if remark.strip() else tail


def carries_reference(invoice: Invoice, reference: str) -> bool:
    """Whether this lexoffice invoice is the one lexsync sent with `reference`."""
    marker = f"{REFERENCE_LABEL}: {reference}"
    return any(marker in (text or "") for text in (invoice.remark, invoice.introduction))


def berlin_midnight(day: dt.date) -> dt.datetime:
    """A day as lexoffice's voucherlist reads it (whole days in German time)."""
    return dt.datetime.combine(day, dt.time(0), BERLIN)


def to_lexoffice(plan: InvoicePlan) -> Invoice:
    """The lexoffice invoice body for the plan (read-only fields left out when sent)."""
    context = plan.context
    return Invoice(
        voucher_date=berlin_midnight(context.voucher_date),
        address=VoucherAddress(contact_id=str(context.contact_id)),
        line_items=[_line_item(line, context.tax_type) for line in plan.lines],
        total_price=TotalPrice(
            total_discount_percentage=plan.discount.percent if plan.discount else None,
            total_discount_absolute=plan.discount.absolute if plan.discount else None,
        ),
        tax_conditions=TaxConditions(tax_type=context.tax_type),
        shipping_conditions=_shipping(plan),
        introduction=plan.introduction,
        remark=remark_with_reference(context.remark, context.reference),
    )


def _shipping(plan: InvoicePlan) -> ShippingConditions:
    """The service date (Leistungsdatum) or service period (Leistungszeitraum)."""
    if plan.service_to is None:
        return ShippingConditions(
            shipping_type="service", shipping_date=berlin_midnight(plan.service_from)
        )
    return ShippingConditions(
        shipping_type="serviceperiod",
        shipping_date=berlin_midnight(plan.service_from),
        shipping_end_date=berlin_midnight(plan.service_to),
    )


def _line_item(line: InvoiceLine, tax_type: str) -> LineItem:
    if not line.priced:
        return LineItem(type="text", name=line.name, description=line.description)
    price = sent_unit_price(line, tax_type)
    return LineItem(
        id=str(line.article_id) if line.article_id else None,
        type=line.type,
        name=line.name,
        description=line.description,
        quantity=line.quantity,
        unit_name=line.unit_name,
        unit_price=UnitPrice(
            net_amount=None if tax_type == "gross" else price,
            gross_amount=price if tax_type == "gross" else None,
            tax_rate_percentage=line.tax_rate,
        ),
        discount_percentage=line.discount_percent,
    )
