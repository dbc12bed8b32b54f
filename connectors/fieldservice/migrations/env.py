"""Alembic environment: run by connectors.fieldservice.db.migrate() on its connection."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from connectors.fieldservice.models import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    """Print the SQL instead of running it (`alembic upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate on the connection that db.migrate() / db.downgrade() hand over."""
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "run migrations through connectors.fieldservice.db.migrate(url) (there is no"
            " alembic.ini): it prepares the connection, e.g. SQLite's foreign keys"
        )
    _run(connection)


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite alters tables by copying them: Alembic's batch mode does that.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
