"""Document imports: lexoffice order confirmations and delivery notes taken over as projects.

`document_imports` holds one row per lexoffice document lexsync has handled: the project it
became (or the reason it could not), and the version and update date it was built from, so
that a later change in lexoffice is noticed and reported (once per change).
`document_import_cursors` holds, per connection and document type, the last update date seen,
from which the next run lists incrementally.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change to the models must not change this migration.
TIMESTAMP = sa.DateTime(timezone=True)
DOCUMENT_TYPES = ("order_confirmation", "delivery_note")


def _at(name: str) -> sa.Column[Any]:
    return sa.Column(name, TIMESTAMP, server_default=sa.func.now(), nullable=False)


def _one_of(table: str, column: str, values: Sequence[str]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{column}"))


def upgrade() -> None:
    t = "document_imports"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(18), nullable=False),
        sa.Column("lexoffice_id", sa.Uuid(), nullable=False),
        sa.Column("voucher_number", sa.String(50)),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("project_id", sa.Integer()),
        sa.Column("lexoffice_version", sa.Integer()),
        sa.Column("lexoffice_updated_at", TIMESTAMP),
        sa.Column("reported_updated_at", TIMESTAMP),
        sa.Column("reason", sa.Text()),
        sa.Column("run_id", sa.String(64), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f(f"fk_{t}_project_id_projects"),
            ondelete="SET NULL",
        ),
        _one_of(t, "document_type", DOCUMENT_TYPES),
        _one_of(t, "status", ("imported", "failed")),
        sa.UniqueConstraint("lexoffice_id", name=op.f(f"uq_{t}_lexoffice_id")),
    )
    op.create_index(op.f(f"ix_{t}_status"), t, ["status"])
    t = "document_import_cursors"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("document_type", sa.String(18), nullable=False),
        sa.Column("last_updated_at", TIMESTAMP, nullable=False),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        _one_of(t, "document_type", DOCUMENT_TYPES),
        sa.UniqueConstraint(
            "connection", "document_type", name=op.f(f"uq_{t}_connection_document_type")
        ),
    )


def downgrade() -> None:
    op.drop_table("document_import_cursors")
    op.drop_index(op.f("ix_document_imports_status"), table_name="document_imports")
    op.drop_table("document_imports")
