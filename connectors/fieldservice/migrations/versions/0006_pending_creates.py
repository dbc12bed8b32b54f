"""Pending lexoffice creates: committed before a contact or article is POSTed, deleted once linked.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change to the models must not change this migration.
ENTITIES = ("customer", "product", "activity")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    t = "lexoffice_pending_creates"
    listed = ", ".join(f"'{entity}'" for entity in ENTITIES)
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(8), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("sent_values", _json(), nullable=False),
        sa.Column("base", _json(), nullable=False),
        sa.Column("record_label", sa.String(255), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.CheckConstraint(f"entity IN ({listed})", name=op.f(f"ck_{t}_entity")),
        sa.UniqueConstraint("entity", "local_id", name=op.f(f"uq_{t}_entity_local_id")),
    )


def downgrade() -> None:
    op.drop_table("lexoffice_pending_creates")
