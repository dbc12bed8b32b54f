"""The project (Projekt/Auftrag) a customer's work is done for."""

from __future__ import annotations

import enum
import uuid
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from connectors.fieldservice.column_types import amount, str_enum
from connectors.fieldservice.models.base import Base, Timestamps, check_range, non_negative
from connectors.fieldservice.models.customer import Customer


class ProjectOrigin(enum.StrEnum):
    """Where a project came from: made locally, or from a lexoffice voucher."""

    LOCAL = "local"
    LEXOFFICE_ORDER_CONFIRMATION = "lexoffice_order_confirmation"
    LEXOFFICE_DELIVERY_NOTE = "lexoffice_delivery_note"


class Project(Timestamps, Base):
    """A project (Projekt): work for one customer, possibly from a lexoffice voucher."""

    __tablename__ = "projects"
    entity_label = "project"
    __table_args__ = (
        sa.CheckConstraint("trim(name) <> ''", name="name_required"),
        *non_negative("order_sum"),
        sa.CheckConstraint(
            "origin = 'local' OR lexoffice_id IS NOT NULL", name="lexoffice_origin_has_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    order_sum: Mapped[Decimal | None] = mapped_column(amount())
    description: Mapped[str | None] = mapped_column(sa.Text)
    origin: Mapped[ProjectOrigin] = mapped_column(
        str_enum(ProjectOrigin, "origin"),
        default=ProjectOrigin.LOCAL,
        server_default=ProjectOrigin.LOCAL.value,
    )
    # The order confirmation (Auftragsbestätigung) or delivery note (Lieferschein) it came from.
    lexoffice_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    lexoffice_voucher_number: Mapped[str | None] = mapped_column(sa.String(50))

    customer: Mapped[Customer] = relationship()

    @validates("order_sum")
    def _check_order_sum(self, key: str, value: Decimal | None) -> Decimal | None:
        return check_range(self, key, value, 0)
