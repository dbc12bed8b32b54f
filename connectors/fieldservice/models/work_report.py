"""The work report (Arbeitsnachweis): what was done for a customer, section by section."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from connectors.fieldservice import column_types as ct
from connectors.fieldservice.models.base import Base, Timestamps, non_negative, percentage
from connectors.fieldservice.models.catalog import (
    Activity,
    EmployeeFunction,
    Machine,
    Product,
    Vehicle,
)
from connectors.fieldservice.models.customer import Customer
from connectors.fieldservice.models.project import Project


class WorkReportStatus(enum.StrEnum):
    """draft while being written, completed when signed off, invoiced once in lexoffice."""

    DRAFT = "draft"
    COMPLETED = "completed"
    INVOICED = "invoiced"


class DiscountKind(enum.StrEnum):
    """An overall discount in percent of the total, or an absolute amount in euros."""

    PERCENT = "percent"
    ABSOLUTE = "absolute"


class WorkReport(Timestamps, Base):
    """A work report (Arbeitsnachweis) for a customer, for one day or a period."""

    __tablename__ = "work_reports"
    entity_label = "work report"
    __table_args__ = (
        sa.CheckConstraint("date_to IS NULL OR date_to >= date_from", name="period_order"),
        sa.CheckConstraint(
            "(discount_kind IS NULL AND discount_value IS NULL)"
            " OR (discount_kind = 'percent' AND discount_value IS NOT NULL"
            " AND discount_value BETWEEN 0 AND 100)"
            " OR (discount_kind = 'absolute' AND discount_value IS NOT NULL"
            " AND discount_value >= 0)",
            name="discount",
        ),
        sa.CheckConstraint(
            "(status = 'invoiced' AND lexoffice_invoice_id IS NOT NULL AND invoiced_at IS NOT NULL)"
            " OR (status <> 'invoiced' AND lexoffice_invoice_id IS NULL)",
            name="invoice_reference",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    date_from: Mapped[dt.date]
    # NULL for a report of a single day.
    date_to: Mapped[dt.date | None]
    status: Mapped[WorkReportStatus] = mapped_column(
        ct.str_enum(WorkReportStatus, "status"),
        default=WorkReportStatus.DRAFT,
        server_default=WorkReportStatus.DRAFT.value,
        index=True,
    )
    note: Mapped[str | None] = mapped_column(sa.Text)
    discount_kind: Mapped[DiscountKind | None] = mapped_column(
        ct.str_enum(DiscountKind, "discount_kind")
    )
    discount_value: Mapped[Decimal | None] = mapped_column(ct.amount())
    lexoffice_invoice_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    lexoffice_invoice_number: Mapped[str | None] = mapped_column(sa.String(50))
    invoiced_at: Mapped[dt.datetime | None] = mapped_column(ct.UTCDateTime())
    # What became of the invoice in lexoffice (tasks/invoice_status.py): its status (draft,
    # open, paid, voided, …), what is still owed, when it was paid in full, and lexoffice's
    # updatedDate of the state applied (an older state never overwrites a newer one).
    lexoffice_invoice_status: Mapped[str | None] = mapped_column(sa.String(20))
    lexoffice_open_amount: Mapped[Decimal | None] = mapped_column(ct.amount())
    lexoffice_paid_at: Mapped[dt.datetime | None] = mapped_column(ct.UTCDateTime())
    lexoffice_invoice_updated_at: Mapped[dt.datetime | None] = mapped_column(ct.UTCDateTime())
    # The invoice voided in lexoffice that freed this report to be invoiced again.
    lexoffice_voided_invoice_id: Mapped[uuid.UUID | None]

    customer: Mapped[Customer] = relationship()
    project: Mapped[Project | None] = relationship()
    sections: Mapped[list[WorkReportSection]] = relationship(
        order_by="WorkReportSection.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def label(self) -> str | None:
        return f"of {self.date_from.isoformat()}" if self.date_from else None


class Position:
    """Columns every position of a section has: its section and its place in the list."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]

    @declared_attr
    def section_id(cls) -> Mapped[int]:
        return mapped_column(
            sa.ForeignKey("work_report_sections.id", ondelete="CASCADE"), index=True
        )


