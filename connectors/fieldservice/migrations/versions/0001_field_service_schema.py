"""The field-service schema: customers, catalog, projects and work reports.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change to the models must not change this migration.
AMOUNT = sa.Numeric(12, 2)
UNIT_PRICE = sa.Numeric(12, 4)
QUANTITY = sa.Numeric(12, 4)
PERCENT = sa.Numeric(5, 2)
TIMESTAMP = sa.DateTime(timezone=True)

INDEXES = {
    "projects": ["customer_id"],
    "work_reports": ["customer_id", "project_id", "status"],
    "work_report_sections": ["work_report_id"],
    "work_report_labour": ["section_id", "employee_function_id", "activity_id"],
    "work_report_materials": ["section_id", "product_id"],
    "work_report_vehicles": ["section_id", "vehicle_id"],
    "work_report_machines": ["section_id", "machine_id"],
    "work_report_additional_positions": ["section_id"],
}


def _id(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def _one_of(table: str, column: str, *values: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return _check(table, column, f"{column} IN ({listed})")


def _non_negative(table: str, *columns: str) -> list[sa.CheckConstraint]:
    return [_check(table, f"{c}_non_negative", f"{c} >= 0") for c in columns]


def _percent(table: str, *columns: str) -> list[sa.CheckConstraint]:
    return [_check(table, f"{c}_percent", f"{c} BETWEEN 0 AND 100") for c in columns]


def _unique(table: str, column: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(column, name=op.f(f"uq_{table}_{column}"))


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column(name, TIMESTAMP, server_default=sa.func.now(), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def _zero(type_: sa.types.TypeEngine[Any], *names: str) -> list[sa.Column[Any]]:
    return [sa.Column(name, type_, server_default="0", nullable=False) for name in names]


def upgrade() -> None:
    _create_customers()
    _create_catalog()
    _create_projects()
    _create_work_reports()
    _create_positions()
    for table, columns in INDEXES.items():
        for column in columns:
            op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade() -> None:
    for table in (
        "work_report_additional_positions",
        "work_report_machines",
        "work_report_vehicles",
        "work_report_materials",
        "work_report_labour",
        "work_report_sections",
        "work_reports",
        "projects",
        "machines",
        "vehicles",
        "employee_functions",
        "activities",
        "products",
        "customers",
    ):
        op.drop_table(table)


def _create_customers() -> None:
    t = "customers"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(7), nullable=False),
        sa.Column("salutation", sa.String(25)),
        sa.Column("first_name", sa.String(255)),
        sa.Column("last_name", sa.String(255)),
        sa.Column("company_name", sa.String(255)),
        sa.Column("billing_street", sa.String(255)),
        sa.Column("billing_zip", sa.String(20)),
        sa.Column("billing_city", sa.String(255)),
        sa.Column("billing_country_code", sa.String(2), server_default="DE", nullable=False),
        sa.Column("shipping_street", sa.String(255)),
        sa.Column("shipping_zip", sa.String(20)),
        sa.Column("shipping_city", sa.String(255)),
        sa.Column("shipping_country_code", sa.String(2)),
        sa.Column("email", sa.String(255)),
        sa.Column("phone", sa.String(100)),
        sa.Column("mobile", sa.String(100)),
        sa.Column("customer_number", sa.Integer()),
        sa.Column("note", sa.Text()),
        sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        *_timestamps(),
        _id(t),
        _one_of(t, "kind", "person", "company"),
        _check(
            t,
            "name_required",
            "(kind = 'person' AND last_name IS NOT NULL AND trim(last_name) <> '')"
            " OR (kind = 'company' AND company_name IS NOT NULL AND trim(company_name) <> '')",
        ),
        _check(t, "billing_country_code", "length(billing_country_code) = 2"),
        _check(
            t,
            "shipping_country_code",
            "shipping_country_code IS NULL OR length(shipping_country_code) = 2",
        ),
        _check(t, "customer_number_positive", "customer_number > 0"),
        _unique(t, "customer_number"),
    )


def _create_catalog() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("article_number", sa.String(50)),
        sa.Column("ean", sa.String(14)),
        sa.Column("description", sa.Text()),
        sa.Column("unit", sa.String(30), server_default="Stück", nullable=False),
        sa.Column("net_price", UNIT_PRICE, nullable=False),
        sa.Column("tax_rate", PERCENT, server_default="19", nullable=False),
        *_zero(QUANTITY, "stock_on_hand"),
        sa.Column("exclude_from_sync", sa.Boolean(), server_default=sa.false(), nullable=False),
        *_timestamps(),
        _id("products"),
        _check("products", "name_required", "trim(name) <> ''"),
        *_non_negative("products", "net_price"),
        *_percent("products", "tax_rate"),
        _unique("products", "article_number"),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("unit", sa.String(30), server_default="Stunde", nullable=False),
        sa.Column("tax_rate", PERCENT, server_default="19", nullable=False),
        sa.Column("default_price", UNIT_PRICE),
        *_timestamps(),
        _id("activities"),
        _check("activities", "name_required", "trim(name) <> ''"),
        *_non_negative("activities", "default_price"),
        *_percent("activities", "tax_rate"),
        _unique("activities", "name"),
    )
    op.create_table(
        "employee_functions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("hourly_rate", UNIT_PRICE, nullable=False),
        _id("employee_functions"),
        *_non_negative("employee_functions", "hourly_rate"),
        _unique("employee_functions", "name"),
    )
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("license_plate", sa.String(20)),
        *_zero(UNIT_PRICE, "rate_per_km", "rate_per_hour", "rate_per_day"),
        _id("vehicles"),
        *_non_negative("vehicles", "rate_per_km", "rate_per_hour", "rate_per_day"),
        _unique("vehicles", "name"),
    )
    op.create_table(
        "machines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        *_zero(UNIT_PRICE, "rate_per_hour", "rate_per_day"),
        _id("machines"),
        *_non_negative("machines", "rate_per_hour", "rate_per_day"),
        _unique("machines", "name"),
    )


def _create_projects() -> None:
    t = "projects"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("order_sum", AMOUNT),
        sa.Column("description", sa.Text()),
        sa.Column("origin", sa.String(28), server_default="local", nullable=False),
        sa.Column("lexoffice_id", sa.Uuid()),
        sa.Column("lexoffice_voucher_number", sa.String(50)),
        *_timestamps(),
        _id(t),
        _fk(t, "customer_id", "customers", "RESTRICT"),
        _check(t, "name_required", "trim(name) <> ''"),
        *_non_negative(t, "order_sum"),
        _one_of(t, "origin", "local", "lexoffice_order_confirmation", "lexoffice_delivery_note"),
        _check(t, "lexoffice_origin_has_id", "origin = 'local' OR lexoffice_id IS NOT NULL"),
        _unique(t, "lexoffice_id"),
    )


def _create_work_reports() -> None:
    t = "work_reports"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer()),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date()),
        sa.Column("status", sa.String(9), server_default="draft", nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("discount_kind", sa.String(8)),
        sa.Column("discount_value", AMOUNT),
        sa.Column("lexoffice_invoice_id", sa.Uuid()),
        sa.Column("lexoffice_invoice_number", sa.String(50)),
        sa.Column("invoiced_at", TIMESTAMP),
        *_timestamps(),
        _id(t),
        _fk(t, "customer_id", "customers", "RESTRICT"),
        _fk(t, "project_id", "projects", "RESTRICT"),
        _one_of(t, "status", "draft", "completed", "invoiced"),
        _one_of(t, "discount_kind", "percent", "absolute"),
        _check(t, "period_order", "date_to IS NULL OR date_to >= date_from"),
        _check(
            t,
            "discount",
            "(discount_kind IS NULL AND discount_value IS NULL)"
            " OR (discount_kind = 'percent' AND discount_value IS NOT NULL"
            " AND discount_value BETWEEN 0 AND 100)"
            " OR (discount_kind = 'absolute' AND discount_value IS NOT NULL"
            " AND discount_value >= 0)",
        ),
        _check(
            t,
            "invoice_reference",
            "(status = 'invoiced' AND lexoffice_invoice_id IS NOT NULL AND invoiced_at IS NOT NULL)"
            " OR (status <> 'invoiced' AND lexoffice_invoice_id IS NULL)",
        ),
        _unique(t, "lexoffice_invoice_id"),
    )
    s = "work_report_sections"
    op.create_table(
        s,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("lump_sum", AMOUNT),
        _id(s),
        _fk(s, "work_report_id", "work_reports", "CASCADE"),
        *_non_negative(s, "lump_sum"),
    )


def _position_table(table: str, *columns_and_constraints: sa.schema.SchemaItem) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns_and_constraints,
        _id(table),
        _fk(table, "section_id", "work_report_sections", "CASCADE"),
    )


def _create_positions() -> None:
    t = "work_report_labour"
    _position_table(
        t,
        sa.Column("employee_function_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("hours", QUANTITY, nullable=False),
        *_zero(PERCENT, "discount_percent"),
        _fk(t, "employee_function_id", "employee_functions", "RESTRICT"),
        _fk(t, "activity_id", "activities", "RESTRICT"),
        *_non_negative(t, "hours"),
        *_percent(t, "discount_percent"),
    )
    t = "work_report_materials"
    _position_table(
        t,
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("unit_price_override", UNIT_PRICE),
        *_zero(PERCENT, "discount_percent"),
        _fk(t, "product_id", "products", "RESTRICT"),
        *_non_negative(t, "quantity", "unit_price_override"),
        *_percent(t, "discount_percent"),
    )
    t = "work_report_vehicles"
    _position_table(
        t,
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        *_zero(QUANTITY, "km", "hours", "days"),
        _fk(t, "vehicle_id", "vehicles", "RESTRICT"),
        *_non_negative(t, "km", "hours", "days"),
    )
    t = "work_report_machines"
    _position_table(
        t,
        sa.Column("machine_id", sa.Integer(), nullable=False),
        *_zero(QUANTITY, "hours", "days"),
        _fk(t, "machine_id", "machines", "RESTRICT"),
        *_non_negative(t, "hours", "days"),
    )
    t = "work_report_additional_positions"
    _position_table(
        t,
        sa.Column("text", sa.String(255), nullable=False),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("unit", sa.String(30), nullable=False),
        sa.Column("unit_price", UNIT_PRICE, nullable=False),
        sa.Column("tax_rate", PERCENT, nullable=False),
        *_zero(PERCENT, "discount_percent"),
        _check(t, "text_required", "trim(text) <> ''"),
        *_non_negative(t, "quantity", "unit_price"),
        *_percent(t, "tax_rate", "discount_percent"),
    )
