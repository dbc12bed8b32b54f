"""Invoice attempts: one row per work report invoiced in lexoffice, written before the POST.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change to the models must not change this migration.
TIMESTAMP = sa.DateTime(timezone=True)
AMOUNT = sa.Numeric(12, 2)
STATUSES = ("sending", "created", "invoiced", "failed")


def _at(name: str) -> sa.Column[Any]:
    return sa.Column(name, TIMESTAMP, server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    t = "invoice_attempts"
    listed = ", ".join(f"'{status}'" for status in STATUSES)
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_report_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("lexoffice_contact_id", sa.Uuid(), nullable=False),
        sa.Column("voucher_date", sa.Date(), nullable=False),
        sa.Column("finalize", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("expected_net", AMOUNT, nullable=False),
        sa.Column("expected_tax", AMOUNT, nullable=False),
        sa.Column("expected_gross", AMOUNT, nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("lexoffice_invoice_id", sa.Uuid()),
        sa.Column("lexoffice_invoice_url", sa.String(255)),
        sa.Column("error", sa.Text()),
        _at("created_at"),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.ForeignKeyConstraint(
            ["work_report_id"],
            ["work_reports.id"],
            name=op.f(f"fk_{t}_work_report_id_work_reports"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(f"status IN ({listed})", name=op.f(f"ck_{t}_status")),
        sa.UniqueConstraint("work_report_id", name=op.f(f"uq_{t}_work_report_id")),
        sa.UniqueConstraint("reference", name=op.f(f"uq_{t}_reference")),
    )
    op.create_index(op.f(f"ix_{t}_status"), t, ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_invoice_attempts_status"), table_name="invoice_attempts")
    op.drop_table("invoice_attempts")
