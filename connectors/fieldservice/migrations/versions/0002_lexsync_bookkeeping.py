"""lexsync's own bookkeeping: links to lexoffice, the sync journal and the sync issues.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTITIES = ("customer", "product", "activity")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _at(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _one_of(table: str, column: str, values: Sequence[str]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{column}"))


def upgrade() -> None:
    t = "lexoffice_links"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(8), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("lexoffice_id", sa.Uuid(), nullable=False),
        sa.Column("lexoffice_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("synced_values", _json(), nullable=False),
        sa.Column("status", sa.String(20), server_default="active", nullable=False),
        _at("synced_at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        _one_of(t, "entity", ENTITIES),
        _one_of(t, "status", ("active", "missing_in_lexoffice", "deleted_in_lexoffice")),
        sa.CheckConstraint(
            "lexoffice_version >= 0", name=op.f(f"ck_{t}_lexoffice_version_non_negative")
        ),
        sa.UniqueConstraint("entity", "local_id", name=op.f(f"uq_{t}_entity_local_id")),
        sa.UniqueConstraint("entity", "lexoffice_id", name=op.f(f"uq_{t}_entity_lexoffice_id")),
    )
    t = "sync_journal"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(8), nullable=False),
        sa.Column("local_id", sa.Integer()),
        sa.Column("lexoffice_id", sa.Uuid()),
        sa.Column("direction", sa.String(6), nullable=False),
        sa.Column("action", sa.String(6), nullable=False),
        sa.Column("before", _json()),
        sa.Column("after", _json()),
        _at("at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        _one_of(t, "entity", ENTITIES),
        _one_of(t, "direction", ("import", "export")),
        _one_of(t, "action", ("create", "update", "link", "mark")),
    )
    op.create_index(op.f("ix_sync_journal_run_id"), t, ["run_id"])
    t = "sync_issues"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(8), nullable=False),
        sa.Column("local_id", sa.Integer()),
        sa.Column("lexoffice_id", sa.Uuid()),
        sa.Column("record_label", sa.String(255)),
        sa.Column("field", sa.String(100)),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("values", _json()),
        _at("at"),
        sa.Column("resolved", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        _one_of(t, "entity", ENTITIES),
        _one_of(t, "kind", ("error", "conflict", "skip")),
    )
    op.create_index(op.f("ix_sync_issues_run_id"), t, ["run_id"])
    op.create_index(op.f("ix_sync_issues_resolved"), t, ["resolved"])


def downgrade() -> None:
    op.drop_table("sync_issues")
    op.drop_table("sync_journal")
    op.drop_table("lexoffice_links")
