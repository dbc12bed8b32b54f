"""Invoicing a work report (Arbeitsnachweis) in lexoffice, exactly once.

- `lines`, `layout`, `totals`, `preconditions`, `plan`: pure — positions → lexoffice line
  items in either layout, the totals lexoffice must come to, the checks before sending;
- `prepare`, `attempts`, `delivery`: reading the two sides, the attempt record committed
  before the POST, sending once and finding the invoice after an unknown outcome;
- `steps`: the Prefect tasks of `flows/invoice.py`; `report`: the lines as sent and totals.
"""

from __future__ import annotations

from tasks.invoicing.errors import (
    InvoiceRefusedError,
    InvoicingError,
    OutcomeStillUnknownError,
    PreconditionError,
    TooManyLinesError,
    TotalsMismatchError,
)
from tasks.invoicing.layout import MAX_LINE_ITEMS, grouped_lines, lay_out
from tasks.invoicing.lines import ArticleLinks, InvoiceLine, detailed_lines
from tasks.invoicing.plan import InvoiceContext, InvoicePlan, plan_invoice, to_lexoffice
from tasks.invoicing.totals import TotalDiscount, Totals, expected_totals
from tasks.settings import InvoiceLayout

__all__ = [
    "MAX_LINE_ITEMS",
    "ArticleLinks",
    "InvoiceContext",
    "InvoiceLayout",
    "InvoiceLine",
    "InvoicePlan",
    "InvoiceRefusedError",
    "InvoicingError",
    "OutcomeStillUnknownError",
    "PreconditionError",
    "TooManyLinesError",
    "TotalDiscount",
    "Totals",
    "TotalsMismatchError",
    "detailed_lines",
    "expected_totals",
    "grouped_lines",
    "lay_out",
    "plan_invoice",
    "to_lexoffice",
]
