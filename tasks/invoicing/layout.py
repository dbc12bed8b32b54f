"""The two invoice layouts and lexoffice's limit of 300 line items per invoice.

- detailed: one line per entry, each section under a text line with its heading;
- grouped: one line per employee function and activity, per product, per vehicle and machine
  rate, … (lines that differ only in quantity are added up); no section headings.

A detailed invoice with more than 300 lines is grouped instead; more than 300 grouped lines
is refused with an error that says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from tasks.invoicing.errors import TooManyLinesError
from tasks.invoicing.lines import ZERO, InvoiceLine, LineKind
from tasks.settings import InvoiceLayout

MAX_LINE_ITEMS = 300
KIND_ORDER: tuple[LineKind, ...] = (
    "labour",
    "material",
    "vehicle",
    "machine",
    "additional",
    "lump_sum",
)


@dataclass(frozen=True)
class LaidOut:
    """The lines to send, the layout they follow, and why it differs from the one asked for."""

    lines: tuple[InvoiceLine, ...]
    layout: InvoiceLayout
    note: str | None = None


def grouped_lines(lines: Sequence[InvoiceLine]) -> list[InvoiceLine]:
    """Add up lines that differ only in quantity, kind by kind, in first-seen order."""
    merged: dict[tuple[object, ...], InvoiceLine] = {}
    for kind in KIND_ORDER:
        for line in (line for line in lines if line.kind == kind):
            key = _group_key(line)
            if key in merged:
                total = (merged[key].quantity or ZERO) + (line.quantity or ZERO)
                merged[key] = dataclasses.replace(merged[key], quantity=total, source="grouped")
            else:
                merged[key] = line
    return list(merged.values())


def _group_key(line: InvoiceLine) -> tuple[object, ...]:
    return (
        line.kind,
        line.type,
        line.article_id,
        line.name,
        line.description,
        line.unit_name,
        line.unit_price,
        line.tax_rate,
        line.discount_percent,
    )


def lay_out(
    lines: Sequence[InvoiceLine], layout: InvoiceLayout, record: str = "work report"
) -> LaidOut:
    """The lines in the layout asked for, grouped when detailed would exceed 300 lines."""
    if layout == InvoiceLayout.DETAILED and len(lines) <= MAX_LINE_ITEMS:
        return LaidOut(tuple(lines), layout)
    grouped = grouped_lines(lines)
    if len(grouped) > MAX_LINE_ITEMS:
        raise TooManyLinesError(
            record,
            "positions",
            f"ergeben selbst zusammengefasst {len(grouped)} Rechnungszeilen; lexoffice nimmt "
            f"höchstens {MAX_LINE_ITEMS} je Rechnung: den Arbeitsnachweis aufteilen",
        )
    note = None
    if layout == InvoiceLayout.DETAILED:
        note = (
            f"zusammengefasst: einzeln wären es {len(lines)} Rechnungszeilen, "
            f"lexoffice nimmt höchstens {MAX_LINE_ITEMS}"
        )
    return LaidOut(tuple(grouped), InvoiceLayout.GROUPED, note)
