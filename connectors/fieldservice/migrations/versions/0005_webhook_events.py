"""Webhook events: lexoffice's callbacks, stored before they are answered, deduplicated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change to the models must not change this migration.
TIMESTAMP = sa.DateTime(timezone=True)
STATUSES = ("pending", "dispatched", "processed")


def upgrade() -> None:
    t = "webhook_events"
    listed = ", ".join(f"'{status}'" for status in STATUSES)
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("event_date", TIMESTAMP, nullable=False),
        sa.Column("received_at", TIMESTAMP, server_default=sa.func.now(), nullable=False),
        sa.Column("status", sa.String(10), server_default="pending", nullable=False),
        sa.Column("batch_id", sa.String(64)),
        sa.Column("dispatched_at", TIMESTAMP),
        sa.Column("processed_at", TIMESTAMP),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.CheckConstraint(f"status IN ({listed})", name=op.f(f"ck_{t}_status")),
        sa.UniqueConstraint(
            "organization_id",
            "event_type",
            "resource_id",
            "event_date",
            name=op.f(f"uq_{t}_organization_id_event_type_resource_id_event_date"),
        ),
    )
    op.create_index(op.f(f"ix_{t}_status"), t, ["status"])
    op.create_index(op.f(f"ix_{t}_batch_id"), t, ["batch_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_events_batch_id"), table_name="webhook_events")
    op.drop_index(op.f("ix_webhook_events_status"), table_name="webhook_events")
    op.drop_table("webhook_events")
