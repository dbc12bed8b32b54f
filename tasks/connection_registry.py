"""The installation's connections: one per company, each a "lexsync-connection" block.

A field-service vendor runs one lexsync for all its customer companies. Each company is a
connection block (database URL, lexoffice key as a secret, settings, organizationId) on the
Prefect server, so every worker on every machine sees the same list. An installation with no
blocks has exactly one connection, "default", configured from the environment: nothing changes
for a user with one company.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError

from tasks.connection import DEFAULT_CONNECTION, LexsyncConnection
from tasks.error_text import SaidInGerman

BLOCK_TYPE = "lexsync-connection"


# How the refusal of a taken name ends; `lexsync up` looks for it (deployments/service.py).
NAME_TAKEN = "gibt es schon"


class ConnectionExistsError(SaidInGerman, ValueError):
    """The name, or the lexoffice organization, already belongs to another connection."""


@dataclass(frozen=True)
class ConnectionEntry:
    """What the list shows of a connection; never its key."""

    name: str
    active: bool
    organization_id: str | None
    database_url: str
    lexoffice_base_url: str


def list_connections() -> list[ConnectionEntry]:
    """Every connection block, by name (secrets are not even fetched).

    One request: the server answers with every document of the type (it takes no paging).
    """
    with get_client(sync_client=True) as client:
        try:
            documents = client.read_block_documents_by_type(BLOCK_TYPE, include_secrets=False)
        except PrefectHTTPStatusError as error:
            if error.response.status_code == 404:  # the block type was never registered
                return []
            raise
    entries = {doc.name: _entry(doc.name, doc.data) for doc in documents if doc.name}
    return sorted(entries.values(), key=lambda e: e.name)


def active_connection_names() -> list[str]:
    """The connections a scheduled sync runs: the active blocks and the embedded default.

    The default (environment variables) stays in when blocks are added for more companies —
    adding a second company must not silently drop the first — unless a block named
    "default" replaces it. With nothing configured at all it is still listed, so the run
    fails with a clear "no API key" instead of doing nothing quietly.
    """
    entries = list_connections()
    names = [entry.name for entry in entries if entry.active]
    has_default_block = any(entry.name == DEFAULT_CONNECTION for entry in entries)
    if not has_default_block and (environment_configures_default() or not entries):
        names.insert(0, DEFAULT_CONNECTION)
    return names


def environment_configures_default() -> bool:
    return bool(os.environ.get("LEXOFFICE_API_KEY"))


def save_connection(name: str, connection_block: LexsyncConnection, replace: bool = False) -> None:
    """Stores the block; refuses a taken name (unless `replace`) or an organization in use.

    One organization in two connections would make webhook routing ambiguous and let two
    companies' databases write into one lexoffice account.
    """
    entries = {entry.name: entry for entry in list_connections()}
    if name in entries and not replace:
        raise ConnectionExistsError(f"eine Verbindung namens {name!r} {NAME_TAKEN}")
    organization = connection_block.organization_id
    for other in entries.values():
        if organization and other.organization_id == organization and other.name != name:
            raise ConnectionExistsError(
                f"die lexoffice-Organisation {connection_block.organization_id} gehört schon zur "
                f"Verbindung {other.name!r}"
            )
    connection_block.save(name, overwrite=True)


def set_active(name: str, active: bool) -> None:
    """Switches a connection on or off (a disabled one is left out of scheduled syncs)."""
    connection_block = LexsyncConnection.load(name)
    assert isinstance(connection_block, LexsyncConnection)
    connection_block.active = active
    connection_block.save(name, overwrite=True)


def remove_connection(name: str) -> None:
    """Deletes the block only: the company's database and lexoffice data stay untouched."""
    with get_client(sync_client=True) as client:
        try:
            document = client.read_block_document_by_name(name, BLOCK_TYPE, include_secrets=False)
        except ObjectNotFound:
            raise ValueError(f"keine Verbindung namens {name!r}") from None
        client.delete_block_document(document.id)


def _entry(name: str, data: dict[str, object]) -> ConnectionEntry:
    defaults = LexsyncConnection.model_fields
    return ConnectionEntry(
        name=name,
        active=bool(data.get("active", True)),
        organization_id=_text(data.get("organization_id")),
        # The address without its password (blocks saved before the split: the whole URL).
        database_url=str(
            data.get("database_address")
            or data.get("database_url")
            or defaults["database_address"].default
        ),
        lexoffice_base_url=str(
            data.get("lexoffice_base_url") or defaults["lexoffice_base_url"].default
        ),
    )


def _text(value: object) -> str | None:
    return str(value) if value else None
