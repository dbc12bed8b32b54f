"""Products and activities get an archived state: archived in lexoffice, archived here too.
The journal also records the projects the document import creates (entity "project").

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("products", "activities")
# Frozen here on purpose: a later change to the models must not change this migration.
ENTITIES = ("customer", "product", "activity")
JOURNAL_ENTITIES = (*ENTITIES, "project")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False)
            )
    _journal_entities(JOURNAL_ENTITIES)


def downgrade() -> None:
    op.execute("DELETE FROM sync_journal WHERE entity = 'project'")
    _journal_entities(ENTITIES)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("archived")


def _journal_entities(values: Sequence[str]) -> None:
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table("sync_journal") as batch:
        batch.drop_constraint(op.f("ck_sync_journal_entity"), type_="check")
        batch.create_check_constraint(op.f("ck_sync_journal_entity"), f"entity IN ({listed})")
