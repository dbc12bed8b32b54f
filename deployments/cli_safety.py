"""The main job against a real lexoffice account: the right organization, a look first.

A two-way sync writes into the company's bookkeeping. Before `lexsync sync` (or `demo` with a
real key) writes to a real account it makes sure the database belongs to that account's
organization, shows a dry run and asks (or needs `--yes`). Sandboxes on this machine are
exempt: they hold demo data.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from deployments.cli_support import ConfigurationError

SANDBOX_HOSTS_ENV = "LEXSYNC_SANDBOX_HOSTS"
DEFAULT_SANDBOX_HOSTS = "localhost,127.0.0.1,::1"
LINKS_PROBED = 3


def is_real_account(base_url: str) -> bool:
    """Anything but a sandbox on this machine is a real account (LEXSYNC_SANDBOX_HOSTS)."""
    sandboxes = os.environ.get(SANDBOX_HOSTS_ENV, DEFAULT_SANDBOX_HOSTS)
    hosts = {host.strip() for host in sandboxes.split(",") if host.strip()}
    return (urlsplit(base_url).hostname or "") not in hosts


def require_same_organization(connection_block: Any, profile: Any) -> None:
    """ConfigurationError when the connection or its database belongs to another organization.

    The database records no organization of its own; what it holds says it: the
    organizationId of the webhooks it received, and linked lexoffice records (if none of a
    few sampled links exists in this account, they were made in another one).
    """
    organization = str(profile.organization_id)
    expected = connection_block.organization_id
    if expected and str(expected) != organization:
        raise _other_organization(str(expected), organization)
    others = _webhook_organizations(connection_block.database_url) - {organization}
    if others:
        raise _other_organization(sorted(others)[0], organization)
    if _sampled_links_missing(connection_block):
        raise ConfigurationError(
            f"Die verknüpften Datensätze der Datenbank gibt es in der lexoffice-Organisation "
            f"{organization} nicht: die Datenbank gehört wohl zu einem anderen lexoffice-Konto. "
            "Schlüssel oder Datenbank prüfen."
        )


def _other_organization(linked: str, current: str) -> ConfigurationError:
    return ConfigurationError(
        f"Die Datenbank gehört zur lexoffice-Organisation {linked}, der API-Schlüssel zu "
        f"{current}: den Schlüssel dieser Firma verwenden oder die richtige Datenbank angeben."
    )


def _webhook_organizations(database_url: str) -> set[str]:
    import sqlalchemy as sa

    from connectors.fieldservice.models.webhook_event import WebhookEvent
    from tasks.resources import system_sessions

    with system_sessions(database_url)() as session:
        found = session.scalars(sa.select(WebhookEvent.organization_id).distinct()).all()
    return {str(organization) for organization in found}


def _sampled_links_missing(connection_block: Any) -> bool:
    import sqlalchemy as sa

    from connectors.fieldservice.models.sync import LexofficeLink, SyncEntity
    from connectors.lexoffice.client import LexofficeClient
    from connectors.lexoffice.errors import NotFoundError
    from tasks.resources import system_sessions

    readers: dict[SyncEntity, Callable[[Any, str], Any]] = {
        SyncEntity.CUSTOMER: lambda client, key: client.get_contact(key),
        SyncEntity.PRODUCT: lambda client, key: client.get_article(key),
    }
    query = (
        sa.select(LexofficeLink.entity, LexofficeLink.lexoffice_id)
        .where(LexofficeLink.entity.in_(list(readers)))
        .order_by(LexofficeLink.id.desc())
        .limit(LINKS_PROBED)
    )
    with system_sessions(connection_block.database_url)() as session:
        links = session.execute(query).all()
    if not links:
        return False
    with LexofficeClient(connection_block.lexoffice_settings(max_attempts=1)) as client:
        for entity, lexoffice_id in links:
            try:
                readers[entity](client, str(lexoffice_id))
            except NotFoundError:
                continue
            return False
    return True


def confirm_writes(what: str) -> bool:
    """Asks on the terminal; without one (cron, pipes) the answer is no: use --yes there."""
    if not sys.stdin.isatty():
        return False
    answer = input(f"{what} Jetzt wirklich in lexoffice schreiben? [j/N] ")
    return answer.strip().lower() in ("j", "ja", "y", "yes")
