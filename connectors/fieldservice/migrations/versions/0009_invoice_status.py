"""Invoice status back: what became of the invoice lexsync created, kept on the work report.

`lexoffice_invoice_status` (draft, open, paid, voided, …), `lexoffice_open_amount`,
`lexoffice_paid_at` and `lexoffice_invoice_updated_at` (lexoffice's `updatedDate` last
applied, so an older state never overwrites a newer one). An invoice voided in lexoffice frees
the work report (completed again); the voided invoice stays named in
`lexoffice_voided_invoice_id`. `invoice_status_cursors`: per connection, the voucherlist's
`updatedDate` up to which the full sync has reconciled.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change to the models must not change this migration.
AMOUNT = sa.Numeric(12, 2)
TIMESTAMP = sa.DateTime(timezone=True)
COLUMNS = (
    ("lexoffice_invoice_status", sa.String(20)),
    ("lexoffice_open_amount", AMOUNT),
    ("lexoffice_paid_at", TIMESTAMP),
    ("lexoffice_invoice_updated_at", TIMESTAMP),
    ("lexoffice_voided_invoice_id", sa.Uuid()),
)


def upgrade() -> None:
    for name, column_type in COLUMNS:
        op.add_column("work_reports", sa.Column(name, column_type, nullable=True))
    op.create_table(
        "invoice_status_cursors",
        sa.Column("connection", sa.String(100), primary_key=True),
        sa.Column("last_updated_at", TIMESTAMP, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("invoice_status_cursors")
    with op.batch_alter_table("work_reports") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
