"""Invoice lines from a loaded work report (Arbeitsnachweis): one line per entry.

Pure: the work report comes in loaded whole (`queries.get_work_report`), together with the
lexoffice ids of the activities and products it uses; nothing here reads the database or
speaks to lexoffice. Prices are net (the field-service system keeps net prices).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from connectors.fieldservice.models import (
    AdditionalPosition,
    LabourEntry,
    MachineUse,
    MaterialUse,
    Product,
    VehicleUse,
    WorkReport,
    WorkReportSection,
)
from connectors.fieldservice.models.catalog import DEFAULT_TAX_RATE

LineType = Literal["custom", "material", "service", "text"]
# The kinds of position, in the order the grouped layout lists them.
LineKind = Literal["heading", "labour", "material", "vehicle", "machine", "additional", "lump_sum"]
ZERO = Decimal(0)
NAME_LIMIT = 255
DESCRIPTION_LIMIT = 2000
# Vehicles and machines carry no tax rate of their own: they are charged at the standard rate.
STANDARD_TAX_RATE = DEFAULT_TAX_RATE


@dataclass(frozen=True)
class ArticleLinks:
    """lexoffice article ids of the activities and products that are synced (by local id)."""

    activities: Mapping[int, uuid.UUID] = field(default_factory=dict)
    products: Mapping[int, uuid.UUID] = field(default_factory=dict)


@dataclass(frozen=True)
class InvoiceLine:
    """One lexoffice line item; `unit_price` is net, `source` names the position."""

    kind: LineKind
    type: LineType
    name: str
    source: str
    description: str | None = None
    quantity: Decimal | None = None
    unit_name: str | None = None
    unit_price: Decimal | None = None
    tax_rate: Decimal | None = None
    discount_percent: Decimal = ZERO
    article_id: uuid.UUID | None = None

    @property
    def priced(self) -> bool:
        return self.type != "text"


def four_places(value: Decimal) -> Decimal:
    """Quantities and unit prices as lexoffice takes them: at most 4 decimals."""
    return Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def two_places(value: Decimal) -> Decimal:
    """Amounts, discounts and tax rates: 2 decimals, rounded half-up."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fit_text(name: str, description: str | None) -> tuple[str, str | None]:
    """Name ≤ 255 characters; a longer name is cut and kept whole in the description."""
    name = name.strip()
    if len(name) > NAME_LIMIT:
        description = name if not description else f"{name}\n{description}"
        name = name[: NAME_LIMIT - 1] + "…"
    if description and len(description) > DESCRIPTION_LIMIT:
        description = description[: DESCRIPTION_LIMIT - 1] + "…"
    return name, description


def detailed_lines(report: WorkReport, links: ArticleLinks) -> list[InvoiceLine]:
    """Every position of the report as a line, section by section under its heading."""
    lines: list[InvoiceLine] = []
    for section in report.sections:
        lines.append(_heading(section))
        lines.extend(_section_lines(section, links))
    return [line for line in lines if not line.priced or line.quantity]


def _heading(section: WorkReportSection) -> InvoiceLine:
    name, description = fit_text(section.title, None)
    return InvoiceLine("heading", "text", name, f"Abschnitt {section.title!r}", description)


def _section_lines(section: WorkReportSection, links: ArticleLinks) -> Iterator[InvoiceLine]:
    where = f"Abschnitt {section.title!r}"
    for n, entry in enumerate(section.labour, 1):
        yield _labour(entry, links, f"{where}, Arbeitszeit {n}")
    for n, use in enumerate(section.materials, 1):
        yield _material(use, links, f"{where}, Material {n}")
    for n, vehicle_use in enumerate(section.vehicle_uses, 1):
        yield from _vehicle(vehicle_use, f"{where}, Fahrzeug {n}")
    for n, machine_use in enumerate(section.machine_uses, 1):
        yield from _machine(machine_use, f"{where}, Maschine {n}")
    for n, position in enumerate(section.additional_positions, 1):
        yield _additional(position, f"{where}, Zusatzposition {n}")
    if section.lump_sum:
        yield _priced(
            "lump_sum",
            f"Abschnittskosten {section.title}",
            where,
            1,
            "pauschal",
            section.lump_sum,
            STANDARD_TAX_RATE,
        )


def _priced(
    kind: LineKind,
    name: str,
    source: str,
    quantity: Decimal | int,
    unit: str,
    price: Decimal,
    tax_rate: Decimal,
    discount: Decimal | None = ZERO,
    article_id: uuid.UUID | None = None,
) -> InvoiceLine:
    # A position not yet flushed has no column defaults: no discount means none.
    fitted, description = fit_text(name, None)
    return InvoiceLine(
        kind=kind,
        type="custom" if article_id is None else ("service" if kind == "labour" else "material"),
        name=fitted,
        source=source,
        description=description,
        quantity=four_places(Decimal(quantity)),
        unit_name=unit,
        unit_price=four_places(price),
        tax_rate=two_places(tax_rate),
        discount_percent=two_places(discount or ZERO),
        article_id=article_id,
    )


def _labour(entry: LabourEntry, links: ArticleLinks, source: str) -> InvoiceLine:
    """Hours of a function at the function's hourly rate; the activity's article if synced."""
    activity, function = entry.activity, entry.employee_function
    name = f"{activity.name} ({function.name})"
    article = links.activities.get(activity.id)
    return _priced(
        "labour",
        name,
        source,
        entry.hours,
        activity.unit,
        function.hourly_rate,
        activity.tax_rate,
        entry.discount_percent,
        article,
    )


def _material(use: MaterialUse, links: ArticleLinks, source: str) -> InvoiceLine:
    """A product used; excluded or unsynced products go as custom lines."""
    product: Product = use.product
    article = None if product.exclude_from_sync else links.products.get(product.id)
    price = use.unit_price_override if use.unit_price_override is not None else product.net_price
    return _priced(
        "material",
        product.name,
        source,
        use.quantity,
        product.unit,
        price,
        product.tax_rate,
        use.discount_percent,
        article,
    )


def _vehicle(use: VehicleUse, source: str) -> Iterator[InvoiceLine]:
    vehicle = use.vehicle
    label = f"{vehicle.name} ({vehicle.license_plate})" if vehicle.license_plate else vehicle.name
    for quantity, unit, rate, what in (
        (use.km, "km", vehicle.rate_per_km, "Kilometer"),
        (use.hours, "Stunde", vehicle.rate_per_hour, "Stunden"),
        (use.days, "Tag", vehicle.rate_per_day, "Tage"),
    ):
        if quantity:
            yield _priced(
                "vehicle",
                f"Fahrzeug {label}, {what}",
                source,
                quantity,
                unit,
                rate,
                STANDARD_TAX_RATE,
            )


def _machine(use: MachineUse, source: str) -> Iterator[InvoiceLine]:
    machine = use.machine
    for quantity, unit, rate, what in (
        (use.hours, "Stunde", machine.rate_per_hour, "Stunden"),
        (use.days, "Tag", machine.rate_per_day, "Tage"),
    ):
        if quantity:
            yield _priced(
                "machine",
                f"Maschine {machine.name}, {what}",
                source,
                quantity,
                unit,
                rate,
                STANDARD_TAX_RATE,
            )


def _additional(position: AdditionalPosition, source: str) -> InvoiceLine:
    return _priced(
        "additional",
        position.text,
        source,
        position.quantity,
        position.unit,
        position.unit_price,
        position.tax_rate,
        position.discount_percent,
    )
