"""Adding a company: its key checked with lexoffice and its database reached before it is saved.

Nothing is stored for a key lexoffice refuses or a database that cannot be reached: a
connection that exists is one that can run.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from connectors.fieldservice.db import current_revision, head_revision, migrate
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.settings import DEFAULT_BASE_URL
from tasks.connection import LexsyncConnection
from tasks.connection_registry import save_connection


class ConnectionSetupError(RuntimeError):
    """The connection cannot be added as given; the message says what to fix."""


@dataclass(frozen=True)
class AddedConnection:
    organization_id: str
    company_name: str | None
    schema_note: str


def add_connection(
    name: str,
    database_url: str,
    api_key: str,
    base_url: str | None = None,
    rate_per_second: float = 2.0,
    webhook_callback_url: str | None = None,
    migrate: bool = False,
    replace: bool = False,
) -> AddedConnection:
    """Checks the key (GET /v1/profile) and the database, then saves the block `name`."""
    connection_block = LexsyncConnection(
        database_url=database_url,
        lexoffice_base_url=base_url or DEFAULT_BASE_URL,
        lexoffice_api_key=SecretStr(api_key),
        lexoffice_rate_per_second=rate_per_second,
        webhook_callback_url=webhook_callback_url,
    )
    with LexofficeClient(connection_block.lexoffice_settings()) as client:
        profile = client.get_profile()  # CredentialsError for a refused key
    connection_block.organization_id = profile.organization_id
    note = _check_database(database_url, migrate, name)
    save_connection(name, connection_block, replace=replace)
    return AddedConnection(profile.organization_id, profile.company_name, note)


def _check_database(url: str, run_migrations: bool, name: str) -> str:
    from deployments.cli_support import database_reason, safe_url, upgrade_hint

    try:
        if run_migrations:
            migrate(url)
        current = current_revision(url)
    except Exception as failure:  # any driver error: the admin must fix the URL or server
        raise ConnectionSetupError(
            f"die Datenbank {safe_url(url)} ist nicht erreichbar ({database_reason(failure)}): "
            "URL, Server und Zugangsdaten prüfen"
        ) from None
    head = head_revision()
    if current == head:
        return f"Schemastand {head}"
    return f"Schemastand {current or '(leer)'}, nötig ist {head}: {upgrade_hint(name)} ausführen"
