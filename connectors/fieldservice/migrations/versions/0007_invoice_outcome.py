"""Invoice outcome: lexoffice's own totals of the invoice an attempt created.

An invoice whose totals in lexoffice differ from lexsync's is recorded with both (the attempt
stays `created`) until a person accepts it (`invoiced`) or voids it (`failed`, sent anew).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change to the models must not change this migration.
AMOUNT = sa.Numeric(12, 2)
COLUMNS = ("lexoffice_net", "lexoffice_tax", "lexoffice_gross")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("invoice_attempts", sa.Column(name, AMOUNT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invoice_attempts") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
