"""Refusing to sync into a system database whose schema is not up to date."""

from __future__ import annotations

from connectors.fieldservice.db import current_revision, head_revision
from tasks.error_text import SaidInGerman
from tasks.resources import system_engine


class OutdatedSchemaError(SaidInGerman, RuntimeError):
    """The system database is not at the newest migration: run `lexsync db upgrade` first."""


def require_current_schema(database_url: str, connection: str = "default") -> None:
    """OutdatedSchemaError unless the database is at the newest migration (any caller)."""
    current, head = current_revision(system_engine(database_url)), head_revision()
    if current != head:
        raise OutdatedSchemaError(
            f"Die Systemdatenbank hat den Schemastand {current or '(leer)'}, lexsync braucht "
            f"{head}: `lexsync db upgrade --connection {connection}` ausführen (nach einer "
            "Datensicherung; nur Migrationen ändern das Schema)."
        )