def _positions(class_name: str) -> Any:
    """A section's ordered list of one kind of position, deleted with the section."""
    return relationship(
        order_by=f"{class_name}.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class InvoiceStatusCursor(Base):
    """Per connection: the voucherlist's updatedDate up to which invoice states are known."""

    __tablename__ = "invoice_status_cursors"
    entity_label = "invoice status cursor"

    connection: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    last_updated_at: Mapped[dt.datetime] = mapped_column(ct.UTCDateTime())


class WorkReportSection(Base):
    """A section (Abschnitt) of a work report, with its positions and a lump sum."""

    __tablename__ = "work_report_sections"
    entity_label = "work report section"
    __table_args__ = (*non_negative("lump_sum"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("work_reports.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(255))
    # Abschnittskosten: a flat amount for the whole section, charged besides its positions.
    lump_sum: Mapped[Decimal | None] = mapped_column(ct.amount())

    labour: Mapped[list[LabourEntry]] = _positions("LabourEntry")
    materials: Mapped[list[MaterialUse]] = _positions("MaterialUse")
    vehicle_uses: Mapped[list[VehicleUse]] = _positions("VehicleUse")
    machine_uses: Mapped[list[MachineUse]] = _positions("MachineUse")
    additional_positions: Mapped[list[AdditionalPosition]] = _positions("AdditionalPosition")

    def label(self) -> str | None:
        return self.title


def _restrict(target: str) -> sa.ForeignKey:
    # Catalog entries used in a report cannot be deleted; archive them instead.
    return sa.ForeignKey(target, ondelete="RESTRICT")


class LabourEntry(Position, Base):
    """Working time (Arbeitszeit): hours of an employee function doing an activity."""

    __tablename__ = "work_report_labour"
    entity_label = "labour entry"
    __table_args__ = (*non_negative("hours"), *percentage("discount_percent"))

    employee_function_id: Mapped[int] = mapped_column(
        _restrict("employee_functions.id"), index=True
    )
    activity_id: Mapped[int] = mapped_column(_restrict("activities.id"), index=True)
    hours: Mapped[Decimal] = mapped_column(ct.quantity())
    discount_percent: Mapped[Decimal] = mapped_column(ct.percent(), default=0, server_default="0")

    employee_function: Mapped[EmployeeFunction] = relationship()
    activity: Mapped[Activity] = relationship()


class MaterialUse(Position, Base):
    """Material used (Materialverbrauch): a quantity of a product, optionally at another price."""

    __tablename__ = "work_report_materials"
    entity_label = "material use"
    __table_args__ = (
        *non_negative("quantity", "unit_price_override"),
        *percentage("discount_percent"),
    )

    product_id: Mapped[int] = mapped_column(_restrict("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(ct.quantity())
    unit_price_override: Mapped[Decimal | None] = mapped_column(ct.unit_price())
    discount_percent: Mapped[Decimal] = mapped_column(ct.percent(), default=0, server_default="0")

    product: Mapped[Product] = relationship()


class VehicleUse(Position, Base):
    """Vehicle use (Fahrzeugeinsatz): kilometres, hours and days of a vehicle."""

    __tablename__ = "work_report_vehicles"
    entity_label = "vehicle use"
    __table_args__ = (*non_negative("km", "hours", "days"),)

    vehicle_id: Mapped[int] = mapped_column(_restrict("vehicles.id"), index=True)
    km: Mapped[Decimal] = mapped_column(ct.quantity(), default=0, server_default="0")
    hours: Mapped[Decimal] = mapped_column(ct.quantity(), default=0, server_default="0")
    days: Mapped[Decimal] = mapped_column(ct.quantity(), default=0, server_default="0")

    vehicle: Mapped[Vehicle] = relationship()


class MachineUse(Position, Base):
    """Machine use (Maschineneinsatz): hours and days of a machine."""

    __tablename__ = "work_report_machines"
    entity_label = "machine use"
    __table_args__ = (*non_negative("hours", "days"),)

    machine_id: Mapped[int] = mapped_column(_restrict("machines.id"), index=True)
    hours: Mapped[Decimal] = mapped_column(ct.quantity(), default=0, server_default="0")
    days: Mapped[Decimal] = mapped_column(ct.quantity(), default=0, server_default="0")

    machine: Mapped[Machine] = relationship()


class AdditionalPosition(Position, Base):
    """An additional position (Zusatzposition): free text with quantity, unit and price."""

    __tablename__ = "work_report_additional_positions"
    entity_label = "additional position"
    __table_args__ = (
        sa.CheckConstraint("trim(text) <> ''", name="text_required"),
        *non_negative("quantity", "unit_price"),
        *percentage("tax_rate", "discount_percent"),
    )

    text: Mapped[str] = mapped_column(sa.String(255))
    quantity: Mapped[Decimal] = mapped_column(ct.quantity())
    unit: Mapped[str] = mapped_column(sa.String(30))
    unit_price: Mapped[Decimal] = mapped_column(ct.unit_price())
    tax_rate: Mapped[Decimal] = mapped_column(ct.percent())
    discount_percent: Mapped[Decimal] = mapped_column(ct.percent(), default=0, server_default="0")

    def label(self) -> str | None:
        return self.text
