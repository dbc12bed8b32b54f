"""What work reports are priced from: products, activities, functions, vehicles, machines."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from connectors.fieldservice.column_types import percent, quantity, unit_price
from connectors.fieldservice.ean import InvalidGtinError, validate_gtin
from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models.base import (
    Base,
    Timestamps,
    blank_to_none,
    check_range,
    non_negative,
    percentage,
)

DEFAULT_TAX_RATE = Decimal("19.00")


class Product(Timestamps, Base):
    """A product of the material stock (Materiallager), synced to lexoffice as an article."""

    __tablename__ = "products"
    entity_label = "product"
    __table_args__ = (
        sa.CheckConstraint("trim(name) <> ''", name="name_required"),
        *non_negative("net_price"),
        *percentage("tax_rate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    article_number: Mapped[str | None] = mapped_column(sa.String(50), unique=True)
    ean: Mapped[str | None] = mapped_column(sa.String(14))
    description: Mapped[str | None] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.String(30), default="Stück", server_default="Stück")
    net_price: Mapped[Decimal] = mapped_column(unit_price())
    tax_rate: Mapped[Decimal] = mapped_column(
        percent(), default=DEFAULT_TAX_RATE, server_default="19"
    )
    # Local only: lexoffice keeps no stock.
    stock_on_hand: Mapped[Decimal] = mapped_column(quantity(), default=0, server_default="0")
    exclude_from_sync: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Archived in lexoffice (read-only there): kept for old work reports, never exported.
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @validates("ean")
    def _check_ean(self, key: str, value: str | None) -> str | None:
        code = blank_to_none(value)
        if code is None:
            return None
        try:
            return validate_gtin(code)
        except InvalidGtinError as error:
            raise InvalidRecordError(
                self.describe(), key, str(error), rule="gtin", gtin=error
            ) from error

    @validates("article_number")
    def _blank_article_number(self, _key: str, value: str | None) -> str | None:
        return blank_to_none(value)

    @validates("net_price")
    def _check_price(self, key: str, value: Decimal) -> Decimal | None:
        return check_range(self, key, value, 0)

    @validates("tax_rate")
    def _check_tax_rate(self, key: str, value: Decimal) -> Decimal | None:
        return check_range(self, key, value, 0, 100)


class Activity(Timestamps, Base):
    """An activity (Tätigkeit) such as "Elektroinstallation", synced as a service article."""

    __tablename__ = "activities"
    entity_label = "activity"
    __table_args__ = (
        sa.CheckConstraint("trim(name) <> ''", name="name_required"),
        *non_negative("default_price"),
        *percentage("tax_rate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.String(30), default="Stunde", server_default="Stunde")
    tax_rate: Mapped[Decimal] = mapped_column(
        percent(), default=DEFAULT_TAX_RATE, server_default="19"
    )
    default_price: Mapped[Decimal | None] = mapped_column(unit_price())
    # Archived in lexoffice (read-only there): kept for old work reports, never exported.
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @validates("default_price")
    def _check_price(self, key: str, value: Decimal | None) -> Decimal | None:
        return check_range(self, key, value, 0)

    @validates("tax_rate")
    def _check_tax_rate(self, key: str, value: Decimal) -> Decimal | None:
        return check_range(self, key, value, 0, 100)


class EmployeeFunction(Base):
    """An employee function (Mitarbeiter-Funktion) such as Meister, with its hourly rate."""

    __tablename__ = "employee_functions"
    entity_label = "employee function"
    __table_args__ = (*non_negative("hourly_rate"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    hourly_rate: Mapped[Decimal] = mapped_column(unit_price())

    @validates("hourly_rate")
    def _check_rate(self, key: str, value: Decimal) -> Decimal | None:
        return check_range(self, key, value, 0)


class Vehicle(Base):
    """A vehicle (Fahrzeug), charged per km, per hour or per day."""

    __tablename__ = "vehicles"
    entity_label = "vehicle"
    __table_args__ = (*non_negative("rate_per_km", "rate_per_hour", "rate_per_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    license_plate: Mapped[str | None] = mapped_column(sa.String(20))
    rate_per_km: Mapped[Decimal] = mapped_column(unit_price(), default=0, server_default="0")
    rate_per_hour: Mapped[Decimal] = mapped_column(unit_price(), default=0, server_default="0")
    rate_per_day: Mapped[Decimal] = mapped_column(unit_price(), default=0, server_default="0")

    @validates("rate_per_km", "rate_per_hour", "rate_per_day")
    def _check_rate(self, key: str, value: Decimal) -> Decimal | None:
        return check_range(self, key, value, 0)


class Machine(Base):
    """A machine or tool (Maschine) charged per hour or per day."""

    __tablename__ = "machines"
    entity_label = "machine"
    __table_args__ = (*non_negative("rate_per_hour", "rate_per_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    rate_per_hour: Mapped[Decimal] = mapped_column(unit_price(), default=0, server_default="0")
    rate_per_day: Mapped[Decimal] = mapped_column(unit_price(), default=0, server_default="0")

    @validates("rate_per_hour", "rate_per_day")
    def _check_rate(self, key: str, value: Decimal) -> Decimal | None:
        return check_range(self, key, value, 0)
