"""The customer (Kunde) of the field-service system."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from connectors.fieldservice.column_types import str_enum
from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models.base import Base, Timestamps, blank_to_none


class CustomerKind(enum.StrEnum):
    """A private person or a company, as lexoffice's `person` / `company` contact."""

    PERSON = "person"
    COMPANY = "company"


def check_customer_name(
    kind: CustomerKind | str, last_name: str | None, company_name: str | None, record: str
) -> None:
    """Refuse a customer without a name: a person needs last_name, a company company_name."""
    field, value = (
        ("last_name", last_name) if kind == CustomerKind.PERSON else ("company_name", company_name)
    )
    if value is None or not value.strip():
        raise InvalidRecordError(
            record, field, f"is required for a customer of kind {kind}", rule="required"
        )


class Customer(Timestamps, Base):
    """A customer (Kunde): a person or a company, with billing and optional shipping address."""

    __tablename__ = "customers"
    entity_label = "customer"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'person' AND last_name IS NOT NULL AND trim(last_name) <> '')"
            " OR (kind = 'company' AND company_name IS NOT NULL AND trim(company_name) <> '')",
            name="name_required",
        ),
        sa.CheckConstraint("length(billing_country_code) = 2", name="billing_country_code"),
        sa.CheckConstraint(
            "shipping_country_code IS NULL OR length(shipping_country_code) = 2",
            name="shipping_country_code",
        ),
        sa.CheckConstraint("customer_number > 0", name="customer_number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CustomerKind] = mapped_column(str_enum(CustomerKind, "kind"))
    salutation: Mapped[str | None] = mapped_column(sa.String(25))
    first_name: Mapped[str | None] = mapped_column(sa.String(255))
    last_name: Mapped[str | None] = mapped_column(sa.String(255))
    company_name: Mapped[str | None] = mapped_column(sa.String(255))
    billing_street: Mapped[str | None] = mapped_column(sa.String(255))
    billing_zip: Mapped[str | None] = mapped_column(sa.String(20))
    billing_city: Mapped[str | None] = mapped_column(sa.String(255))
    billing_country_code: Mapped[str] = mapped_column(
        sa.String(2), default="DE", server_default="DE"
    )
    shipping_street: Mapped[str | None] = mapped_column(sa.String(255))
    shipping_zip: Mapped[str | None] = mapped_column(sa.String(20))
    shipping_city: Mapped[str | None] = mapped_column(sa.String(255))
    shipping_country_code: Mapped[str | None] = mapped_column(sa.String(2))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    phone: Mapped[str | None] = mapped_column(sa.String(100))
    mobile: Mapped[str | None] = mapped_column(sa.String(100))
    # Assigned by lexoffice (roles.customer.number); NULL until the customer is synced.
    customer_number: Mapped[int | None] = mapped_column(unique=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def display_name(self) -> str | None:
        """The name printed on vouchers: the company name, or first and last name."""
        if self.kind == CustomerKind.COMPANY:
            return self.company_name
        names = [n.strip() for n in (self.first_name, self.last_name) if n and n.strip()]
        return " ".join(names) or None

    @property
    def has_shipping_address(self) -> bool:
        """Whether a shipping address different from the billing address is set."""
        return any((self.shipping_street, self.shipping_zip, self.shipping_city))

    def label(self) -> str | None:
        return self.display_name

    def validate(self) -> None:
        check_customer_name(self.kind, self.last_name, self.company_name, self.describe())

    @validates("billing_country_code", "shipping_country_code")
    def _upper_country_code(self, _key: str, value: str | None) -> str | None:
        return value.strip().upper() if value is not None else None

    @validates("email")
    def _strip_email(self, _key: str, value: str | None) -> str | None:
        return blank_to_none(value)
