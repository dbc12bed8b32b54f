"""Refusing to sync into a system database whose schema is not up to date."""

from __future__ import annotations

from connectors.fieldservice.db import current_revision, head_revision
from tasks.resources import system_engine


class OutdatedSchemaError(RuntimeError):
    """The system database is not at the newest migration: run `lexsync db upgrade` first."""


def require_current_schema(database_url: str) -> None:
    """OutdatedSchemaError unless the database is at the newest migration (any caller)."""
    current, head = current_revision(system_engine(database_url)), head_revision()
    if current != head:
        raise OutdatedSchemaError(
            f"the system database is at schema revision {current or '(empty)'}, lexsync needs "
            f"{head}: run `lexsync db upgrade` (migrations are the only way the schema changes)"
        )
