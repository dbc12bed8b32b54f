"""A connection: one company's field-service database, lexoffice account and sync settings.

Connections are Prefect blocks (type "lexsync-connection"), so admins edit the settings in the
Prefect UI and the API key is stored encrypted as a secret. The embedded default needs no
block: the connection named "default" falls back to environment variables.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect.blocks.core import Block
from pydantic import Field, SecretStr, model_validator

from connectors.fieldservice.urls import split_password, with_password
from connectors.lexoffice.settings import DEFAULT_BASE_URL, LexofficeSettings
from tasks.error_text import SaidInGerman
from tasks.form import form_field
from tasks.settings import SyncSettings

DEFAULT_CONNECTION = "default"
DEFAULT_DATABASE_URL = "sqlite:///var/lexsync.db"


class MissingApiKeyError(SaidInGerman, RuntimeError):
    """The connection has no lexoffice API key: nothing can be synced."""


class ConnectionDisabledError(SaidInGerman, RuntimeError):
    """The admin switched this connection off: nothing runs for it until it is enabled."""


class LexsyncConnection(Block):
    """One company: where its system database is, its lexoffice account, its sync settings.

    The database password is a field of its own (a secret, shown as ******** in the UI);
    `database_url` puts it back into the address for whoever connects.
    """

    _block_type_name = "lexsync connection"
    _block_type_slug = "lexsync-connection"
    _description = (
        "Eine Firma: ihre Datenbank der Auftragsverwaltung, ihr lexoffice-API-Schlüssel und "
        "was abgeglichen wird."
    )

    database_address: str = form_field(
        DEFAULT_DATABASE_URL,
        "Datenbank (Adresse ohne Passwort)",
        "Die Datenbank der Auftragsverwaltung, z. B. "
        "postgresql+psycopg://lexsync@db.example.de/meier oder sqlite:///var/lexsync.db. "
        "Das Passwort gehört in das Feld darunter.",
    )
    database_password: SecretStr | None = form_field(
        None, "Datenbank-Passwort", "Wird verschlüsselt gespeichert; leer lassen bei SQLite."
    )
    lexoffice_api_key: SecretStr | None = form_field(
        None,
        "lexoffice-API-Schlüssel",
        "Aus lexoffice: Erweiterungen → Weitere Apps → Public API (Version XL). Wird "
        "verschlüsselt gespeichert.",
    )
    lexoffice_base_url: str = form_field(
        DEFAULT_BASE_URL,
        "Adresse der lexoffice-API",
        f"Normalerweise {DEFAULT_BASE_URL} (ohne /v1).",
    )
    # lexoffice allows 2 requests/s per account; only a sandbox may be driven faster.
    lexoffice_rate_per_second: float = form_field(
        2.0,
        "Anfragen je Sekunde an lexoffice",
        "lexoffice erlaubt 2; nur für die Testumgebung höher stellen.",
        gt=0,
    )
    organization_id: str | None = form_field(
        None,
        "lexoffice-Organisation (organizationId)",
        "Wird beim Anlegen eingetragen; ein Schlüssel einer anderen Firma wird dann abgelehnt.",
    )
    # The public HTTPS address of the webhook receiver; when set, every full sync makes sure
    # lexoffice still has the contact subscriptions (it drops them after failed deliveries).
    webhook_callback_url: str | None = form_field(
        None,
        "Öffentliche Adresse des Webhook-Empfängers",
        "Z. B. https://lexsync.example.de/webhooks/lexoffice; leer lassen, wenn keine Webhooks "
        "genutzt werden.",
    )
    active: bool = form_field(
        True, "Aktiv", "Ausgeschaltet wird diese Firma bei keinem Abgleich berücksichtigt."
    )
    # Titled by SyncSettings' form_section (the form draws the section from there).
    settings: SyncSettings = Field(default_factory=SyncSettings)

    @model_validator(mode="before")
    @classmethod
    def _split_database_url(cls, data: Any) -> Any:
        """`database_url=` (a whole URL, as blocks saved before the split hold it) → address
        and password, so the password never sits in clear text in the block."""
        if not isinstance(data, dict) or "database_url" not in data:
            return data
        data = dict(data)
        address, password = split_password(str(data.pop("database_url")))
        data.setdefault("database_address", address)
        if password is not None and not data.get("database_password"):
            data["database_password"] = password
        return data

    @property
    def database_url(self) -> str:
        """The system database's URL, password included (never log it: see `safe_url`)."""
        password = self.database_password
        return with_password(
            self.database_address, password.get_secret_value() if password else None
        )

    def lexoffice_settings(self, **overrides: object) -> LexofficeSettings:
        """Client settings for this connection's lexoffice account."""
        if self.lexoffice_api_key is None:
            raise MissingApiKeyError(
                "Diese Verbindung hat keinen lexoffice-API-Schlüssel: ihn im Verbindungsblock "
                "eintragen (Feld lexoffice-API-Schlüssel) oder LEXOFFICE_API_KEY setzen."
            )
        values: dict[str, object] = {
            "api_key": self.lexoffice_api_key,
            "base_url": self.lexoffice_base_url,
            "rate_per_second": self.lexoffice_rate_per_second,
            # Workers on several machines share one account's budget through Redis.
            "pacing_redis_url": os.environ.get("LEXSYNC_PACING_REDIS_URL") or None,
        }
        return LexofficeSettings.model_validate(values | overrides)


def connection_from_environment() -> LexsyncConnection:
    """The embedded default connection, configured by environment variables."""
    api_key = os.environ.get("LEXOFFICE_API_KEY")
    database_url = os.environ.get("LEXSYNC_DATABASE_URL", DEFAULT_DATABASE_URL)
    _ensure_sqlite_folder(database_url)
    return LexsyncConnection(
        database_url=database_url,
        lexoffice_base_url=os.environ.get("LEXOFFICE_BASE_URL", DEFAULT_BASE_URL),
        lexoffice_api_key=SecretStr(api_key) if api_key else None,
        lexoffice_rate_per_second=float(os.environ.get("LEXOFFICE_RATE_PER_SECOND", "2")),
        webhook_callback_url=os.environ.get("LEXSYNC_WEBHOOK_CALLBACK_URL") or None,
    )


def load_connection(name: str = DEFAULT_CONNECTION) -> LexsyncConnection:
    """The connection block `name`; for "default" without a block, the environment's."""
    try:
        connection_block = LexsyncConnection.load(name)
    except ValueError:
        if name != DEFAULT_CONNECTION:
            raise
        return connection_from_environment()
    assert isinstance(connection_block, LexsyncConnection)
    return connection_block


def load_active_connection(name: str = DEFAULT_CONNECTION) -> LexsyncConnection:
    """The connection `name`, refused if disabled (a run started by hand or left queued)."""
    connection_block = load_connection(name)
    if not connection_block.active:
        raise ConnectionDisabledError(
            f"Die Verbindung {name!r} ist ausgeschaltet: erst mit `lexsync connections enable "
            f"{name}` einschalten."
        )
    return connection_block


def _ensure_sqlite_folder(database_url: str) -> None:
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url != "sqlite:///:memory:":
        Path(database_url.removeprefix(prefix)).parent.mkdir(parents=True, exist_ok=True)
